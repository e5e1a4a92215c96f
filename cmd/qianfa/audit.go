package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"qianfa/workflow"
)

func runAudit(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 && args[0] == "rekey" {
		return runAuditRekey(ctx, args[1:], stdout, stderr)
	}
	if len(args) == 0 || args[0] != "verify" {
		fmt.Fprintln(stderr, "用法: qianfa audit verify|rekey [--config config.yaml]")
		return 2
	}
	fs := flag.NewFlagSet("audit verify", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfgPath := configFlag(fs)
	if fs.Parse(args[1:]) != nil {
		return 2
	}
	_, store, key, code := configuredStore(ctx, cfgPath, stderr, 2)
	if code != 0 {
		return code
	}
	defer store.Close()
	res, err := store.VerifyAudit(ctx, key)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 2
	}
	if !res.OK {
		fmt.Fprintf(stdout, "审计日志已被篡改：共 %d 条事件，第一条问题事件 seq=%d：%s\n", res.Events, res.FirstBadSeq, res.Reason)
		return 1
	}
	fmt.Fprintf(stdout, "审计日志完好：共 %d 条事件，链头 %s\n", res.Events, res.Head)
	return 0
}

// describe is the Chinese message of an error, with the field problems listed.
func describe(err error) string {
	var we *workflow.Error
	if !errors.As(err, &we) {
		return err.Error()
	}
	var b strings.Builder
	b.WriteString(we.Message)
	for _, d := range we.Details {
		fmt.Fprintf(&b, "\n  %v", d)
	}
	return b.String()
}
