package export

import (
	"encoding/csv"
	"io"
)

// SafeCell neutralises text that a spreadsheet would run as a formula: a
// value starting with =, +, -, @, tab or carriage return gets a leading
// apostrophe (the OWASP CSV-injection advice). A plain decimal number such
// as -30 or +2.5 is left alone so that it stays a number.
func SafeCell(s string) string {
	if s == "" || plainNumber(s) {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	return s
}

// plainNumber reports whether s is an optional sign followed by digits with
// at most one decimal point, e.g. -30, +199, 12.50.
func plainNumber(s string) bool {
	if s[0] == '-' || s[0] == '+' {
		s = s[1:]
	}
	digits, dots := 0, 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
			digits++
		case c == '.' && dots == 0:
			dots++
		default:
			return false
		}
	}
	return digits > 0
}

// CSVWriter writes CSV records with every field passed through SafeCell.
type CSVWriter struct {
	w *csv.Writer
}

// NewCSVWriter returns a writer to w using CRLF line endings, which
// spreadsheet programs expect.
func NewCSVWriter(w io.Writer) *CSVWriter {
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	return &CSVWriter{w: cw}
}

// WriteBOM writes the UTF-8 byte order mark, without which Excel reads a
// Chinese CSV file as the local code page. Call it before any record.
func WriteBOM(w io.Writer) error {
	_, err := io.WriteString(w, "\uFEFF")
	return err
}

// Write writes one record, neutralising each field.
func (c *CSVWriter) Write(record []string) error {
	safe := make([]string, len(record))
	for i, f := range record {
		safe[i] = SafeCell(cleanText(f))
	}
	return c.w.Write(safe)
}

// Flush writes buffered data and returns any write error.
func (c *CSVWriter) Flush() error {
	c.w.Flush()
	return c.w.Error()
}
