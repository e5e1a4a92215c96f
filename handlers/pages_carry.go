package handlers

import (
	"net/url"
	"strings"

	"qianfa/report"
	"qianfa/report/check"
)

// carryReasonPrefix names the editor's reason fields: carry_reason.<cell path>.
const carryReasonPrefix = "carry_reason."

// cellCarry is what the editor shows on a cell carried over from last year: the carried
// value, whether the drafter changed it, and the reason asked for when they did.
type cellCarry struct {
	Value         string
	Note          string // 「上年结转：N」
	Changed       bool
	Reason        string
	ReasonMissing bool
}

// carriedSummary counts the carried cells of a draft, for the line above the editor.
type carriedSummary struct {
	FromYear, Cells, Changed int
}

// carriedOverride is one carried cell whose value was changed, as reviewers see it.
type carriedOverride struct {
	Label, Carried, Current, Reason string
}

// carryReasons reads the reason fields of the editor's form.
func carryReasons(form url.Values) map[string]string {
	out := map[string]string{}
	for name, v := range form {
		if path, ok := strings.CutPrefix(name, carryReasonPrefix); ok && len(v) > 0 {
			out[path] = v[0]
		}
	}
	return out
}

// markCarried marks the carried cells of the editor's grid; reasons typed in this request
// win over the stored ones, and missing names the changed cells still without a reason.
func markCarried(parts []editorPart, v *carriedView, reasons map[string]string, missing map[string]bool) *carriedSummary {
	if v == nil {
		return nil
	}
	sum := &carriedSummary{FromYear: v.FromYear, Cells: len(v.Cells)}
	for pi := range parts {
		if parts[pi].Table == nil {
			continue
		}
		for _, b := range parts[pi].Table.Blocks {
			for _, r := range b.Rows {
				for ci := range r.Cells {
					cell := &r.Cells[ci]
					cv, ok := v.Cells[cell.Path]
					if !ok {
						continue
					}
					val := carriedText(cv.Value)
					cc := &cellCarry{Value: val, Note: carryNote(val), Changed: cv.Overridden, Reason: cv.Reason, ReasonMissing: missing[cell.Path]}
					if typed, ok := reasons[cell.Path]; ok {
						cc.Reason = typed
					}
					if cc.Changed {
						sum.Changed++
					}
					cell.Carry = cc
				}
			}
		}
	}
	return sum
}

// carriedText shows a carried JSON value as the editor shows numbers; "" for a blank.
func carriedText(v any) string {
	if v == nil {
		return ""
	}
	return strings.Trim(jsonText(v), `"`)
}

// carriedOverrides lists, in layout order, the carried cells whose value now differs.
func carriedOverrides(text string, doc *report.Document) (int, []carriedOverride) {
	v := viewCarried(text, doc)
	if v == nil {
		return 0, nil
	}
	l := doc.Layout()
	var out []carriedOverride
	for _, ref := range l.Cells {
		cv, ok := v.Cells[ref.Path]
		if !ok || !cv.Overridden {
			continue
		}
		out = append(out, carriedOverride{Label: cellLabel(l, ref), Carried: blankText(carriedText(cv.Value)),
			Current: blankText(carriedText(cv.Current)), Reason: cv.Reason})
	}
	return v.FromYear, out
}

func blankText(s string) string {
	if s == "" {
		return "（空）"
	}
	return s
}

// problemPaths are the paths a validation error names.
func problemPaths(err error) map[string]bool {
	out := map[string]bool{}
	for _, d := range domainError(err).Details {
		if p, ok := d.(problemDetail); ok {
			out[p.Path] = true
		}
	}
	return out
}

// ownCell is the first cell of a finding that belongs to this report (cross-year
// findings also name last year's cells), "" when there is none.
func ownCell(cells []string) string {
	for _, c := range cells {
		if !strings.HasPrefix(c, check.PrevPrefix) {
			return c
		}
	}
	return ""
}

// carryNote is the text that describes a carried cell to screen readers and on screen.
func carryNote(value string) string {
	return "上年结转：" + blankText(value)
}
