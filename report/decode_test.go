package report

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

// mutate replaces the first occurrence of old in base, failing if absent.
func mutate(t *testing.T, base []byte, old, new string) []byte {
	t.Helper()
	s := string(base)
	if !strings.Contains(s, old) {
		t.Fatalf("mutation target %q not found", old)
	}
	return []byte(strings.Replace(s, old, new, 1))
}

func TestDecodeProblems(t *testing.T) {
	seed := readFile(t, "seed-2020.json")
	clean := readFile(t, "clean-2021.json")
	deep := strings.Repeat("[", 40) + strings.Repeat("]", 40)
	tests := []struct {
		name string
		data []byte
		want []Problem
	}{
		{"not json", []byte(`{"format":`), []Problem{{"", "不是有效的 JSON"}}},
		{"not an object", []byte(`[1,2]`), []Problem{{"", "文档必须是 JSON 对象"}}},
		{"too deep", []byte(`{"x":` + deep + `}`), []Problem{{"", "嵌套层数超过 32"}}},
		{"too big", []byte(`{"title":"` + strings.Repeat("a", MaxInputBytes) + `"}`),
			[]Problem{{"", "文档过大（超过 4194304 字节）"}}},
		{"unknown keys everywhere", mutate(t, mutate(t, mutate(t, mutate(t, seed,
			`"title"`, `"colour": 1, "title"`),
			`"level"`, `"code": "x", "level"`),
			`"other": "无。"`, `"other": "无。", "preface": "x"`),
			`"natural_person": 0,`, `"natural_person": 0, "subtotal": 0,`),
			[]Problem{{"colour", "未知字段"}, {"agency.code", "未知字段"},
				{"sections.preface", "未知字段"}, {"t3.r1_new_received.subtotal", "未知字段"}}},
		{"wrong format", mutate(t, seed, `"qianfa.report/1"`, `"qianfa.report/2"`),
			[]Problem{{"format", `format 必须为 "qianfa.report/1"`}}},
		{"unknown edition", mutate(t, seed, `"edition": "2019"`, `"edition": "2020"`),
			[]Problem{{"edition", `未知版本 "2020"（应为 "2019" 或 "2021"）`}}},
		{"2019 block in 2021", mutate(t, clean, `"art20_8": {`,
			`"art20_9": {"central_procurement": {"projects": 1}}, "art20_8": {`),
			[]Problem{{"t2.art20_9", "此项属于2019年版格式，不能出现在2021年版报告中"}}},
		{"2019 row and column in 2021", mutate(t, mutate(t, clean,
			`"r3_7_total": {`, `"r3_6_other": {}, "r3_7_total": {`),
			`"decisions": 1523`, `"decisions": 1523, "prev_year_items": 3`),
			[]Problem{{"t2.art20_5.administrative_licensing.prev_year_items", "此列属于2019年版格式，不能出现在2021年版报告中"},
				{"t3.r3_6_other", "此行属于2019年版格式，不能出现在2021年版报告中"}}},
		{"2021 row in 2019", mutate(t, seed, `"r3_7_total": {`, `"r3_6_1_no_correction": null, "r3_7_total": {`),
			[]Problem{{"t3.r3_6_1_no_correction", "此行属于2021年版格式，不能出现在2019年版报告中"}}},
		{"wrong value types", mutate(t, mutate(t, mutate(t, seed,
			`"new_made": 4`, `"new_made": "4"`),
			`"prev_year_items": 115`, `"prev_year_items": true`),
			`"projects": 75`, `"projects": {"n": 75}`),
			[]Problem{{"t2.art20_1.normative_documents.new_made", "应为数字，不能是字符串"},
				{"t2.art20_5.other_external_services.prev_year_items", "应为数字，不能是布尔值"},
				{"t2.art20_9.central_procurement.projects", "应为数字，不能是对象"}}},
		{"fractions, negatives, overflow", mutate(t, mutate(t, mutate(t, mutate(t, seed,
			`"new_published": 4`, `"new_published": 4.5`),
			`"decisions": 43051`, `"decisions": 1e3`),
			`"total_published": 13`, `"total_published": -13`),
			`"prev_year_items": 2`, `"prev_year_items": 9223372036854775808`),
			[]Problem{{"t2.art20_1.normative_documents.new_published", "应为整数，不能是 4.5"},
				{"t2.art20_1.normative_documents.total_published", "不能为负数：-13"},
				{"t2.art20_5.other_external_services.decisions", "应为整数，不能是 1e3"},
				{"t2.art20_8.administrative_fees.prev_year_items", "数值超出范围：9223372036854775808"}}},
		{"negative money", mutate(t, clean, `"amount_wan_yuan": 12.85`, `"amount_wan_yuan": -12.85`),
			[]Problem{{"t2.art20_8.administrative_fees.amount_wan_yuan", "金额不能为负数：-12.85"}}},
		{"year as string", mutate(t, seed, `"year": 2020`, `"year": "2020"`),
			[]Problem{{"year", "应为整数年份，不能是字符串"}}},
		{"year out of range", mutate(t, seed, `"year": 2020`, `"year": 1999`),
			[]Problem{{"year", "年份应为 2008 至 2100 之间的整数"}}},
		{"year fraction", mutate(t, seed, `"year": 2020`, `"year": 2020.5`),
			[]Problem{{"year", "年份应为 2008 至 2100 之间的整数"}}},
		{"unknown level", mutate(t, seed, `"county_department"`, `"village"`),
			[]Problem{{"agency.level", "机关层级应为以下之一：" + strings.Join(Levels, "、")}}},
		{"duplicate keys", mutate(t, mutate(t, seed,
			`"year": 2020`, `"year": 2020, "year": 2021`),
			`"total": 0`, `"total": 0, "total": 1`),
			[]Problem{{"year", "重复的字段"}, {"t3.r1_new_received.total", "重复的字段"}}},
		{"missing header", []byte(`{}`), []Problem{{"format", "缺少此字段"}, {"edition", "缺少此字段"},
			{"year", "缺少此字段"}, {"agency", "缺少此字段"}}},
		{"section not text", mutate(t, seed, `"other": "无。"`, `"other": 1`),
			[]Problem{{"sections.other", "应为字符串，不能是数字"}}},
		{"table not object", mutate(t, seed, `"t4": {`, `"t4": [], "t5": {`),
			[]Problem{{"t5", "未知字段"}, {"t4", "应为对象，不能是数组"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := Decode(tt.data)
			var se *ShapeError
			if !errors.As(err, &se) {
				t.Fatalf("Decode error = %v, want *ShapeError", err)
			}
			if d != nil {
				t.Errorf("Decode returned a document with an error")
			}
			if !reflect.DeepEqual(se.Problems, tt.want) {
				t.Errorf("problems:\n got %q\nwant %q", se.Problems, tt.want)
			}
		})
	}
}

func TestDecodeBlanksAndMissing(t *testing.T) {
	d, err := Decode([]byte(`{"format":"qianfa.report/1","edition":"2021","year":2021,
		"agency":{"name":"某局","level":"city_department"},
		"t3":{"r1_new_received":{"natural_person":3,"total":null}},"t4":null}`))
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := d.Value("t3.r1_new_received.natural_person"); v.Int64() != 3 || !v.IsInteger() {
		t.Errorf("natural_person = %v", v)
	}
	for _, p := range []string{"t3.r1_new_received.total", "t4.review.total", "t2.art20_8.administrative_fees.amount_wan_yuan"} {
		if v, ok := d.Value(p); !ok || !v.IsBlank() {
			t.Errorf("%s = %v, %v; want blank", p, v, ok)
		}
	}
}

func TestShapeErrorMessage(t *testing.T) {
	e := &ShapeError{Problems: []Problem{{"", "不是有效的 JSON"}, {"year", "缺少此字段"}}}
	want := "文档不符合 qianfa.report/1 格式：\n不是有效的 JSON\nyear：缺少此字段"
	if e.Error() != want {
		t.Errorf("Error() = %q", e.Error())
	}
}

func TestDecodeCapsProblems(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"format":"qianfa.report/1","edition":"2019","year":2020,"agency":{"level":"city_department"}`)
	for i := 0; i < 150; i++ {
		b.WriteString(`,"x` + itoa(i) + `":1`)
	}
	b.WriteString("}")
	_, err := Decode([]byte(b.String()))
	se := err.(*ShapeError)
	if len(se.Problems) != maxProblems+1 || se.Problems[maxProblems].Message != "问题过多，仅列出前 100 个" {
		t.Errorf("got %d problems, last %v", len(se.Problems), se.Problems[len(se.Problems)-1])
	}
}

// The equivalence golden pins what Decode and Encode give for the test
// documents and for a list of hostile inputs, so that a faster decoder or
// encoder can be checked byte for byte against the behaviour it replaced.
// Regenerate (only on purpose) with: go test ./report/ -run TestDecodeEquivalenceGolden -update-decode-golden
var updateDecodeGolden = flag.Bool("update-decode-golden", false, "rewrite testdata/decode-equivalence.golden")

type namedInput struct {
	name string
	data []byte
}

func equivalenceInputs(t *testing.T) []namedInput {
	seed := readFile(t, "seed-2020.json")
	clean := readFile(t, "clean-2021.json")
	var in []namedInput
	add := func(name string, data []byte) { in = append(in, namedInput{name, data}) }
	addStr := func(name, data string) { add(name, []byte(data)) }
	// Every test document, and the decode fuzz corpus of report/check.
	for _, name := range []string{"seed-2020.json", "clean-2021.json"} {
		add(name, readFile(t, name))
	}
	corpus, _ := filepath.Glob("check/testdata/fuzz/FuzzDecodeCheck/*")
	sort.Strings(corpus)
	for _, path := range corpus {
		raw, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		for i, line := range strings.Split(string(raw), "\n") {
			if lit, ok := strings.CutPrefix(line, "[]byte("); ok {
				s, err := strconv.Unquote(strings.TrimSuffix(lit, ")"))
				if err != nil {
					t.Fatalf("%s: %v", path, err)
				}
				add(fmt.Sprintf("corpus %s/%d", filepath.Base(path), i), []byte(s))
			}
		}
	}
	mut := func(base []byte, pairs ...string) []byte {
		for i := 0; i < len(pairs); i += 2 {
			base = mutate(t, base, pairs[i], pairs[i+1])
		}
		return base
	}
	// Whole-text shapes.
	for i, s := range []string{"", " ", "null", "true", "1", `"x"`, "[]", "{}", " {} ", "{}\n\n", "\t\r\n{}",
		"{} x", "{}{}", "{},", "{", "}", `{"a"}`, `{"a":}`, `{"a":1,}`, `{,"a":1}`, `{'a':1}`,
		"\ufeff{}", "{\"a\":1}\x00", "\x00{}", `{"a":tru}`, `{"a":nul}`, `{"a":01}`, `{"a":-}`, `{"a":1.}`,
		`{"a":.5}`, `{"a":1e}`, `{"a":+1}`, `{"a":"\x01"}`, `{"a":"\q"}`, `{"a":"\u12"}`, `{"a":"\u12G4"}`,
		"{\"a\":\"\xff\"}", "{\"\xff\":1}", "{\"a\":\"\xed\xa0\x80\"}", "{\"a\":\"\xc0\x80\"}", "{\"a\":\"\xf4\x90\x80\x80\"}",
		`{"a":1,"a":2}`, `{"a":1,"\u0061":2}`, `{"\ud800":1,"\udc00":2}`, `{"\ud800":1}`, `{"\u00e9":1,"é":2}`,
		`{"format":1,"format":2,"format":3}`, `{"":1,"":2}`, `{"a.b":1}`, `{"x":{"y":1,"y":2}}`,
	} {
		addStr(fmt.Sprintf("text %d %q", i, s), s)
	}
	// Nesting at and beyond MaxDepth, counted with the top object; brackets
	// inside strings do not count.
	for _, d := range []int{MaxDepth - 1, MaxDepth, MaxDepth + 1, MaxDepth + 10} {
		n := d - 1
		addStr(fmt.Sprintf("array depth %d", d), `{"x":`+strings.Repeat("[", n)+strings.Repeat("]", n)+`}`)
		addStr(fmt.Sprintf("object depth %d", d), strings.Repeat(`{"a":`, d)+"1"+strings.Repeat("}", d))
		addStr(fmt.Sprintf("array depth %d in string", d), `{"x":"`+strings.Repeat("[", n)+`"}`)
		addStr(fmt.Sprintf("bare array depth %d", d), strings.Repeat("[", d)+strings.Repeat("]", d))
		add(fmt.Sprintf("deep unknown in seed %d", d), mut(seed, `"title"`,
			`"deep": `+strings.Repeat("[", n)+strings.Repeat("]", n)+`, "title"`))
		add(fmt.Sprintf("deep cell in clean %d", d), mut(clean, `"decisions": 1523`,
			`"decisions": `+strings.Repeat(`{"a":`, d-4)+"1"+strings.Repeat("}", d-4)))
	}
	// Duplicate keys at every level, written plainly and with escapes.
	add("dup top", mut(seed, `"year": 2020`, `"year": 2020, "year": 2021`))
	add("dup top escaped", mut(seed, `"year": 2020`, `"year": 2020, "\u0079ear": 2021`))
	add("dup top unknown", mut(seed, `"title"`, `"zz": 1, "zz": 2, "title"`))
	add("dup agency", mut(seed, `"level"`, `"name": "x", "level"`))
	add("dup agency level", mut(seed, `"level": "county_department"`, `"level": "county_department", "level": "x"`))
	add("dup sections", mut(seed, `"other": "无。"`, `"other": "无。", "other": "有。"`))
	add("dup table", mut(clean, `"t4": {`, `"t4": null, "t4": {`))
	add("dup block", mut(clean, `"art20_8": {`, `"art20_8": {}, "art20_8": {`))
	add("dup row", mut(clean, `"r3_7_total": {`, `"r3_7_total": {}, "r3_7_total": {`))
	add("dup cell", mut(clean, `"decisions": 1523`, `"decisions": 1523, "decisions": 1`))
	add("dup cell escaped", mut(clean, `"decisions": 1523`, `"decisions": 1523, "decision\u0073": "x"`))
	add("dup in unknown", mut(seed, `"title"`, `"zz": {"a": 1, "a": 2}, "title"`))
	add("dup in cell object", mut(clean, `"decisions": 1523`, `"decisions": {"a": 1, "a": 2}`))
	add("dup surrogates", mut(seed, `"title"`, `"\ud800": 1, "\udbff": 2, "title"`))
	// Invalid UTF-8 and surrogates, in keys and values.
	add("bad utf8 title", mut(seed, `"title": "`, "\"title\": \"\xff"))
	add("bad utf8 key", mut(seed, `"title"`, "\"ti\xfftle\""))
	add("bad utf8 section", mut(seed, `"other": "无`, "\"other\": \"\xe6\x97"))
	add("utf8 surrogate title", mut(seed, `"title": "`, "\"title\": \"\xed\xb0\x80"))
	add("escaped lone high title", mut(seed, `"title": "`, `"title": "\ud800`))
	add("escaped lone low title", mut(seed, `"title": "`, `"title": "\udc00x`))
	add("escaped reversed pair title", mut(seed, `"title": "`, `"title": "\udc00\ud800`))
	add("escaped pair title", mut(seed, `"title": "`, `"title": "\ud83d\ude00`))
	add("escaped high then escape", mut(seed, `"title": "`, `"title": "\ud800\n`))
	add("escaped lone name", mut(seed, `"name": "`, `"name": "\udfff`))
	add("escaped lone section", mut(seed, `"other": "无`, `"other": "\ud800无`))
	add("escaped lone unknown key", mut(seed, `"title"`, `"\ud800x": 1, "title"`))
	add("escaped lone section key", mut(seed, `"other": "无`, `"oth\udc00er": "无`))
	add("escaped lone cell key", mut(clean, `"decisions": 1523`, `"decisions": 1523, "\ud800": 1`))
	add("escaped keys known", mut(seed, `"title"`, `"\u0074itle"`, `"level"`, `"\u006cevel"`, `"other"`, `"oth\u0065r"`))
	add("escaped edition", mut(seed, `"edition": "2019"`, `"edition": "\u0032019"`))
	add("escaped level", mut(seed, `"county_department"`, `"county\u005fdepartment"`))
	add("escaped edition unknown", mut(seed, `"edition": "2019"`, `"edition": "20\ud80019"`))
	// Text that the canonical form must quote in a particular way.
	add("html and separators", mut(seed, `"title": "`, `"title": "<a href=\"x\">&amp;</a>`+"\u2028\u2029"+`\u2028\u2029 `))
	add("controls", mut(seed, `"title": "`, `"title": "\u0000\u0001\b\f\n\r\t\u001f\u007f`+"\x7f"+`\/\\\"`))
	add("escaped non-ascii", mut(seed, `"name": "`, `"name": "\u4e2d\u6587\uFFFD\uffff\ufeff`+"\ufeff\U0010FFFF"))
	add("empty strings", mut(seed, `"title": "`, `"title": "", "x": "`))
	add("null strings", mut(seed, `"other": "无。"`, `"other": null`))
	// Values of every kind in every slot.
	for _, v := range []string{"null", "true", "false", `"s"`, `""`, "{}", "[]", `{"a":1}`, `[1]`,
		"0", "-0", "-0.0", "0.0", "1", "1.0", "1.5", "1e2", "1E2", "1e+2", "1e-2", "1e400", "-1e400", "1e-400",
		"9223372036854775807", "9223372036854775808", "-9223372036854775808", "-9223372036854775809",
		"123456789012345678901234567890", "0.1e1", "2020", "2020.0", "2.02e3", "2008", "2100", "2101", "-2020"} {
		add("year "+v, mut(seed, `"year": 2020`, `"year": `+v))
		add("cell count "+v, mut(clean, `"decisions": 1523`, `"decisions": `+v))
		add("cell money "+v, mut(clean, `"amount_wan_yuan": 12.85`, `"amount_wan_yuan": `+v))
		add("title "+v, mut(seed, `"title": "`, `"title": `+v+`, "x": "`))
		add("agency "+v, mut(seed, `"agency": {`, `"agency": `+v+`, "x": {`))
		add("sections "+v, mut(seed, `"sections": {`, `"sections": `+v+`, "x": {`))
		add("table "+v, mut(clean, `"t3": {`, `"t3": `+v+`, "x": {`))
		add("row "+v, mut(clean, `"r3_7_total": {`, `"r3_7_total": `+v+`, "x": {`))
		add("format "+v, mut(seed, `"format": "qianfa.report/1"`, `"format": `+v))
		add("edition "+v, mut(seed, `"edition": "2019"`, `"edition": `+v))
	}
	// Whitespace variants of a whole document.
	add("compact seed", compactJSON(t, seed))
	add("compact clean", compactJSON(t, clean))
	add("crlf seed", bytes.ReplaceAll(seed, []byte("\n"), []byte("\r\n")))
	add("tabs seed", bytes.ReplaceAll(seed, []byte("  "), []byte("\t")))
	add("trailing garbage", append(append([]byte{}, seed...), "x"...))
	add("trailing object", append(append([]byte{}, seed...), "{}"...))
	add("bom seed", append([]byte("\ufeff"), seed...))
	add("wrong edition rows", mut(clean, `"r3_7_total": {`, `"r3_6_other": {"a": 1}, "r3_7_total": {`))
	var many strings.Builder
	many.WriteString(`{"format":"qianfa.report/1","edition":"2021","year":2021,"agency":{"level":"city_department"},"t3":{"r1_new_received":{`)
	for i := 0; i < 120; i++ {
		fmt.Fprintf(&many, `"c%d":1,"natural_person":%d,`, i, i)
	}
	many.WriteString(`"total":1}}}`)
	addStr("many problems", many.String())
	return in
}

func compactJSON(t *testing.T, data []byte) []byte {
	var b bytes.Buffer
	if err := json.Compact(&b, data); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// decodeOutcome describes what Decode (and Encode of its result) gives.
func decodeOutcome(data []byte) string {
	d, err := Decode(data)
	if err != nil {
		var se *ShapeError
		if !errors.As(err, &se) || d != nil {
			return fmt.Sprintf("unexpected error %T %v, doc %v\n", err, err, d != nil)
		}
		var b strings.Builder
		for _, p := range se.Problems {
			fmt.Fprintf(&b, "problem %q %q\n", p.Path, p.Message)
		}
		return b.String()
	}
	out, err := d.Encode()
	if err != nil {
		return fmt.Sprintf("encode error %v\n", err)
	}
	if len(out) < 2000 {
		return fmt.Sprintf("ok %q\n", out)
	}
	return fmt.Sprintf("ok %d bytes sha256 %x title %q name %q\n", len(out), sha256.Sum256(out), d.Title, d.Agency.Name)
}

func TestDecodeEquivalenceGolden(t *testing.T) {
	var b strings.Builder
	for _, in := range equivalenceInputs(t) {
		fmt.Fprintf(&b, "== %q\n%s", in.name, decodeOutcome(in.data))
	}
	const golden = "testdata/decode-equivalence.golden"
	if *updateDecodeGolden {
		if err := os.WriteFile(golden, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if got := b.String(); got != string(want) {
		gl, wl := strings.Split(got, "\n"), strings.Split(string(want), "\n")
		for i := 0; i < len(gl) && i < len(wl); i++ {
			if gl[i] != wl[i] {
				t.Fatalf("differs from %s at line %d:\n got %s\nwant %s", golden, i+1, gl[i], wl[i])
			}
		}
		t.Fatalf("differs from %s in length: %d lines, want %d", golden, len(gl), len(wl))
	}
}

// memberReference is how eachMember used to walk an object, with
// encoding/json's Decoder; the byte walk that replaced it must list the same
// members.
func memberReference(raw []byte) (keys []string, vals [][]byte) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return nil, nil
	}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return keys, vals
		}
		key, _ := tok.(string)
		var val json.RawMessage
		if err := dec.Decode(&val); err != nil {
			return keys, vals
		}
		keys, vals = append(keys, key), append(vals, val)
	}
	return keys, vals
}

// compareMembers walks raw and every object inside it both ways.
func compareMembers(t *testing.T, raw []byte) {
	wantKeys, wantVals := memberReference(raw)
	var gotKeys []string
	var gotVals [][]byte
	dc := &decoder{}
	_ = dc.eachMember(raw, "", func(key string, val []byte) {
		gotKeys, gotVals = append(gotKeys, key), append(gotVals, val)
	})
	// eachMember drops duplicates; the reference keeps them.
	seen := map[string]bool{}
	var dedupKeys []string
	var dedupVals [][]byte
	for i, k := range wantKeys {
		if !seen[k] {
			seen[k] = true
			dedupKeys, dedupVals = append(dedupKeys, k), append(dedupVals, wantVals[i])
		}
	}
	if !reflect.DeepEqual(gotKeys, dedupKeys) || len(gotVals) != len(dedupVals) {
		t.Fatalf("members of %q: got %q, want %q", raw, gotKeys, dedupKeys)
	}
	for i := range gotVals {
		if !bytes.Equal(gotVals[i], dedupVals[i]) {
			t.Fatalf("member %q of %q: got %q, want %q", gotKeys[i], raw, gotVals[i], dedupVals[i])
		}
		if kindOf(gotVals[i]) == kindObject {
			compareMembers(t, gotVals[i])
		}
		if kindOf(gotVals[i]) == kindString {
			if got, want := unquote(gotVals[i]), unquoteJSON(gotVals[i]); got != want {
				t.Fatalf("unquote(%q) = %q, want %q", gotVals[i], got, want)
			}
		}
	}
	if got, want := len(dc.problems), min(len(wantKeys)-len(dedupKeys), maxProblems); got != want {
		t.Fatalf("%d duplicate problems for %q, want %d", got, raw, want)
	}
}

func FuzzEachMember(f *testing.F) {
	for _, in := range equivalenceInputs(&testing.T{}) {
		f.Add(in.data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		dc := &decoder{}
		if !dc.precheck(data) {
			return
		}
		compareMembers(t, data)
	})
}

// FuzzValidShallow pins the fast path of precheck: whenever it accepts a
// text, the checks it stands in for accept it too.
func FuzzValidShallow(f *testing.F) {
	for _, in := range equivalenceInputs(&testing.T{}) {
		f.Add(in.data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		fast := validShallow(data)
		slow := json.Valid(data) && nestingDepth(data) <= MaxDepth
		if fast && !slow {
			t.Fatalf("validShallow accepts %q, json.Valid %v depth %d", data, json.Valid(data), nestingDepth(data))
		}
		if slow && !fast && utf8.Valid(data) {
			t.Fatalf("validShallow refuses valid %q", data)
		}
	})
}

func TestEachMemberMatchesReference(t *testing.T) {
	for _, in := range equivalenceInputs(t) {
		dc := &decoder{}
		if dc.precheck(in.data) {
			compareMembers(t, in.data)
		}
	}
}
