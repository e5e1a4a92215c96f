package check

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"unicode/utf8"

	"qianfa/report"
)

// narrativeSections are the texts that quote table figures, with the
// heading used in messages.
var narrativeSections = []struct{ key, name string }{
	{"overview", "一、总体情况"},
	{"requests_note", "表三说明"},
	{"reviews_note", "表四说明"},
}

// quoteNum matches a count written with Arabic (half- or full-width) or
// Chinese digits.
const quoteNum = `([0-9０-９]+|[零〇一二两三四五六七八九十百千]+)`

// claim is one phrasing that quotes a table figure. The number must follow
// the phrase directly (only fixed filler words between), which keeps
// 主动公开政府信息501条, dates, phone numbers and 文号 out.
type claim struct {
	rule     string
	re       *regexp.Regexp
	notAfter string   // runes that must not precede the match (不予以公开, 未办结)
	what     string   // the table figure, as named in messages
	rows     []string // table 三 row keys (total column) or table 四 cells
	prefix   bool     // rows are prefixes of table 三 row keys
}

func claimRe(phrase, unit string) *regexp.Regexp {
	return regexp.MustCompile(phrase + `(?:的)?(?:申请|案件)?(?:件数|数量|数)?(?:共|共计|合计|总计|为)?` + quoteNum + unit)
}

const (
	appliedPhrase = `(?:政府信息公开申请|信息公开申请|依申请公开政府信息(?:的)?申请|依申请公开(?:的)?申请|依申请公开|申请)`
	appliedFiller = `(?:政府信息公开|信息公开|依申请公开政府信息(?:的)?|依申请公开(?:的)?)`
	countUnit     = `件`
	caseUnit      = `(?:件|起)`
)

// claims are tried in order; a later claim may not reuse text an earlier
// one matched (予以公开及部分公开 is not read as 部分公开).
var claims = []claim{
	{rule: "NARR-R1", re: claimRe(`予以公开(?:及|和|与|、)部分公开`, countUnit), what: "表三“（一）予以公开”与“（二）部分公开”总计之和",
		rows: []string{"r3_1_disclosed", "r3_2_partially_disclosed"}},
	{rule: "NARR-R1", re: claimRe(`(?:收到|新收|受理|接收|接到)了?(?:各类)?`+appliedPhrase, countUnit),
		what: "表三“一、本年新收政府信息公开申请数量”总计", rows: []string{"r1_new_received"}},
	{rule: "NARR-R1", re: claimRe(`上一?年度?结转`, countUnit), what: "表三“二、上年结转政府信息公开申请数量”总计",
		rows: []string{"r2_carried_over_in"}},
	{rule: "NARR-R1", re: claimRe(`予以公开`, countUnit), notAfter: "不", what: "表三“（一）予以公开”总计",
		rows: []string{"r3_1_disclosed"}},
	{rule: "NARR-R1", re: claimRe(`部分公开`, countUnit), what: "表三“（二）部分公开”总计",
		rows: []string{"r3_2_partially_disclosed"}},
	{rule: "NARR-R1", re: claimRe(`不予公开`, countUnit), what: "表三“（三）不予公开”各项总计之和",
		rows: []string{"r3_3_"}, prefix: true},
	{rule: "NARR-R1", re: claimRe(`无法提供`, countUnit), what: "表三“（四）无法提供”各项总计之和",
		rows: []string{"r3_4_"}, prefix: true},
	{rule: "NARR-R1", re: claimRe(`不予处理`, countUnit), what: "表三“（五）不予处理”各项总计之和",
		rows: []string{"r3_5_"}, prefix: true},
	{rule: "NARR-R1", re: claimRe(`结转(?:至|到)?下一?年度?(?:继续办理)?`, countUnit), what: "表三“四、结转下年度继续办理”总计",
		rows: []string{"r4_carried_over_out"}},
	{rule: "NARR-R1", re: claimRe(`(?:办结|办理完毕)了?`+appliedPhrase+`?`, countUnit), notAfter: "未", what: "表三“（七）总计”",
		rows: []string{"r3_7_total"}},
	{rule: "NARR-R2", re: claimRe(`(?:行政)?复议`, caseUnit), what: "表四“行政复议”总计",
		rows: []string{"t4.review.total"}},
	{rule: "NARR-R2", re: claimRe(`行政诉讼`, caseUnit), what: "表四“行政诉讼”两项总计之和",
		rows: []string{"t4.litigation_direct.total", "t4.litigation_after_review.total"}},
}

var (
	// noApplications is a claim that no application was received (NARR-R1).
	// Either a verb (未收到…申请) or an application phrase (没有政府信息公开申请)
	// is required: 没有申请行政复议 is not such a claim.
	noApplications = regexp.MustCompile(`(?:未|没有)(?:(?:收到|接到|受理|新收)过?(?:任何)?` + appliedFiller + `?|(?:任何)?` +
		appliedFiller + `)申请`)
	// allMaintained is a claim that every case ended with 维持 (NARR-R3).
	allMaintained = regexp.MustCompile(`(?:均|全部|都)(?:获|被|予以|获得)?维持`)
)

// CheckNarrative applies NARR-R1, NARR-R2 and NARR-R3: figures quoted in
// 一、总体情况 and the notes of tables 三 and 四 must equal the tables, and
// a claim that every case was upheld must agree with table 四. Findings
// are warnings, in section and text order; equations with a blank cell are
// skipped.
func CheckNarrative(d *report.Document) []Finding {
	if d == nil || d.Layout() == nil {
		return nil
	}
	var fs []Finding
	for _, s := range narrativeSections {
		text, _ := d.Sections.Section(s.key)
		for _, cl := range clauses(text) {
			n := narration{d: d, section: s.name, path: "sections." + s.key, clause: cl}
			fs = append(fs, n.check()...)
		}
	}
	return fs
}

// clauses splits text at 。；; ！？ and line breaks, trimming each part.
func clauses(text string) []string {
	parts := strings.FieldsFunc(text, func(r rune) bool {
		return strings.ContainsRune("。；;！？!?\n\r", r)
	})
	out := parts[:0]
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// narration is one clause of a section under check.
type narration struct {
	d       *report.Document
	section string
	path    string
	clause  string
}

type located struct {
	at int
	f  Finding
}

func (n *narration) check() []Finding {
	var found []located
	var used [][2]int
	// Every claim ends in 件 or 起: most clauses need no regexp at all.
	counted := strings.ContainsAny(n.clause, "件起")
	for i := range claims {
		if !counted {
			break
		}
		for _, m := range claims[i].re.FindAllStringSubmatchIndex(n.clause, -1) {
			if overlaps(used, m[0], m[1]) || precededBy(n.clause, m[0], claims[i].notAfter) {
				continue
			}
			used = append(used, [2]int{m[0], m[1]})
			if f, ok := n.compare(&claims[i], n.clause[m[0]:m[1]], n.clause[m[2]:m[3]]); ok {
				found = append(found, located{m[0], f})
			}
		}
	}
	found = append(found, n.noApplications()...)
	found = append(found, n.allMaintained()...)
	sort.SliceStable(found, func(i, j int) bool { return found[i].at < found[j].at })
	fs := make([]Finding, len(found))
	for i := range found {
		fs[i] = found[i].f
	}
	return fs
}

func overlaps(used [][2]int, from, to int) bool {
	for _, u := range used {
		if from < u[1] && u[0] < to {
			return true
		}
	}
	return false
}

func precededBy(s string, at int, runes string) bool {
	if runes == "" || at == 0 {
		return false
	}
	r, _ := utf8.DecodeLastRuneInString(s[:at])
	return strings.ContainsRune(runes, r)
}

// compare checks one quoted figure against its cells.
func (n *narration) compare(c *claim, phrase, digits string) (Finding, bool) {
	said, ok := parseCount(digits)
	if !ok {
		return Finding{}, false
	}
	cells := n.cellsOf(c)
	table, ok := n.total(cells)
	if !ok || table == said {
		return Finding{}, false
	}
	return Finding{Rule: c.rule, Severity: Warning, Cells: append([]string{n.path}, cells...),
		Message: fmt.Sprintf("%s写“%s”，与%s(%d)不符。原句：“%s”",
			n.section, phrase, c.what, table, excerpt(n.clause)),
		Expected: num(table), Actual: num(said)}, true
}

// cellsOf resolves a claim's rows into cell paths of the document's layout.
func (n *narration) cellsOf(c *claim) []string {
	if strings.HasPrefix(c.rows[0], "t4.") {
		return c.rows
	}
	var cells []string
	for _, r := range n.d.Layout().Tables[report.T3].Blocks[0].Rows {
		for _, want := range c.rows {
			if r.Key == want || (c.prefix && strings.HasPrefix(r.Key, want)) {
				cells = append(cells, report.CellPath("t3", "", r.Key, "total"))
			}
		}
	}
	return cells
}

// total adds the cells; ok is false if any is blank or absent.
func (n *narration) total(cells []string) (int64, bool) {
	var sum int64
	for _, p := range cells {
		v, ok := n.d.Value(p)
		if !ok || v.IsBlank() {
			return 0, false
		}
		var fits bool
		if sum, fits = addChecked(sum, v.Int64()); !fits {
			return 0, false
		}
	}
	return sum, len(cells) > 0
}

// noApplications: a clause saying no application arrived while table 三
// counts new ones. 申请人 (没有申请人…) is not such a claim.
func (n *narration) noApplications() []located {
	const r1 = "t3.r1_new_received.total"
	if !strings.Contains(n.clause, "申请") {
		return nil
	}
	var out []located
	for _, m := range noApplications.FindAllStringIndex(n.clause, -1) {
		if strings.HasPrefix(n.clause[m[1]:], "人") {
			continue
		}
		v, ok := n.d.Value(r1)
		if !ok || v.IsBlank() || v.Int64() <= 0 {
			continue
		}
		out = append(out, located{m[0], Finding{Rule: "NARR-R1", Severity: Warning, Cells: []string{n.path, r1},
			Message: fmt.Sprintf("%s写“%s”，但表三“一、本年新收政府信息公开申请数量”总计为%d。原句：“%s”",
				n.section, n.clause[m[0]:m[1]], v.Int64(), excerpt(n.clause)),
			Expected: num(v.Int64()), Actual: num(0)}})
	}
	return out
}

// allMaintained: a clause claiming every case was upheld (均获维持) while
// table 四 has cases corrected, ended otherwise or pending. A clause naming
// only 复议 or only 诉讼 is checked against that group.
func (n *narration) allMaintained() []located {
	if !strings.Contains(n.clause, "维持") {
		return nil
	}
	m := allMaintained.FindStringIndex(n.clause)
	if m == nil {
		return nil
	}
	review, litigation := strings.Contains(n.clause, "复议"), strings.Contains(n.clause, "诉讼")
	groups := []string{"review", "litigation_direct", "litigation_after_review"}
	switch {
	case review && !litigation:
		groups = groups[:1]
	case litigation && !review:
		groups = groups[1:]
	}
	var cells, parts []string
	for _, g := range groups {
		for _, col := range []struct{ key, label string }{{"corrected", "结果纠正"}, {"other", "其他结果"}, {"pending", "尚未审结"}} {
			p := "t4." + g + "." + col.key
			if v, ok := n.d.Value(p); ok && !v.IsBlank() && v.Int64() > 0 {
				cells = append(cells, p)
				parts = append(parts, fmt.Sprintf("“%s”%s%d件", t4GroupNames[g], col.label, v.Int64()))
			}
		}
	}
	if len(cells) == 0 {
		return nil
	}
	return []located{{m[0], Finding{Rule: "NARR-R3", Severity: Warning, Cells: append([]string{n.path}, cells...),
		Message: fmt.Sprintf("%s写“%s”，但表四%s。原句：“%s”",
			n.section, n.clause[m[0]:m[1]], strings.Join(parts, "、"), excerpt(n.clause))}}}
}

var t4GroupNames = map[string]string{
	"review":                  "行政复议",
	"litigation_direct":       "行政诉讼（未经复议直接起诉）",
	"litigation_after_review": "行政诉讼（复议后起诉）",
}

// excerptRunes bounds the quoted sentence in a message.
const excerptRunes = 120

func excerpt(s string) string {
	if utf8.RuneCountInString(s) <= excerptRunes {
		return s
	}
	r := []rune(s)
	return string(r[:excerptRunes]) + "……"
}

// maxCountDigits bounds a quoted count, keeping the readings exact.
const maxCountDigits = 15

var chineseDigits = map[rune]int64{'零': 0, '〇': 0, '一': 1, '二': 2, '两': 2, '三': 3, '四': 4,
	'五': 5, '六': 6, '七': 7, '八': 8, '九': 9}

var chineseUnits = map[rune]int64{'十': 10, '百': 100, '千': 1000}

// parseCount reads counts written 12, １２, 十二, 一百零五 or 二〇二 (Chinese
// numerals below 万); ok is false for anything else.
func parseCount(s string) (int64, bool) {
	if s == "" || utf8.RuneCountInString(s) > maxCountDigits {
		return 0, false
	}
	if r, _ := utf8.DecodeRuneInString(s); (r >= '0' && r <= '9') || (r >= '０' && r <= '９') {
		return parseArabic(s)
	}
	return parseChinese(s)
}

func parseArabic(s string) (int64, bool) {
	var n int64
	for _, r := range s {
		d := int64(r - '0')
		if r >= '０' {
			d = int64(r - '０')
		}
		if n > (maxInt64-d)/10 {
			return 0, false
		}
		n = n*10 + d
	}
	return n, true
}

// parseChinese handles positional digits (二〇二) and unit notation
// (一百零五, 十二); units must descend.
func parseChinese(s string) (int64, bool) {
	var total, digit int64
	lastUnit := int64(10000)
	sawUnit, pendingDigit := false, false
	for _, r := range s {
		if d, ok := chineseDigits[r]; ok {
			if pendingDigit && !sawUnit {
				digit = digit*10 + d // positional: 二〇二
			} else {
				digit = d
			}
			pendingDigit = true
			continue
		}
		u := chineseUnits[r]
		if u == 0 || u >= lastUnit {
			return 0, false
		}
		if !pendingDigit {
			digit = 1 // 十二 = 一十二
		}
		total += digit * u
		digit, pendingDigit, sawUnit, lastUnit = 0, false, true, u
	}
	return total + digit, true
}
