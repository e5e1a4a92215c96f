package handlers

import (
	"context"
	"encoding/json"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"qianfa/models"
	"qianfa/report"
	"qianfa/report/carry"
	"qianfa/workflow"
)

// carriedRecord is what reports.carried stores: the values a draft started with from
// last year's published report, and the reason for every one the drafter changed.
type carriedRecord struct {
	FromYear int                    `json:"from_year"`
	Cells    map[string]carriedCell `json:"cells"`
}

type carriedCell struct {
	Value  any    `json:"value"`
	Reason string `json:"reason,omitempty"`
}

// carriedView is the record as the API shows it, with each cell marked overridden when
// its value now differs from the carried one.
type carriedView struct {
	FromYear int                        `json:"from_year"`
	Cells    map[string]carriedCellView `json:"cells"`
}

type carriedCellView struct {
	Value      any    `json:"value"`
	Current    any    `json:"current"`
	Overridden bool   `json:"overridden"`
	Reason     string `json:"reason,omitempty"`
}

// startFromPrevious builds a new draft pre-filled from the agency's previous published
// report, with the record of what was carried.
func (s *Server) startFromPrevious(ctx context.Context, ag *models.Agency, year int, kind string) (*report.Document, string, error) {
	prev := s.previousPublished(ctx, ag.ID, year, kind)
	if prev == nil {
		return nil, "", workflow.ErrValidation("没有可以结转的上一年度报告", []any{problemDetail{Path: "from_previous",
			Message: strconv.Itoa(year-1) + "年度报告尚未在本系统公开，无法从上年结转"}})
	}
	doc, paths := carry.FromPrevious(prev, year, ag.Name, agencyLevel(ag))
	rec := carriedRecord{FromYear: prev.Year, Cells: map[string]carriedCell{}}
	for _, p := range paths {
		v, _ := doc.Value(p)
		rec.Cells[p] = carriedCell{Value: v.JSON()}
	}
	b, err := json.Marshal(rec)
	if err != nil {
		return nil, "", workflow.ErrInternal(err)
	}
	return doc, string(b), nil
}

func parseCarried(text string) (*carriedRecord, error) {
	if text == "" {
		return nil, nil
	}
	var rec carriedRecord
	if err := json.Unmarshal([]byte(text), &rec); err != nil {
		return nil, workflow.ErrInternal(err)
	}
	return &rec, nil
}

// reconcileCarried checks a save against the carried values: every carried cell whose
// value changed needs a reason (from this request or given before). It returns the
// record to store, or 422 naming each changed cell without a reason.
func reconcileCarried(text string, doc *report.Document, reasons map[string]string) (string, error) {
	rec, err := parseCarried(text)
	if err != nil || rec == nil {
		return text, err
	}
	var problems []any
	for _, path := range sortedKeys(rec.Cells) {
		c := rec.Cells[path]
		if r, ok := reasons[path]; ok {
			c.Reason = strings.TrimSpace(r)
		}
		if utf8.RuneCountInString(c.Reason) > 500 {
			problems = append(problems, problemDetail{Path: path, Message: "修改说明不超过 500 个字符"})
		}
		if overridden(c, doc, path) && c.Reason == "" {
			problems = append(problems, problemDetail{Path: path,
				Message: "该单元格由上年报告结转（" + jsonText(c.Value) + "），修改后须说明原因"})
		}
		rec.Cells[path] = c
	}
	if problems != nil {
		return "", workflow.ErrValidation("修改了上年结转的数值，请说明原因", problems)
	}
	b, err := json.Marshal(rec)
	if err != nil {
		return "", workflow.ErrInternal(err)
	}
	return string(b), nil
}

func overridden(c carriedCell, doc *report.Document, path string) bool {
	v, _ := doc.Value(path)
	return jsonText(v.JSON()) != jsonText(c.Value)
}

// viewCarried shows the record against the current content.
func viewCarried(text string, doc *report.Document) *carriedView {
	rec, err := parseCarried(text)
	if err != nil || rec == nil || doc == nil {
		return nil
	}
	v := &carriedView{FromYear: rec.FromYear, Cells: map[string]carriedCellView{}}
	for path, c := range rec.Cells {
		cur, _ := doc.Value(path)
		v.Cells[path] = carriedCellView{Value: c.Value, Current: cur.JSON(), Overridden: overridden(c, doc, path), Reason: c.Reason}
	}
	return v
}

func jsonText(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
