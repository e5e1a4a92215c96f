package handlers

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"testing"
	"unicode/utf8"

	"qianfa/workflow"
)

func TestCheckJSONText(t *testing.T) {
	nested := func(n int, inner string) string {
		return strings.Repeat(`{"a":`, n) + inner + strings.Repeat("}", n)
	}
	many := func(n int, last string) string {
		var b strings.Builder
		b.WriteString("{")
		for i := range n {
			b.WriteString(`"k` + strings.Repeat("x", i) + `":1,`)
		}
		return b.String() + `"` + last + `":2}`
	}
	for _, tc := range []struct {
		name, body, want string // want: the refusal, "" for none
	}{
		{"object", `{"action": "submit", "version": 2}`, ""},
		{"same key in sibling objects", `{"a": [{"x": 1}, {"x": 2}], "b": {"x": 3}}`, ""},
		{"same key at two depths", `{"x": {"x": {"x": 1}}}`, ""},
		{"duplicate at the top", `{"action": "return", "action": "approve"}`, "字段 action 重复出现"},
		{"duplicate nested", `{"c": {"year": 1, "t": {}, "year": 2}}`, "字段 year 重复出现"},
		{"duplicate spelled with an escape", `{"year": 1, "\u0079ear": 2}`, "字段 year 重复出现"},
		{"duplicate after a nested object closes", `{"a": {"b": 1}, "a": 2}`, "字段 a 重复出现"},
		{"duplicate in a large object", many(40, "kxxx"), "字段 kxxx 重复出现"},
		{"large object without duplicates", many(40, "other"), ""},
		{"quote and brace inside strings", `{"a": "}\"{,", "b\"": "[", "c": 1}`, ""},
		{"nesting at the limit", nested(maxRequestDepth, "1"), ""},
		{"scalar past the limit", nested(maxRequestDepth+1, "1"), "请求体嵌套层数超过 64"},
		{"empty object at the limit", nested(maxRequestDepth, "{}"), ""},
		{"array past the limit", nested(maxRequestDepth, "[[]]"), "请求体嵌套层数超过 64"},
		{"invalid UTF-8", "{\"a\": \"\xff\"}", "请求体不是有效的 UTF-8 文本"},
		{"malformed", `{"a": 1,}`, "JSON 格式错误（第 8 字节附近）"},
		{"trailing data is left to bind", `{"a": 1} {"a": 2}`, ""},
		{"number beyond float64", `1E700`, "数值超出范围（第 5 字节附近）"},
		{"negative number beyond float64 in an array", `{"a": [1, -1e309]}`, "数值超出范围（第 16 字节附近）"},
		{"integer of 400 digits", `{"v": ` + strings.Repeat("9", 400) + `}`, "数值超出范围（第 406 字节附近）"},
		{"integer of 308 digits", `{"v": ` + strings.Repeat("9", 308) + `}`, ""},
		{"tiny number rounds to zero", `{"v": 1e-400, "w": 4.9e-324}`, ""},
		{"duplicate before a number beyond float64", `{"a": 1, "a": 1e999}`, "字段 a 重复出现"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := refusal(checkJSONText([]byte(tc.body))); got != tc.want {
				t.Fatalf("checkJSONText = %q, want %q", got, tc.want)
			}
			if got := refusal(referenceCheck([]byte(tc.body))); got != tc.want {
				t.Fatalf("the Decoder's check = %q, want %q", got, tc.want)
			}
		})
	}
}

// The fast check refuses exactly what the token-by-token check refuses, with
// the same words.
func FuzzCheckJSONText(f *testing.F) {
	for _, s := range []string{`{"a":1,"a":2}`, `{"a":{"b":[1,{"c":2,"c":3}]}}`, `{"\u0061":1,"a":2}`,
		`[[[[[[]]]]]]`, `{"a":"\"}"}`, `{"version":3,"content":{"year":2021}}`} {
		f.Add([]byte(s))
	}
	if seed, err := os.ReadFile("../report/testdata/clean-2021.json"); err == nil {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		got, want := refusal(checkJSONText(data)), refusal(referenceCheck(data))
		if got != want {
			t.Fatalf("checkJSONText(%q) = %q, the Decoder's check = %q", data, got, want)
		}
		if got == "" && json.Valid(data) {
			checkCut(t, data)
		}
	})
}

// referenceCheck is the check as the Decoder makes it, token by token.
func referenceCheck(data []byte) error {
	if !utf8.Valid(data) {
		return workflow.ErrBadRequest("请求体不是有效的 UTF-8 文本")
	}
	return scanValue(json.NewDecoder(bytes.NewReader(data)), 0)
}

func refusal(err error) string {
	if err == nil {
		return ""
	}
	return strings.TrimPrefix(err.Error(), workflow.CodeBadRequest+": ")
}

func TestCutMember(t *testing.T) {
	for _, body := range []string{
		`{"version": 3, "content": {"year": 2021, "t": [1, {"content": 2}]}}`,
		`{"content" : "text, with } and \" inside" , "version": 3}`,
		`{"version": 3, "content": 12.5e3}`,
		`{"version": 3, "content":null}`,
		`{"version": 3, "content": [ ] }`,
		`{"version": 3, "\u0063ontent": {"a": 1}}`,
		`{"version": 3, "contents": {"a": 1}}`,
		`{"version": 3, "carry_reasons": {"content": "x"}}`,
		`{"Content": {"a": 1}, "version": 3}`,
	} {
		t.Run(body, func(t *testing.T) { checkCut(t, []byte(body)) })
	}
}

// checkCut decodes the valid JSON text data into a contentRequest the way
// bind does (content cut out) and as encoding/json alone does: both must
// agree, the content byte for byte.
func checkCut(t *testing.T, data []byte) {
	t.Helper()
	var whole contentRequest
	wholeErr := json.Unmarshal(data, &whole)
	rest, raw := cutMember(data, "content")
	var cut contentRequest
	cutErr := json.Unmarshal(rest, &cut)
	if cutErr == nil && raw != nil {
		cutErr = cut.setRawMember(raw)
	}
	if (wholeErr == nil) != (cutErr == nil) {
		t.Fatalf("%s: decoding whole: %v, with the content cut out: %v", data, wholeErr, cutErr)
	}
	if wholeErr != nil {
		return
	}
	if !bytes.Equal(whole.Content, cut.Content) || whole.Version != cut.Version || len(whole.CarryReasons) != len(cut.CarryReasons) {
		t.Fatalf("%s: whole %+v, cut %+v (content %q)", data, whole, cut, raw)
	}
}
