package main

import (
	"errors"
	"fmt"
	"io"
	"os"

	"qianfa/report"
	"qianfa/report/check"
)

// runValidate checks one interchange file. Exit codes are part of the contract:
// 0 clean or warnings only, 1 errors found, 2 unreadable or not a report.
func runValidate(args []string, stdout, stderr io.Writer) int {
	if len(args) != 1 {
		fmt.Fprintln(stderr, "用法: qianfa validate FILE.json")
		return 2
	}
	data, err := os.ReadFile(args[0])
	if err != nil {
		fmt.Fprintf(stderr, "无法读取 %s: %v\n", args[0], err)
		return 2
	}
	doc, err := report.Decode(data)
	if err != nil {
		var shape *report.ShapeError
		if errors.As(err, &shape) {
			fmt.Fprintf(stderr, "%s 不是有效的报告文件：\n", args[0])
			for _, p := range shape.Problems {
				fmt.Fprintf(stderr, "  %s: %s\n", p.Path, p.Message)
			}
			return 2
		}
		fmt.Fprintf(stderr, "%s: %v\n", args[0], err)
		return 2
	}
	findings := check.Check(doc)
	errs, warns := check.Counts(findings)
	for _, f := range findings {
		fmt.Fprintf(stdout, "%s\t%s\t%s\t%v\n", severityLabel(string(f.Severity)), f.Rule, f.Message, f.Cells)
	}
	fmt.Fprintf(stdout, "%s：%d 个错误，%d 个警告\n", doc.Title, errs, warns)
	if errs > 0 {
		return 1
	}
	return 0
}

func severityLabel(s string) string {
	if s == "error" {
		return "错误"
	}
	return "警告"
}
