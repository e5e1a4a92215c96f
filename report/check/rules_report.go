package check

import (
	"fmt"
	"strings"

	"qianfa/report"
)

var editionDocs = map[report.Edition]string{
	report.Edition2019: "2019年版（国办公开办函〔2019〕60号）",
	report.Edition2021: "2021年版（国办公开办函〔2021〕30号）",
}

// checkEdition is ED-R1: year ≤ 2020 uses the 2019 edition, later years 2021.
func checkEdition(d *report.Document, fs []Finding) []Finding {
	want := report.EditionForYear(d.Year)
	if d.Edition == want {
		return fs
	}
	msg := fmt.Sprintf("%d年度报告应使用%s格式，", d.Year, editionDocs[want])
	if d.Edition.Valid() {
		msg += fmt.Sprintf("实际为%s", editionDocs[d.Edition])
	} else {
		msg += fmt.Sprintf("实际版本 %q 未知", d.Edition)
	}
	return append(fs, Finding{Rule: "ED-R1", Severity: Error, Cells: []string{"edition", "year"}, Message: msg})
}

var requiredSections = []struct{ key, heading string }{
	{"overview", "一、总体情况"},
	{"problems", "五、存在的主要问题及改进情况"},
	{"other", "六、其他需要报告的事项"},
}

// checkNarrative is NARR-R4 for the sections that must have text; the
// notes shown with the tables are optional.
func checkNarrative(d *report.Document, fs []Finding) []Finding {
	for _, s := range requiredSections {
		text, _ := d.Sections.Section(s.key)
		if strings.TrimSpace(text) == "" {
			fs = append(fs, Finding{Rule: "NARR-R4", Severity: Error, Cells: []string{"sections." + s.key},
				Message: fmt.Sprintf("“%s”部分为空（无内容时请写“无。”）", s.heading)})
		}
	}
	return fs
}
