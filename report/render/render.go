// Package render prints a report in the official layout of format.md §2 as
// HTML: Fragment for embedding in pages, Page for a standalone document
// with an A4 print stylesheet. Every number cell carries data-path.
package render

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io"

	"qianfa/report"
)

//go:embed templates
var files embed.FS

var (
	templates = template.Must(template.ParseFS(files, "templates/*.tmpl"))
	css       = mustRead("templates/report.css")
)

func mustRead(name string) template.CSS {
	b, err := files.ReadFile(name)
	if err != nil {
		panic(err)
	}
	return template.CSS(b) // our own embedded stylesheet, trusted
}

// PageOptions adjusts a standalone page.
type PageOptions struct {
	Title  string // the <title>; the report's title when empty
	Banner string // a line shown above the report on screen, e.g. "草稿，未发布"; hidden in print
}

// Fragment returns the report body (title, six sections, tables) for
// embedding in another page.
func Fragment(d *report.Document) (template.HTML, error) {
	v, err := newView(d)
	if err != nil {
		return "", err
	}
	var b bytes.Buffer
	b.Grow(64 << 10)
	if err := templates.ExecuteTemplate(&b, "report", v); err != nil {
		return "", fmt.Errorf("渲染报告：%w", err)
	}
	return template.HTML(b.String()), nil // produced by html/template, escaped
}

// Page writes a complete zh-CN HTML document with embedded screen and A4
// print CSS; it loads no external resources and runs no scripts.
func Page(w io.Writer, d *report.Document, opts PageOptions) error {
	v, err := newView(d)
	if err != nil {
		return err
	}
	title := opts.Title
	if title == "" {
		title = v.Title
	}
	data := struct {
		PageTitle, Banner string
		CSS               template.CSS
		Report            *view
	}{title, opts.Banner, css, v}
	if err := templates.ExecuteTemplate(w, "page", data); err != nil {
		return fmt.Errorf("渲染报告页面：%w", err)
	}
	return nil
}
