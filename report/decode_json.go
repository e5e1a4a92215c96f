package report

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
)

// Limits that keep decoding bounded.
const (
	MaxInputBytes = 4 << 20 // larger inputs are refused before parsing
	MaxDepth      = 32      // deeper nesting is refused before parsing
	maxProblems   = 100
)

// jsonKind classifies a raw JSON value by its first byte.
type jsonKind int

const (
	kindNull jsonKind = iota
	kindString
	kindBool
	kindNumber
	kindObject
	kindArray
)

func kindOf(raw []byte) jsonKind {
	if len(raw) == 0 {
		return kindNull
	}
	switch raw[0] {
	case '"':
		return kindString
	case 't', 'f':
		return kindBool
	case '{':
		return kindObject
	case '[':
		return kindArray
	case 'n':
		return kindNull
	}
	return kindNumber
}

func (k jsonKind) name() string {
	return [...]string{"null", "字符串", "布尔值", "数字", "对象", "数组"}[k]
}

// nestingDepth returns the maximum nesting of objects and arrays in valid JSON.
func nestingDepth(data []byte) int {
	depth, maxDepth, inString, escaped := 0, 0, false, false
	for _, c := range data {
		switch {
		case inString && escaped:
			escaped = false
		case inString && c == '\\':
			escaped = true
		case inString && c == '"':
			inString = false
		case inString:
		case c == '"':
			inString = true
		case c == '{' || c == '[':
			depth++
			if depth > maxDepth {
				maxDepth = depth
			}
		case c == '}' || c == ']':
			depth--
		}
	}
	return maxDepth
}

var errNotObject = errors.New("not an object")

// eachMember calls fn for every member of the object raw, in order, and
// reports duplicate keys as problems (the first occurrence wins).
func (dc *decoder) eachMember(raw []byte, path string, fn func(key string, val []byte)) error {
	dec := json.NewDecoder(bytes.NewReader(raw))
	tok, err := dec.Token()
	if err != nil || tok != json.Delim('{') {
		return errNotObject
	}
	seen := make(map[string]struct{}, 8)
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		key, _ := tok.(string)
		var val json.RawMessage
		if err := dec.Decode(&val); err != nil && err != io.EOF {
			return err
		}
		if _, dup := seen[key]; dup {
			dc.add(join(path, key), "重复的字段")
			continue
		}
		seen[key] = struct{}{}
		fn(key, val)
	}
	return nil
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// quote encodes s as a JSON string without HTML escaping, so that Chinese
// text and punctuation stay readable in the canonical form.
func quote(buf *bytes.Buffer, s string) {
	enc := json.NewEncoder(buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s) // a string always encodes
	buf.Truncate(buf.Len() - 1)
}
