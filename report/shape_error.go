package report

import "strings"

// Problem is one reason a document does not fit qianfa.report/1.
type Problem struct {
	Path    string `json:"path"`    // e.g. "t3.r3_6_other", "" for the whole document
	Message string `json:"message"` // Chinese, for people
}

// ShapeError lists every problem Decode found.
type ShapeError struct {
	Problems []Problem
}

// Error lists the problems, one per line after the summary.
func (e *ShapeError) Error() string {
	var b strings.Builder
	b.WriteString("文档不符合 qianfa.report/1 格式：")
	for _, p := range e.Problems {
		b.WriteString("\n")
		if p.Path != "" {
			b.WriteString(p.Path)
			b.WriteString("：")
		}
		b.WriteString(p.Message)
	}
	return b.String()
}
