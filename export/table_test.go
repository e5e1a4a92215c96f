package export

import (
	"bytes"
	"testing"

	"github.com/xuri/excelize/v2"
)

func TestTableXLSX(t *testing.T) {
	b, err := TableXLSX("进度", []string{"单位", "剩余工作日"}, [][]any{{"=1+1 局", 5}, {"海盐县民政局", -2}})
	if err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := f.GetRows("进度")
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{{"单位", "剩余工作日"}, {"'=1+1 局", "5"}, {"海盐县民政局", "-2"}}
	for i := range want {
		for j := range want[i] {
			if rows[i][j] != want[i][j] {
				t.Fatalf("cell %d,%d = %q, want %q", i, j, rows[i][j], want[i][j])
			}
		}
	}
	if typ, _ := f.GetCellType("进度", "B3"); typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset {
		t.Fatalf("B3 type %v, want a number", typ)
	}
	if fm, _ := f.GetCellFormula("进度", "A2"); fm != "" {
		t.Fatalf("A2 has formula %q", fm)
	}
}
