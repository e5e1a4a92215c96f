package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"unicode/utf8"
)

type decoder struct {
	problems  []Problem
	truncated bool
	doc       *Document
	layout    *Layout
}

func (dc *decoder) add(path, msg string) {
	if len(dc.problems) >= maxProblems {
		dc.truncated = true
		return
	}
	dc.problems = append(dc.problems, Problem{Path: path, Message: msg})
}

func (dc *decoder) err() error {
	if len(dc.problems) == 0 {
		return nil
	}
	if dc.truncated {
		dc.problems = append(dc.problems, Problem{Message: fmt.Sprintf("问题过多，仅列出前 %d 个", maxProblems)})
	}
	return &ShapeError{Problems: dc.problems}
}

// Decode reads a qianfa.report/1 document strictly. Every problem found is
// collected into a *ShapeError; on error the returned document is nil.
func Decode(data []byte) (*Document, error) {
	dc := &decoder{}
	if !dc.precheck(data) {
		return nil, dc.err()
	}
	top := map[string][]byte{}
	dc.eachMember(data, "", func(key string, val []byte) {
		switch key {
		case "format", "edition", "year", "agency", "title", "sections", "t2", "t3", "t4":
			top[key] = val
		default:
			dc.add(key, "未知字段")
		}
	})
	dc.doc = &Document{}
	dc.header(top)
	dc.tables(top)
	if err := dc.err(); err != nil {
		return nil, err
	}
	return dc.doc, nil
}

// precheck refuses what cannot be walked safely: too big, not JSON, too
// deep, or not an object.
func (dc *decoder) precheck(data []byte) bool {
	if len(data) <= MaxInputBytes && utf8.Valid(data) && validShallow(data) {
		// The common case, found in one pass; any refusal below is worded
		// by the checks that always have.
		if kindOf(trimSpace(data)) != kindObject {
			dc.add("", "文档必须是 JSON 对象")
			return false
		}
		return true
	}
	switch {
	case len(data) > MaxInputBytes:
		dc.add("", fmt.Sprintf("文档过大（超过 %d 字节）", MaxInputBytes))
	case !utf8.Valid(data):
		// encoding/json would quietly turn bad bytes into U+FFFD; a report must
		// reach the reviewer exactly as the drafter wrote it.
		dc.add("", "不是有效的 UTF-8 文本")
	case !json.Valid(data):
		dc.add("", "不是有效的 JSON")
	case nestingDepth(data) > MaxDepth:
		dc.add("", fmt.Sprintf("嵌套层数超过 %d", MaxDepth))
	case kindOf(trimSpace(data)) != kindObject:
		dc.add("", "文档必须是 JSON 对象")
	default:
		return true
	}
	return false
}

func trimSpace(b []byte) []byte { return bytes.TrimLeft(b, " \t\r\n") }

func (dc *decoder) header(top map[string][]byte) {
	if s, ok := dc.requiredString(top, "format"); ok && s != Format {
		dc.add("format", fmt.Sprintf("format 必须为 %q", Format))
	}
	if s, ok := dc.requiredString(top, "edition"); ok {
		dc.doc.Edition = Edition(s)
		if dc.layout = LayoutFor(dc.doc.Edition); dc.layout == nil {
			dc.add("edition", fmt.Sprintf("未知版本 %q（应为 \"2019\" 或 \"2021\"）", s))
		}
	}
	dc.year(top)
	dc.agency(top["agency"])
	dc.doc.Title = dc.optionalString(top["title"], "title")
	dc.sections(top["sections"])
}

func (dc *decoder) requiredString(top map[string][]byte, key string) (string, bool) {
	raw, ok := top[key]
	if !ok || kindOf(raw) == kindNull {
		dc.add(key, "缺少此字段")
		return "", false
	}
	if kindOf(raw) != kindString {
		dc.add(key, fmt.Sprintf("应为字符串，不能是%s", kindOf(raw).name()))
		return "", false
	}
	return unquote(raw), true
}

func (dc *decoder) optionalString(raw []byte, path string) string {
	switch kindOf(raw) {
	case kindNull:
		return ""
	case kindString:
		return unquote(raw)
	}
	dc.add(path, fmt.Sprintf("应为字符串，不能是%s", kindOf(raw).name()))
	return ""
}

func (dc *decoder) year(top map[string][]byte) {
	raw, ok := top["year"]
	if !ok || kindOf(raw) == kindNull {
		dc.add("year", "缺少此字段")
		return
	}
	if kindOf(raw) != kindNumber {
		dc.add("year", fmt.Sprintf("应为整数年份，不能是%s", kindOf(raw).name()))
		return
	}
	v, err := ParseNumber(string(raw))
	if err != nil || !v.IsInteger() || v.n < MinYear || v.n > MaxYear {
		dc.add("year", fmt.Sprintf("年份应为 %d 至 %d 之间的整数", MinYear, MaxYear))
		return
	}
	dc.doc.Year = int(v.n)
}

func (dc *decoder) agency(raw []byte) {
	if kindOf(raw) != kindObject {
		if raw == nil || kindOf(raw) == kindNull {
			dc.add("agency", "缺少此字段")
		} else {
			dc.add("agency", fmt.Sprintf("应为对象，不能是%s", kindOf(raw).name()))
		}
		return
	}
	hasLevel := false
	_ = dc.eachMember(raw, "agency", func(key string, val []byte) {
		switch key {
		case "name":
			dc.doc.Agency.Name = dc.optionalString(val, "agency.name")
		case "level":
			hasLevel = true
			dc.doc.Agency.Level = dc.optionalString(val, "agency.level")
			if !ValidLevel(dc.doc.Agency.Level) {
				dc.add("agency.level", "机关层级应为以下之一："+strings.Join(Levels, "、"))
			}
		default:
			dc.add("agency."+key, "未知字段")
		}
	})
	if !hasLevel {
		dc.add("agency.level", "缺少此字段")
	}
}

func (dc *decoder) sections(raw []byte) {
	if !dc.objectOrNull(raw, "sections") {
		return
	}
	_ = dc.eachMember(raw, "sections", func(key string, val []byte) {
		p := dc.doc.Sections.field(key)
		if p == nil {
			dc.add("sections."+key, "未知字段")
			return
		}
		*p = dc.optionalString(val, "sections."+key)
	})
}

// objectOrNull reports whether raw is an object to walk; null and missing
// are blanks, anything else is a problem.
func (dc *decoder) objectOrNull(raw []byte, path string) bool {
	switch kindOf(raw) {
	case kindObject:
		return true
	case kindNull:
		return false
	}
	dc.add(path, fmt.Sprintf("应为对象，不能是%s", kindOf(raw).name()))
	return false
}
