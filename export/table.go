package export

import (
	"bytes"

	"github.com/xuri/excelize/v2"
)

// TableXLSX writes one sheet with a bold header row and the rows below it, for lists such
// as the supervisor's dashboard. Text cells are passed through SafeCell; numbers stay
// numbers.
func TableXLSX(sheet string, header []string, rows [][]any) ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return nil, err
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Family: "宋体"}})
	if err != nil {
		return nil, err
	}
	hdr := make([]any, len(header))
	for i, h := range header {
		hdr[i] = h
	}
	if err := f.SetSheetRow(sheet, "A1", &hdr); err != nil {
		return nil, err
	}
	last, _ := excelize.CoordinatesToCellName(len(header), 1)
	if err := f.SetCellStyle(sheet, "A1", last, bold); err != nil {
		return nil, err
	}
	for i, row := range rows {
		vals := make([]any, len(row))
		for j, v := range row {
			if s, ok := v.(string); ok {
				v = SafeCell(s)
			}
			vals[j] = v
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := f.SetSheetRow(sheet, cell, &vals); err != nil {
			return nil, err
		}
	}
	if err := f.SetColWidth(sheet, "A", "Z", 16); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
