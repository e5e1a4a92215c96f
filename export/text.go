package export

import (
	"fmt"
	"strings"
)

// xmlChar reports whether r may appear in an XML 1.0 document.
func xmlChar(r rune) bool {
	switch {
	case r == '\t' || r == '\n' || r == '\r':
		return true
	case r >= 0x20 && r <= 0xD7FF:
		return true
	case r >= 0xE000 && r <= 0xFFFD:
		return true
	}
	return r >= 0x10000 && r <= 0x10FFFF
}

// cleanText drops the characters XML 1.0 forbids (C0 controls other than
// tab and newlines, U+FFFE/U+FFFF), which user text may carry from a paste.
func cleanText(s string) string {
	if strings.IndexFunc(s, func(r rune) bool { return !xmlChar(r) }) < 0 {
		return s
	}
	return strings.Map(func(r rune) rune {
		if xmlChar(r) {
			return r
		}
		return -1
	}, s)
}

// oneLine cleans s and turns its line breaks and tabs into spaces, for
// titles and other single-line fields.
func oneLine(s string) string {
	return strings.Join(strings.Fields(cleanText(s)), " ")
}

// paragraphs splits narrative text on newlines, dropping blank lines.
func paragraphs(text string) []string {
	var ps []string
	for _, p := range strings.Split(cleanText(text), "\n") {
		if p = strings.TrimSpace(p); p != "" {
			ps = append(ps, p)
		}
	}
	return ps
}

// documentTitle is the report's title, or the one render prints for a
// report without one.
func documentTitle(agency string, year int, title string) string {
	if t := oneLine(title); t != "" {
		return t
	}
	return oneLine(fmt.Sprintf("%s%d年度政府信息公开工作年度报告", agency, year))
}
