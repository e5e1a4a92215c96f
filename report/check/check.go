// Package check applies the consistency rules of rules.md (勾稽关系,
// completeness, edition and level rules) to a report.Document. Check needs the
// document alone; CheckWithContext adds the narrative-number rules
// (NARR-R1…R3), and with last year's published report the cross-year rules
// (XY-*) and the copied-content warning (NARR-DUP).
//
// report.Decode refuses rows and blocks of the other edition, negative
// counts and non-numbers, so T2-R0, T3-R0 and the sign rules T2-R1, T3-R4,
// T4-R2 fire only for documents changed in memory: a hand-built Document
// whose tables do not fit its edition (T2-R0, T3-R0; missing cells of a
// fitting table are blanks, reported by T2-R2, T3-R5, T4-R3), or negative
// values stored with Document.Set by the editor.
package check

import (
	"encoding/json"
	"strconv"

	"qianfa/report"
)

// Severity says whether a finding blocks submission.
type Severity string

// Severities of interchange.md.
const (
	Error   Severity = "error"   // blocks submission
	Warning Severity = "warning" // shown, does not block
)

// Finding is one rule violation. Expected and Actual are set on arithmetic
// rules only: Actual is the value found in the checked cell (or side of the
// equation), Expected what the rule requires (a sum, or the bound of an
// inequality).
type Finding struct {
	Rule     string       `json:"rule"`
	Severity Severity     `json:"severity"`
	Cells    []string     `json:"cells"`
	Message  string       `json:"message"`
	Expected *json.Number `json:"expected,omitempty"`
	Actual   *json.Number `json:"actual,omitempty"`
}

// Check applies every rule to d and returns the findings in a fixed order:
// ED-R1, table 二, table 三, table 四, NARR-R4; within a rule, layout order.
// A blank cell is reported once, by its table's blank rule, and any
// equation involving a blank cell is skipped.
func Check(d *report.Document) []Finding {
	var fs []Finding
	fs = checkEdition(d, fs)
	if p := plans[d.Edition]; p != nil {
		c := &checker{d: d, p: p, fs: fs}
		c.table2()
		c.table3()
		c.table4()
		fs = c.fs
	}
	return checkNarrative(d, fs)
}

// HasErrors reports whether any finding is an error.
func HasErrors(fs []Finding) bool {
	for _, f := range fs {
		if f.Severity == Error {
			return true
		}
	}
	return false
}

// Counts returns the number of errors and warnings in fs.
func Counts(fs []Finding) (errors, warnings int) {
	for _, f := range fs {
		if f.Severity == Error {
			errors++
		} else {
			warnings++
		}
	}
	return errors, warnings
}

// checker carries the document, its edition plan and the findings so far.
type checker struct {
	d       *report.Document
	p       *plan
	fs      []Finding
	scratch [32]int // cell positions of the equation at hand, to avoid allocating
}

func (c *checker) add(f Finding) {
	if f.Cells == nil {
		f.Cells = []string{}
	}
	c.fs = append(c.fs, f)
}

// cells returns the paths of the given cells of table t.
func (c *checker) cells(t report.TableID, idx ...int) []string {
	out := make([]string, len(idx))
	for i, x := range idx {
		out[i] = c.p.paths[t][x]
	}
	return out
}

// blanks reports whether any of the cells is blank.
func blanks(vs []report.Value, idx ...int) bool {
	for _, i := range idx {
		if vs[i].IsBlank() {
			return true
		}
	}
	return false
}

// sum adds the integer readings of the cells; ok is false on overflow.
func sum(vs []report.Value, idx ...int) (total int64, ok bool) {
	for _, i := range idx {
		n := vs[i].Int64()
		if (n > 0 && total > maxInt64-n) || (n < 0 && total < minInt64-n) {
			return 0, false
		}
		total += n
	}
	return total, true
}

const (
	maxInt64 = 1<<63 - 1
	minInt64 = -1 << 63
)

func num(n int64) *json.Number {
	x := json.Number(strconv.FormatInt(n, 10))
	return &x
}

// overflow is the finding for an equation whose sum leaves int64.
func overflow(rule string, cells []string, where string) Finding {
	return Finding{Rule: rule, Severity: Error, Cells: cells, Message: where + "：数值过大，无法核对"}
}
