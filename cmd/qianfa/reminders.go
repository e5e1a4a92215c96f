package main

import (
	"context"
	"fmt"
	"io"
)

func runReminders(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fmt.Fprintln(stderr, "用法: qianfa reminders preview --date YYYY-MM-DD")
	return 2
}
