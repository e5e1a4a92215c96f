package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"qianfa/audit"
)

// runAuditRekey rotates the audit key: a new key is created next to the current one, the
// whole log is verified with the current key and re-signed with the new one, then the new
// key takes the configured file name and the old one is kept as retired. Run it with the
// servers stopped.
func runAuditRekey(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("audit rekey", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfgPath := configFlag(fs)
	if fs.Parse(args) != nil {
		return 2
	}
	cfg, store, oldKey, code := configuredStore(ctx, cfgPath, stderr, 2)
	if code != 0 {
		return code
	}
	defer store.Close()
	keyFile := cfg.Audit.KeyFile
	newFile := keyFile + ".new"
	newKey, err := audit.LoadOrCreateKey(newFile)
	if err != nil {
		fmt.Fprintf(stderr, "新密钥：%v\n", err)
		return 2
	}
	res, err := store.RekeyAudit(ctx, oldKey, newKey)
	if err != nil {
		fmt.Fprintln(stderr, describe(err))
		return 1
	}
	retired := keyFile + ".retired-" + time.Now().UTC().Format("20060102T150405Z")
	if err := os.Rename(keyFile, retired); err != nil {
		fmt.Fprintf(stderr, "日志已用新密钥 %s 重新签名，但无法归档旧密钥：%v；请把 %s 改名为 %s\n", newFile, err, newFile, keyFile)
		return 1
	}
	if err := os.Rename(newFile, keyFile); err != nil {
		fmt.Fprintf(stderr, "日志已用新密钥 %s 重新签名，但无法启用它：%v；请把它改名为 %s\n", newFile, err, keyFile)
		return 1
	}
	fmt.Fprintf(stdout, "审计密钥已更换：%d 条事件已用新密钥重新签名，链头 %s；旧密钥已归档为 %s\n", res.Events, res.Head, retired)
	return 0
}
