package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"strings"

	"qianfa/handlers"
	"qianfa/models"
)

// stringList collects a repeated flag such as --role.
type stringList []string

func (l *stringList) String() string     { return strings.Join(*l, ",") }
func (l *stringList) Set(v string) error { *l = append(*l, v); return nil }

func runUser(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] != "add" {
		fmt.Fprintln(stderr, "用法: qianfa user add --username U --agency CODE --role R [--role R] [--name N] [--email E]（密码从标准输入读取）")
		return 2
	}
	fs := flag.NewFlagSet("user add", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfgPath := configFlag(fs)
	username := fs.String("username", "", "用户名")
	agency := fs.String("agency", "", "所属单位代码")
	name := fs.String("name", "", "姓名")
	email := fs.String("email", "", "电子邮箱")
	var roles stringList
	fs.Var(&roles, "role", "角色（可重复）")
	if fs.Parse(args[1:]) != nil {
		return 2
	}
	if *username == "" || *agency == "" || len(roles) == 0 {
		fmt.Fprintln(stderr, "需要 --username、--agency 和至少一个 --role")
		return 2
	}
	pw, err := readPassword(stdin)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 2
	}
	_, store, _, code := configuredStore(ctx, cfgPath, stderr, 1)
	if code != 0 {
		return code
	}
	defer store.Close()
	ag, err := store.AgencyByCode(ctx, *agency)
	if err != nil {
		fmt.Fprintf(stderr, "单位 %s：%v\n", *agency, err)
		return 1
	}
	u, err := handlers.NewUser(*username, *name, *email, ag.ID, roles, pw)
	if err != nil {
		fmt.Fprintln(stderr, describe(err))
		return 1
	}
	if err := store.CreateUser(ctx, models.AuditActor{Username: "cli"}, u); err != nil {
		fmt.Fprintln(stderr, describe(err))
		return 1
	}
	fmt.Fprintf(stdout, "已创建用户 %s（%s，%s）\n", u.Username, ag.Name, roles.String())
	return 0
}

// readPassword takes the first line of stdin, so the password never appears in the
// process list or shell history.
func readPassword(stdin io.Reader) (string, error) {
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && err != io.EOF {
		return "", fmt.Errorf("读取密码：%w", err)
	}
	pw := strings.TrimRight(line, "\r\n")
	if pw == "" {
		return "", fmt.Errorf("请从标准输入提供密码")
	}
	return pw, nil
}
