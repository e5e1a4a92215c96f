package check

import (
	"fmt"
	"slices"
	"unicode"

	"qianfa/report"
)

// similaritySections are the narrative sections compared with last year's.
var similaritySections = []struct{ key, name string }{
	{"overview", "一、总体情况"},
	{"problems", "五、存在的主要问题及改进情况"},
	{"other", "六、其他需要报告的事项"},
}

const (
	// minSimilarityRunes: shorter texts ("无。", one standard sentence) are
	// legitimately the same every year.
	minSimilarityRunes = 30
	// duplicatePercent is the share of this year's shingles found in last
	// year's text from which a section counts as copied (内容雷同, 30号).
	duplicatePercent = 90
)

// CheckSimilarity applies NARR-DUP: a narrative section whose text is at
// least 90% contained in the same section of prev, an earlier report of the
// same agency, was probably copied (内容雷同, 国办公开办函〔2021〕30号). The
// measure is the share of this year's character 3-grams that occur in last
// year's text, after dropping whitespace, punctuation and digits, so that
// changed years and figures alone do not hide a copy. Containment rather
// than Jaccard, so that a copy padded with a few new sentences, or cut
// down from last year's text, is still found.
func CheckSimilarity(cur, prev *report.Document) []Finding {
	if cur == nil || prev == nil || prev.Year >= cur.Year {
		return nil
	}
	var fs []Finding
	for _, s := range similaritySections {
		a, _ := cur.Sections.Section(s.key)
		b, _ := prev.Sections.Section(s.key)
		common, total := containment(a, b)
		if total == 0 || common*100 < duplicatePercent*total {
			continue
		}
		path := "sections." + s.key
		fs = append(fs, Finding{Rule: "NARR-DUP", Severity: Warning, Cells: []string{path, PrevPrefix + path},
			Message: fmt.Sprintf("“%s”与%d年报告同一部分的文字相似度为%d%%，可能照搬上年内容（内容雷同），请按本年度实际情况撰写",
				s.name, prev.Year, common*100/total)})
	}
	return fs
}

// Similarity returns the share (0…1) of text's character 3-grams that also
// occur in prev, on normalised text; 0 when either is shorter than 30
// characters after normalisation.
func Similarity(text, prev string) float64 {
	common, total := containment(text, prev)
	if total == 0 {
		return 0
	}
	return float64(common) / float64(total)
}

// containment counts the distinct shingles of a (total) and those also in
// b (common); total is 0 when either text is too short to compare.
func containment(a, b string) (common, total int) {
	sa, sb := shingles(a), shingles(b)
	if sa == nil || sb == nil {
		return 0, 0
	}
	i, j := 0, 0
	for i < len(sa) && j < len(sb) {
		switch {
		case sa[i] == sb[j]:
			common++
			i++
			j++
		case sa[i] < sb[j]:
			i++
		default:
			j++
		}
	}
	return common, len(sa)
}

// shingles returns the sorted distinct 3-grams of the normalised text,
// each packed exactly into a uint64 (a rune needs 21 bits), or nil if the
// normalised text is shorter than minSimilarityRunes.
func shingles(text string) []uint64 {
	rs := make([]rune, 0, len(text)/3+8)
	for _, r := range text {
		if unicode.IsLetter(r) {
			rs = append(rs, r)
		}
	}
	if len(rs) < minSimilarityRunes {
		return nil
	}
	out := make([]uint64, len(rs)-2)
	for i := range out {
		out[i] = uint64(rs[i])<<42 | uint64(rs[i+1])<<21 | uint64(rs[i+2])
	}
	slices.Sort(out)
	return slices.Compact(out)
}
