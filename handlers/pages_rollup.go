package handlers

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"qianfa/models"
	"qianfa/report"
	"qianfa/rollup"
	"qianfa/workflow"
)

// rollupCell is one combined cell: the total, and who contributed what.
type rollupCell struct {
	ID, Label, Total string
	Blanks           int
	Contributions    []rollup.Contribution
}

type rollupRow struct {
	Label string
	Cells []rollupCell
}

type rollupBlock struct {
	Label   string
	Columns []string
	Rows    []rollupRow
}

type rollupTable struct {
	Key, Name, Title string
	Blocks           []rollupBlock
}

type rollupBody struct {
	Office    string
	Year      int
	Years     []int
	Source    string
	Sources   int
	Skipped   []string
	Tables    []rollupTable
	CanCreate bool
}

func (s *Server) rollupPage(c echo.Context) error {
	office, err := s.office(c)
	if err != nil {
		return err
	}
	year, err := s.reportYear(c)
	if err != nil {
		return err
	}
	source := c.QueryParam("source")
	if source == "" {
		source = "published"
	}
	sources, err := s.rollupSources(c.Request().Context(), office, year, source)
	if err != nil {
		return err
	}
	res := rollup.Combine(year, sources)
	u := currentUser(c)
	b := rollupBody{Office: office.Name, Year: year, Years: s.reportYears(), Source: source, Sources: res.Sources,
		Skipped: res.Skipped, Tables: rollupTables(res),
		CanCreate: office.ID == u.AgencyID && (u.Roles.Has(workflow.RoleSupervisor) || u.Roles.Has(workflow.RoleDrafter))}
	return s.render(c, http.StatusOK, "rollup", strconv.Itoa(year)+"年度全区汇总", b)
}

// rollupTables lays the combined cells out as tables 二、三、四 of the edition.
func rollupTables(res rollup.Result) []rollupTable {
	l := report.LayoutFor(res.Edition)
	byPath := make(map[string]rollup.Cell, len(res.Cells))
	for _, c := range res.Cells {
		byPath[c.Path] = c
	}
	var out []rollupTable
	for ti := range l.Tables {
		lt := &l.Tables[ti]
		t := rollupTable{Key: lt.Key, Name: tableNames[lt.ID], Title: lt.Title}
		for bi := range lt.Blocks {
			t.Blocks = append(t.Blocks, rollupBlockOf(l, lt, &lt.Blocks[bi], byPath))
		}
		out = append(out, t)
	}
	return out
}

func rollupBlockOf(l *report.Layout, lt *report.Table, b *report.Block, byPath map[string]rollup.Cell) rollupBlock {
	rb := rollupBlock{Label: b.Label}
	for _, c := range b.Columns {
		rb.Columns = append(rb.Columns, strings.TrimSpace(c.Group+" "+c.Label))
	}
	for _, r := range b.Rows {
		row := rollupRow{Label: strings.TrimSpace(r.Group + " " + r.Label)}
		for _, col := range b.Columns {
			path := report.CellPath(lt.Key, b.Key, r.Key, col.Key)
			ref, _ := l.Lookup(path)
			cell := byPath[path]
			rc := rollupCell{ID: cellID(path), Label: cellLabel(l, ref), Blanks: cell.Blanks, Contributions: cell.Contributions}
			if cell.Total != nil {
				rc.Total = fmt.Sprint(cell.Total)
			}
			row.Cells = append(row.Cells, rc)
		}
		rb.Rows = append(rb.Rows, row)
	}
	return rb
}

// rollupReportSubmit starts the government's own report from the combined tables, as the
// API's rollup/report does, and opens it.
func (s *Server) rollupReportSubmit(c echo.Context) error {
	u := currentUser(c)
	year, _ := strconv.Atoi(c.FormValue("year"))
	source := c.FormValue("source")
	back := "/rollup?year=" + strconv.Itoa(year) + "&source=" + source
	if !u.Roles.Has(workflow.RoleSupervisor) && !u.Roles.Has(workflow.RoleDrafter) {
		return workflow.ErrForbidden("只有政务公开办或其经办人可以生成本级政府年度报告")
	}
	ctx := c.Request().Context()
	office, err := s.store.AgencyByID(ctx, u.AgencyID)
	if err != nil {
		return err
	}
	ed, err := s.editionFor(year, "")
	if err != nil {
		return s.redirectFlash(c, "/rollup", "年度无效")
	}
	sources, err := s.rollupSources(ctx, office, year, source)
	if err != nil {
		return err
	}
	doc := report.New(ed, year, office.Name, agencyLevel(office))
	doc.Title = reportTitle(office.Name, year, models.KindGovernment)
	if err := rollup.Apply(doc, rollup.Combine(year, sources)); err != nil {
		return workflow.ErrInternal(err)
	}
	r, err := s.createDraft(c, u, office, models.KindGovernment, doc, "")
	if workflow.KindOf(err) == workflow.KindConflict {
		return s.redirectFlash(c, back, "本级政府"+strconv.Itoa(year)+"年度报告已存在")
	} else if err != nil {
		return err
	}
	return s.redirectFlash(c, "/reports/"+itoa64(r.ID)+"/edit", "已根据汇总表新建本级政府"+strconv.Itoa(year)+"年度报告草稿")
}
