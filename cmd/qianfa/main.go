// Command qianfa is the Qianfa server and its command-line tools.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	_ "time/tzdata" // deadlines are computed in Asia/Shanghai on any host
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

const usage = `用法: qianfa <命令> [参数]

命令:
  serve [--config config.yaml] [--demo]     启动服务
  migrate [--config config.yaml]            升级数据库结构后退出
  validate FILE.json                        校验报告文件（退出码 0 无错误，1 有错误，2 无法读取或不是报告）
  user add --username U --agency CODE --role R [--role R] [--name N] [--email E]
                                            新建用户，密码从标准输入读取
  audit verify [--config config.yaml]       校验审计日志（退出码 0 完好，1 被篡改）
  audit rekey [--config config.yaml]        更换审计密钥：校验后用新密钥重新签名（须先停止服务）
  reminders preview --date YYYY-MM-DD       预览当天将发送的提醒（不发送）
`

// run is main without the process: tests call it with their own arguments and streams.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "serve":
		return runServe(ctx, rest, stdout, stderr)
	case "migrate":
		return runMigrate(ctx, rest, stdout, stderr)
	case "validate":
		return runValidate(rest, stdout, stderr)
	case "user":
		return runUser(ctx, rest, stdin, stdout, stderr)
	case "audit":
		return runAudit(ctx, rest, stdout, stderr)
	case "reminders":
		return runReminders(ctx, rest, stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return 0
	default:
		fmt.Fprintf(stderr, "未知命令 %q\n\n%s", cmd, usage)
		return 2
	}
}
