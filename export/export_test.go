package export

import (
	"strconv"
	"testing"

	"qianfa/report"
	"qianfa/report/reporttest"
)

// fixtures are the documents every export test runs on: the two test
// reports, and a copy of each whose cells all differ, so that a number
// printed in the wrong cell cannot go unnoticed among the zeros.
var fixtures = []string{"seed-2020.json", "clean-2021.json", "distinct-2020", "distinct-2021"}

func load(t testing.TB, name string) *report.Document {
	t.Helper()
	switch name {
	case "distinct-2020":
		return distinct(t, load(t, "seed-2020.json"))
	case "distinct-2021":
		return distinct(t, load(t, "clean-2021.json"))
	}
	return reporttest.Load(t, name)
}

// distinct gives every cell of d its own value: counts i+1, changes
// alternately signed, amounts with decimals, and every seventh cell blank.
func distinct(t testing.TB, d *report.Document) *report.Document {
	t.Helper()
	d = d.Clone()
	for i, ref := range d.Layout().Cells {
		v := report.Int(int64(i + 1))
		switch {
		case i%7 == 6:
			v = report.Blank()
		case ref.Kind == report.KindChange && i%2 == 0:
			v = report.Int(int64(-i - 1))
		case ref.Kind == report.KindAmountYuan || ref.Kind == report.KindAmountWanYuan:
			v = number(t, strconv.Itoa(i+1)+".375")
		}
		if err := d.Set(ref.Path, v); err != nil {
			t.Fatal(err)
		}
	}
	return d
}

func number(t testing.TB, s string) report.Value {
	t.Helper()
	v, err := report.ParseNumber(s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// position is where the official layout (format.md §2) prints a cell,
// as zero-based row and column within its table. It is worked out here
// from the format, independently of the exporters' grid.
func position(l *report.Layout, ref report.CellRef) (row, col int) {
	switch ref.Table {
	case report.T2:
		for _, b := range l.Tables[report.T2].Blocks[:ref.Block] {
			row += 2 + len(b.Rows) // block label, column labels, data rows
		}
		return row + 2 + ref.Row, 1 + ref.Column
	case report.T3:
		return 3 + ref.Row, 3 + ref.Column // three header rows, three label columns
	}
	return 3, ref.Row*5 + ref.Column // table 四: one data row of 3×5 columns
}

// printed is how a cell reads in the Word table: as written, with the sign
// of a positive 本年增/减.
func printed(v report.Value, k report.Kind) string {
	if k == report.KindChange && v.Int64() > 0 {
		return "+" + v.String()
	}
	return v.String()
}

func TestGridsCoverEveryPositionOnce(t *testing.T) {
	for _, name := range fixtures[:2] {
		gs, err := grids(load(t, name))
		if err != nil {
			t.Fatal(err)
		}
		for _, g := range gs {
			seen := make([][]int, g.Rows)
			for r := range seen {
				seen[r] = make([]int, g.Cols)
			}
			for _, c := range g.Cells {
				for r := c.Row; r < c.Row+c.RowSpan; r++ {
					for k := c.Col; k < c.Col+c.ColSpan; k++ {
						seen[r][k]++
					}
				}
			}
			for r := range seen {
				for k, n := range seen[r] {
					if n != 1 {
						t.Errorf("%s %s: position (%d,%d) covered %d times", name, g.Heading, r, k, n)
					}
				}
			}
			if len(g.Widths) != g.Cols {
				t.Errorf("%s %s: %d widths for %d columns", name, g.Heading, len(g.Widths), g.Cols)
			}
		}
	}
}

func TestRefusesUnknownEdition(t *testing.T) {
	d := load(t, "seed-2020.json")
	d.Edition = "2030"
	if _, err := XLSX(d); err == nil {
		t.Error("XLSX accepted an unknown edition")
	}
	if _, err := DOCX(d); err == nil {
		t.Error("DOCX accepted an unknown edition")
	}
}
