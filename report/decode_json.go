package report

import (
	"bytes"
	"encoding/json"
	"errors"
	"unicode/utf8"
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
//
// raw is always part of a text that precheck found to be valid JSON, so the
// walk only needs to find where tokens end, not to validate them; that keeps
// it free of the per-token allocations of encoding/json's Decoder.Token.
func (dc *decoder) eachMember(raw []byte, path string, fn func(key string, val []byte)) error {
	i := skipSpace(raw, 0)
	if i >= len(raw) || raw[i] != '{' {
		return errNotObject
	}
	var seen memberSet
	i++
	for {
		i = skipSpace(raw, i)
		if i >= len(raw) || raw[i] == '}' {
			return nil
		}
		if raw[i] == ',' {
			i = skipSpace(raw, i+1)
		}
		end := stringEnd(raw, i)
		key := unquote(raw[i:end])
		i = skipSpace(raw, end)
		i = skipSpace(raw, i+1) // the colon
		end = valueEnd(raw, i)
		val := raw[i:end:end]
		i = end
		if seen.has(key) {
			dc.add(join(path, key), "重复的字段")
			continue
		}
		seen.add(key)
		fn(key, val)
	}
}

// memberSet holds the keys seen in one object: a fixed array while small, as
// the objects of a report are, and a map once an object is large.
type memberSet struct {
	small [memberSetSmall]string
	n     int
	m     map[string]struct{}
}

const memberSetSmall = 24

func (s *memberSet) has(key string) bool {
	if s.m != nil {
		_, ok := s.m[key]
		return ok
	}
	for _, k := range s.small[:s.n] {
		if k == key {
			return true
		}
	}
	return false
}

func (s *memberSet) add(key string) {
	if s.m == nil && s.n < memberSetSmall {
		s.small[s.n] = key
		s.n++
		return
	}
	if s.m == nil {
		s.m = make(map[string]struct{}, 2*memberSetSmall)
		for _, k := range s.small[:s.n] {
			s.m[k] = struct{}{}
		}
	}
	s.m[key] = struct{}{}
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r' || b[i] == '\n') {
		i++
	}
	return i
}

// stringEnd returns the index just past the string that starts at b[i].
func stringEnd(b []byte, i int) int {
	for i++; i < len(b); {
		j := bytes.IndexByte(b[i:], '"')
		if j < 0 {
			return len(b)
		}
		i += j
		if !escapedQuote(b, i) {
			return i + 1
		}
		i++
	}
	return len(b)
}

// escapedQuote reports whether the quote at b[i] is preceded by an odd run of
// backslashes, and so belongs to the string.
func escapedQuote(b []byte, i int) bool {
	n := 0
	for i-n-1 >= 0 && b[i-n-1] == '\\' {
		n++
	}
	return n%2 == 1
}

// valueEnd returns the index just past the valid JSON value at b[i].
func valueEnd(b []byte, i int) int {
	if i >= len(b) {
		return i
	}
	switch b[i] {
	case '"':
		return stringEnd(b, i)
	case '{', '[':
		depth := 0
		for i < len(b) {
			switch b[i] {
			case '"':
				i = stringEnd(b, i)
				continue
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return i + 1
				}
			}
			i++
		}
		return i
	}
	// A number or literal runs up to the next delimiter or space.
	for i < len(b) {
		switch b[i] {
		case ',', '}', ']', ' ', '\t', '\r', '\n':
			return i
		}
		i++
	}
	return i
}

// unquote returns the text of a valid JSON string. Without escapes it is the
// bytes themselves (precheck found them valid UTF-8), and the one-letter
// escapes have a single reading; \\u escapes go through encoding/json, whose
// reading of them (lone surrogates become U+FFFD) is the one the format has
// always had.
func unquote(raw []byte) string {
	if len(raw) < 2 {
		return ""
	}
	body := raw[1 : len(raw)-1]
	i := bytes.IndexByte(body, '\\')
	if i < 0 {
		return string(body)
	}
	out := make([]byte, 0, len(body))
	for i >= 0 {
		out = append(out, body[:i]...)
		if i+1 >= len(body) {
			return unquoteJSON(raw)
		}
		switch c := body[i+1]; c {
		case '"', '\\', '/':
			out = append(out, c)
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		default:
			return unquoteJSON(raw)
		}
		body = body[i+2:]
		i = bytes.IndexByte(body, '\\')
	}
	return string(append(out, body...))
}

func unquoteJSON(raw []byte) string {
	var s string
	_ = json.Unmarshal(raw, &s) // valid JSON string
	return s
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// quote encodes s as a JSON string without HTML escaping, so that Chinese
// text and punctuation stay readable in the canonical form. It writes what
// encoding/json's Encoder with SetEscapeHTML(false) wrote before it, only
// faster: the short escapes \b \f \n \r \t, \u00xx for the other control
// bytes, \u2028 and \u2029 escaped, and each invalid UTF-8 byte replaced by a
// raw U+FFFD. The canonical bytes are hashed, so this must not drift
// (TestQuoteMatchesEncodingJSON, FuzzQuote).
func quote(buf *bytes.Buffer, s string) {
	buf.WriteByte('"')
	// In valid UTF-8 the only multi-byte runes to escape are U+2028 and
	// U+2029 (E2 80 A8/A9), so runes need no decoding.
	valid := utf8.ValidString(s)
	start := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			buf.WriteString(s[start:i])
			switch c {
			case '\\', '"':
				buf.WriteByte('\\')
				buf.WriteByte(c)
			case '\b':
				buf.WriteString(`\b`)
			case '\f':
				buf.WriteString(`\f`)
			case '\n':
				buf.WriteString(`\n`)
			case '\r':
				buf.WriteString(`\r`)
			case '\t':
				buf.WriteString(`\t`)
			default:
				buf.WriteString(`\u00`)
				buf.WriteByte(hexDigits[c>>4])
				buf.WriteByte(hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		if valid && (s[i] != 0xE2 || i+2 >= len(s) || s[i+1] != 0x80 || s[i+2]&^1 != 0xA8) {
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			buf.WriteString(s[start:i])
			buf.WriteString("\ufffd")
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			buf.WriteString(s[start:i])
			buf.WriteString(`\u202`)
			buf.WriteByte(hexDigits[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	buf.WriteString(s[start:])
	buf.WriteByte('"')
}

const hexDigits = "0123456789abcdef"

// validShallow reports whether data is one JSON value, surrounded by nothing
// but whitespace, that nests at most MaxDepth deep. It is the fast path of
// precheck: when it says yes, json.Valid and nestingDepth agree (the
// equivalence golden and FuzzValidShallow pin this); when it says no,
// precheck asks them for the exact refusal. String contents are not checked
// for UTF-8 here: precheck has already done that for the whole text.
func validShallow(data []byte) bool {
	depth := 0
	// stack holds whether each open container is an object.
	var stack [MaxDepth]bool
	i := skipSpace(data, 0)
	for {
		// A value is expected at data[i].
		if i >= len(data) {
			return false
		}
		switch c := data[i]; {
		case c == '{' || c == '[':
			if depth == MaxDepth {
				return false
			}
			stack[depth] = c == '{'
			depth++
			i = skipSpace(data, i+1)
			if i < len(data) && ((c == '{' && data[i] == '}') || (c == '[' && data[i] == ']')) {
				depth--
				i++
				break
			}
			if c == '{' {
				if i = objectKey(data, i); i < 0 {
					return false
				}
			}
			continue
		case c == '"':
			if i = validString(data, i); i < 0 {
				return false
			}
		case c == 't':
			if i = literal(data, i, "true"); i < 0 {
				return false
			}
		case c == 'f':
			if i = literal(data, i, "false"); i < 0 {
				return false
			}
		case c == 'n':
			if i = literal(data, i, "null"); i < 0 {
				return false
			}
		default:
			if i = validNumber(data, i); i < 0 {
				return false
			}
		}
		// After a value: close containers, or move on to the next member.
		for {
			i = skipSpace(data, i)
			if depth == 0 {
				return i == len(data)
			}
			if i >= len(data) {
				return false
			}
			obj := stack[depth-1]
			switch data[i] {
			case ',':
				i = skipSpace(data, i+1)
				if obj {
					if i = objectKey(data, i); i < 0 {
						return false
					}
				}
			case '}', ']':
				if obj != (data[i] == '}') {
					return false
				}
				depth--
				i++
				continue
			default:
				return false
			}
			break
		}
	}
}

// objectKey checks a member name and its colon at data[i], returning the
// index of the value after them, or -1.
func objectKey(data []byte, i int) int {
	if i >= len(data) || data[i] != '"' {
		return -1
	}
	if i = validString(data, i); i < 0 {
		return -1
	}
	i = skipSpace(data, i)
	if i >= len(data) || data[i] != ':' {
		return -1
	}
	return skipSpace(data, i+1)
}

// validString checks the string at data[i] (which is '"'): no control bytes,
// only the escapes JSON defines. It returns the index past it, or -1.
func validString(data []byte, i int) int {
	for i++; i < len(data); i++ {
		switch c := data[i]; {
		case c == '"':
			return i + 1
		case c < 0x20:
			return -1
		case c == '\\':
			i++
			if i >= len(data) {
				return -1
			}
			switch data[i] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
			case 'u':
				if i+4 >= len(data) {
					return -1
				}
				for _, h := range data[i+1 : i+5] {
					if !('0' <= h && h <= '9' || 'a' <= h && h <= 'f' || 'A' <= h && h <= 'F') {
						return -1
					}
				}
				i += 4
			default:
				return -1
			}
		}
	}
	return -1
}

func literal(data []byte, i int, lit string) int {
	if !bytes.HasPrefix(data[i:], []byte(lit)) {
		return -1
	}
	return i + len(lit)
}

// validNumber checks the JSON number at data[i], returning the index past
// it, or -1. The number must end at a delimiter or whitespace.
func validNumber(data []byte, i int) int {
	j := i
	for j < len(data) {
		c := data[j]
		if ('0' <= c && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E' {
			j++
			continue
		}
		break
	}
	if _, ok := scanNumber(string(data[i:j])); !ok {
		return -1
	}
	return j
}
