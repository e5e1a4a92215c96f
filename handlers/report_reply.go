package handlers

import (
	"encoding/json"

	"github.com/labstack/echo/v4"
)

// replyReport answers v with its content spliced in as stored. The stored
// content is JSON the server encoded itself (report.Document.Compact, or
// Encode before), so it is written byte for byte: encoding/json would
// re-validate and re-format every byte of it on every answer, a seventh of
// a transition's CPU on the server (BENCHMARKS.md, fix 28).
func replyReport(c echo.Context, status int, v reportView) error {
	content := v.Content
	v.Content = nil // omitempty: marshalled without it
	head, err := json.Marshal(v)
	if err != nil {
		return err
	}
	if len(content) == 0 {
		return c.JSONBlob(status, head)
	}
	out := make([]byte, 0, len(head)+len(`,"content":`)+len(content))
	out = append(out, head[:len(head)-1]...) // without the closing brace
	out = append(out, `,"content":`...)
	out = append(out, content...)
	out = append(out, '}')
	return c.JSONBlob(status, out)
}
