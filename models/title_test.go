package models_test

import (
	"os"
	"strings"
	"testing"

	"qianfa/models"
)

// interchange is a whole interchange document (7.6 KB), as a report's content.
func interchange(t testing.TB) string {
	t.Helper()
	b, err := os.ReadFile("../report/testdata/clean-2021.json")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestTitleOf(t *testing.T) {
	cases := append(titleCases[:len(titleCases):len(titleCases)], []struct{ name, content, want string }{
		{"document", interchange(t), "嘉兴市民政局2021年度政府信息公开工作年度报告"},
		// The databases disagreed on these: to MariaDB a lone surrogate, or nesting
		// deeper than 32, made the content not JSON; SQLite gave the surrogate's bytes
		// (invalid UTF-8) and read the deep document. The title is what decoding gives.
		{"lone surrogate", `{"title":"甲\ud800乙"}`, "甲\uFFFD乙"},
		{"nested 40 deep", `{"title":"甲","x":` + strings.Repeat("[", 40) + strings.Repeat("]", 40) + `}`, "甲"},
	}...)
	for _, c := range cases {
		if got := models.TitleOf(c.content); got != c.want {
			t.Errorf("%s: TitleOf = %.40q, want %.40q", c.name, got, c.want)
		}
	}
}

func BenchmarkTitleOf(b *testing.B) {
	content := interchange(b)
	b.SetBytes(int64(len(content)))
	b.ReportAllocs()
	for b.Loop() {
		models.TitleOf(content)
	}
}
