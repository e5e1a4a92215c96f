// Package rollup combines the tables of a region's agency reports into the starting point of
// the government's own report: table 三 and 四 summed cell by cell, and table 二 where its
// quantities add up, with each agency's contribution to every cell.
package rollup

import (
	"encoding/json"
	"fmt"
	"math/big"
	"strings"

	"qianfa/report"
)

// Source is one agency's report taking part in the roll-up.
type Source struct {
	AgencyID int64
	Agency   string
	Doc      *report.Document
}

// Contribution is one agency's value in a combined cell.
type Contribution struct {
	AgencyID int64  `json:"agency_id"`
	Agency   string `json:"agency"`
	Value    any    `json:"value"`
}

// Cell is one combined cell: the total and who contributed what. Blanks counts the
// sources whose cell was blank (the total is then a lower bound).
type Cell struct {
	Path          string         `json:"path"`
	Total         any            `json:"total"`
	Blanks        int            `json:"blanks"`
	Contributions []Contribution `json:"contributions"`
}

// Result is the combined tables of one edition and year.
type Result struct {
	Edition report.Edition `json:"edition"`
	Year    int            `json:"year"`
	Sources int            `json:"sources"`
	Cells   []Cell         `json:"cells"`
	// Skipped names the sources left out because their edition or year differs.
	Skipped []string `json:"skipped"`
}

// Combine sums every cell of the sources of year (edition from the year), in layout
// order. A source of another year or edition is skipped and named in Skipped.
func Combine(year int, sources []Source) Result {
	ed := report.EditionForYear(year)
	res := Result{Edition: ed, Year: year, Cells: []Cell{}, Skipped: []string{}}
	var used []Source
	for _, s := range sources {
		if s.Doc == nil || s.Doc.Year != year || s.Doc.Edition != ed {
			res.Skipped = append(res.Skipped, s.Agency)
			continue
		}
		used = append(used, s)
	}
	res.Sources = len(used)
	for _, ref := range report.LayoutFor(ed).Cells {
		res.Cells = append(res.Cells, combineCell(ref.Path, used))
	}
	return res
}

func combineCell(path string, sources []Source) Cell {
	c := Cell{Path: path, Contributions: []Contribution{}}
	sum := new(big.Rat)
	decimals, any := 0, false
	for _, s := range sources {
		v, _ := s.Doc.Value(path)
		if v.IsBlank() {
			c.Blanks++
			continue
		}
		r, ok := new(big.Rat).SetString(v.String())
		if !ok {
			continue
		}
		sum.Add(sum, r)
		any = true
		if _, frac, found := strings.Cut(v.String(), "."); found && len(frac) > decimals {
			decimals = len(frac)
		}
		c.Contributions = append(c.Contributions, Contribution{AgencyID: s.AgencyID, Agency: s.Agency, Value: v.JSON()})
	}
	if any {
		c.Total = total(sum, decimals)
	}
	return c
}

// total keeps integers as integers and decimals exact to the most precise input, so
// 万元 amounts such as 12.85 + 0.125 give 12.975, not a float approximation.
func total(sum *big.Rat, decimals int) any {
	if decimals == 0 && sum.IsInt() {
		return sum.Num().Int64()
	}
	return json.Number(sum.FloatString(decimals))
}

// Apply writes the totals into d (a blank draft of the same edition), for the government
// report that starts from the roll-up.
func Apply(d *report.Document, res Result) error {
	for _, c := range res.Cells {
		if c.Total == nil {
			continue
		}
		v, err := report.ParseNumber(fmt.Sprint(c.Total))
		if err != nil {
			return fmt.Errorf("rollup %s: %w", c.Path, err)
		}
		if err := d.Set(c.Path, v); err != nil {
			return err
		}
	}
	return nil
}
