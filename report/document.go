package report

import (
	"encoding/json"
	"fmt"
)

type jsonNumber = json.Number

// Agency is the reporting agency.
type Agency struct {
	Name  string
	Level string // one of Levels
}

// Sections holds the narrative, plain text with paragraphs separated by \n.
type Sections struct {
	Overview      string // 一、总体情况
	ProactiveNote string // optional text shown with table 二
	RequestsNote  string // optional text shown with table 三
	ReviewsNote   string // optional text shown with table 四
	Problems      string // 五、存在的主要问题及改进情况
	Other         string // 六、其他需要报告的事项
}

// SectionKeys lists the section keys in document order.
var SectionKeys = []string{"overview", "proactive_note", "requests_note", "reviews_note", "problems", "other"}

// Section returns the text of section key and whether key is known.
func (s *Sections) Section(key string) (string, bool) {
	p := s.field(key)
	if p == nil {
		return "", false
	}
	return *p, true
}

// SetSection replaces the text of section key and reports whether key is known.
func (s *Sections) SetSection(key, text string) bool {
	p := s.field(key)
	if p != nil {
		*p = text
	}
	return p != nil
}

func (s *Sections) field(key string) *string {
	switch key {
	case "overview":
		return &s.Overview
	case "proactive_note":
		return &s.ProactiveNote
	case "requests_note":
		return &s.RequestsNote
	case "reviews_note":
		return &s.ReviewsNote
	case "problems":
		return &s.Problems
	case "other":
		return &s.Other
	}
	return nil
}

// Document is one report. Its cells are held per table in layout order;
// a Document built by New or Decode always fits its edition's layout.
type Document struct {
	Edition  Edition
	Year     int
	Agency   Agency
	Title    string
	Sections Sections
	cells    [NumTables][]Value
}

// New returns a blank draft of edition ed.
func New(ed Edition, year int, agencyName, level string) *Document {
	d := &Document{Edition: ed, Year: year, Agency: Agency{Name: agencyName, Level: level}}
	if l := LayoutFor(ed); l != nil {
		for t := range l.Tables {
			d.cells[t] = make([]Value, l.Tables[t].Size)
		}
	}
	return d
}

// Layout returns the layout of the document's edition (nil if unknown).
func (d *Document) Layout() *Layout { return LayoutFor(d.Edition) }

// Cells returns the cells of table t in layout order. The slice is the
// document's own storage: callers must not modify it. Its length differs
// from the layout's table size only for a hand-built or altered document.
func (d *Document) Cells(t TableID) []Value { return d.cells[t] }

// Fits reports whether table t holds exactly the cells of the edition's layout.
func (d *Document) Fits(t TableID) bool {
	l := d.Layout()
	return l != nil && len(d.cells[t]) == l.Tables[t].Size
}

// Value returns the cell at path; ok is false for an unknown path.
func (d *Document) Value(path string) (Value, bool) {
	l := d.Layout()
	if l == nil {
		return Value{}, false
	}
	ref, ok := l.Lookup(path)
	if !ok || ref.Index >= len(d.cells[ref.Table]) {
		return Value{}, false
	}
	return d.cells[ref.Table][ref.Index], true
}

// Set stores v at path. Integer columns refuse decimals; the sign is not
// checked here because rules T2-R1, T3-R4 and T4-R2 report it.
func (d *Document) Set(path string, v Value) error {
	l := d.Layout()
	if l == nil {
		return fmt.Errorf("设置 %s：未知版本 %q", path, d.Edition)
	}
	ref, ok := l.Lookup(path)
	if !ok {
		return fmt.Errorf("设置 %s：%s年版格式没有这个单元格", path, d.Edition)
	}
	if ref.Index >= len(d.cells[ref.Table]) {
		return fmt.Errorf("设置 %s：表格与版本不符", path)
	}
	if !v.IsBlank() && ref.Kind.Integral() && !v.IsInteger() {
		return fmt.Errorf("设置 %s：%s 须为整数", path, v.text)
	}
	d.cells[ref.Table][ref.Index] = v
	return nil
}

// Paths returns every cell path of the document's edition, in layout order.
func (d *Document) Paths() []string {
	l := d.Layout()
	if l == nil {
		return nil
	}
	paths := make([]string, len(l.Cells))
	for i, c := range l.Cells {
		paths[i] = c.Path
	}
	return paths
}

// Clone returns a deep copy of d.
func (d *Document) Clone() *Document {
	c := *d
	for t := range d.cells {
		if d.cells[t] != nil {
			c.cells[t] = append([]Value(nil), d.cells[t]...)
		}
	}
	return &c
}
