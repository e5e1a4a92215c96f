// Command qianfa-bench is Qianfa's load generator. It seeds agencies, users and
// draft reports, starts the server under test as a separate process (so that its
// peak RSS is its own), drives every report through the full flow over HTTP —
// save content, submit, review approval, leader approval(s) with the password on
// the last step, publish — with K concurrent clients, and then drives a minimal
// Echo server doing only the database work a transition cannot avoid (the
// floor) with the same clients. It prints per-action throughput, latency
// percentiles, errors by code, peak RSS, and the ratio product ÷ floor.
//
// It re-executes itself with the hidden -role flag to run either server.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	cfg, err := parseFlags(os.Args[1:])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	switch cfg.role {
	case roleProduct, roleFloor:
		err = runServerRole(ctx, cfg)
	case "":
		if cfg.scaleMode {
			err = runScale(ctx, cfg, os.Stdout)
		} else {
			err = runBench(ctx, cfg, os.Stdout)
		}
	default:
		err = fmt.Errorf("unknown role %q", cfg.role)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "qianfa-bench:", err)
		os.Exit(1)
	}
}
