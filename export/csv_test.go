package export

import (
	"bytes"
	"testing"
)

func TestSafeCell(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"海盐县民政局", "海盐县民政局"},
		{`=HYPERLINK("x")`, `'=HYPERLINK("x")`},
		{"+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"},
		{"-2+3", "'-2+3"},
		{"@SUM(A1)", "'@SUM(A1)"},
		{"\t=1", "'\t=1"},
		{"\r=1", "'\r=1"},
		{"-30", "-30"},
		{"+199", "+199"},
		{"12.85", "12.85"},
		{"-", "'-"},
		{"1.2.3", "1.2.3"},
		{"a=b", "a=b"},
	}
	for _, tt := range tests {
		if got := SafeCell(tt.in); got != tt.want {
			t.Errorf("SafeCell(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestCSVWriter(t *testing.T) {
	var b bytes.Buffer
	if err := WriteBOM(&b); err != nil {
		t.Fatal(err)
	}
	w := NewCSVWriter(&b)
	for _, rec := range [][]string{{"机关", "数量"}, {"=1+1", "-30"}, {"a,\"b\"", "x\x01y"}} {
		if err := w.Write(rec); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	want := "\uFEFF机关,数量\r\n'=1+1,-30\r\n\"a,\"\"b\"\"\",xy\r\n"
	if got := b.String(); got != want {
		t.Errorf("CSV = %q, want %q", got, want)
	}
}
