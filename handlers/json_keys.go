package handlers

import (
	"bytes"
	"encoding/json"
	"errors"
	"slices"
	"strconv"
	"strings"

	"qianfa/workflow"
)

// checkKeys walks a valid JSON text (json.Valid said so) and refuses a value
// nested deeper than maxRequestDepth and an object that has a key twice (keys
// compared decoded, as encoding/json compares them). Knowing the text valid,
// it only has to find where strings end: no tokens, no allocation per key.
func checkKeys(data []byte) error {
	var (
		keys   [][]byte // the keys of every open object, innermost last
		frames []keyFrame
	)
	expectKey := false
	for i := 0; i < len(data); i++ {
		switch c := data[i]; c {
		case '{', '[':
			if len(frames) > maxRequestDepth {
				return errTooDeep()
			}
			frames = append(frames, keyFrame{object: c == '{', from: len(keys)})
			expectKey = c == '{'
		case '}', ']':
			keys = keys[:frames[len(frames)-1].from]
			frames = frames[:len(frames)-1]
			expectKey = false
		case ',':
			expectKey = frames[len(frames)-1].object
		case '"':
			end := stringEnd(data, i)
			if expectKey {
				key := decodedKey(data[i:end])
				f := &frames[len(frames)-1]
				if f.has(keys, key) {
					return workflow.ErrBadRequest("字段 %s 重复出现", key)
				}
				keys = f.add(keys, key)
				expectKey = false
			} else if len(frames) > maxRequestDepth {
				return errTooDeep()
			}
			i = end - 1
		case ' ', '\t', '\n', '\r', ':':
		default: // a number or a literal
			if len(frames) > maxRequestDepth {
				return errTooDeep()
			}
			if c == '-' || c >= '0' && c <= '9' {
				end := numberEnd(data, i)
				if !fitsFloat64(data[i:end]) {
					return errNeedsDecoder
				}
				i = end - 1
			}
		}
	}
	return nil
}

// errNeedsDecoder: the text holds a number beyond float64, which the
// Decoder refuses in words of its own; checkJSONText asks it.
var errNeedsDecoder = errors.New("json: a number beyond float64")

// numberEnd returns the index just past the number that starts at data[i]
// in valid JSON.
func numberEnd(data []byte, i int) int {
	for i < len(data) && strings.IndexByte("+-.0123456789eE", data[i]) >= 0 {
		i++
	}
	return i
}

// fitsFloat64 reports whether the valid JSON number num parses as a float64,
// as the Decoder parses every number: only one with an exponent or of more
// than 308 digits can be out of range (a tiny one rounds to zero).
func fitsFloat64(num []byte) bool {
	if len(num) <= 308 && !bytes.ContainsAny(num, "eE") {
		return true
	}
	_, err := strconv.ParseFloat(string(num), 64)
	return err == nil
}

func errTooDeep() error {
	return workflow.ErrBadRequest("请求体嵌套层数超过 %d", maxRequestDepth)
}

// keyFrame is one open object or array; an object's keys are keys[from:], and
// once it has many, also a set.
type keyFrame struct {
	object bool
	from   int
	set    map[string]struct{}
}

// keyFrameSmall is how many keys an object holds before its frame keeps a set:
// a request's objects are small, a hostile one must not cost n² comparisons.
const keyFrameSmall = 32

func (f *keyFrame) has(keys [][]byte, key []byte) bool {
	if f.set != nil {
		_, ok := f.set[string(key)]
		return ok
	}
	for _, k := range keys[f.from:] {
		if bytes.Equal(k, key) {
			return true
		}
	}
	return false
}

func (f *keyFrame) add(keys [][]byte, key []byte) [][]byte {
	if f.set == nil && len(keys)-f.from >= keyFrameSmall {
		f.set = make(map[string]struct{}, 2*keyFrameSmall)
		for _, k := range keys[f.from:] {
			f.set[string(k)] = struct{}{}
		}
	}
	if f.set != nil {
		f.set[string(key)] = struct{}{}
		return keys
	}
	return append(keys, key)
}

// stringEnd returns the index just past the string that starts at data[i]
// (a '"') in valid JSON: the first quote not escaped by an odd run of
// backslashes, found with IndexByte (most of a report is long text).
func stringEnd(data []byte, i int) int {
	for {
		j := i + 1 + bytes.IndexByte(data[i+1:], '"')
		k := j - 1
		for data[k] == '\\' {
			k--
		}
		if (j-1-k)%2 == 0 {
			return j + 1
		}
		i = j
	}
}

// decodedKey is the key quoted in raw: its bytes between the quotes, decoded
// only when it has an escape.
func decodedKey(raw []byte) []byte {
	if bytes.IndexByte(raw, '\\') < 0 {
		return raw[1 : len(raw)-1]
	}
	var s string
	_ = json.Unmarshal(raw, &s) // raw is a valid JSON string
	return []byte(s)
}

// rawMemberRequest is a request with one large member kept as raw JSON for a
// strict decoding of its own (a report's content): bind cuts it out before
// encoding/json, which would scan all of it again only to copy it.
type rawMemberRequest interface {
	rawMember() string // the member's name
	setRawMember(raw []byte) error
}

// cutMember finds the top-level member name of the valid JSON object data and
// returns data with that member's value replaced by null, and the value; data
// as it is and nil when there is no such member.
func cutMember(data []byte, name string) ([]byte, []byte) {
	depth := 0
	expectKey := false
	for i := 0; i < len(data); i++ {
		switch data[i] {
		case '{', '[':
			depth++
			expectKey = depth == 1 && data[i] == '{'
		case '}', ']':
			depth--
		case ',':
			expectKey = depth == 1
		case '"':
			end := stringEnd(data, i)
			if expectKey && string(decodedKey(data[i:end])) == name {
				start := valueStart(data, end)
				stop := valueStop(data, start)
				return slices.Concat(data[:start], []byte("null"), data[stop:]), data[start:stop]
			}
			expectKey = false
			i = end - 1
		}
	}
	return data, nil
}

// valueStart is the index of the value after the key that ends before i.
func valueStart(data []byte, i int) int {
	for data[i] == ' ' || data[i] == '\t' || data[i] == '\n' || data[i] == '\r' || data[i] == ':' {
		i++
	}
	return i
}

// valueStop is the index just past the value that starts at data[i].
func valueStop(data []byte, i int) int {
	depth := 0
	for j := i; j < len(data); j++ {
		switch data[j] {
		case '"':
			j = stringEnd(data, j) - 1
			if depth == 0 {
				return j + 1
			}
		case '{', '[':
			depth++
		case '}', ']':
			if depth == 0 { // the end of the object holding a scalar value
				return trimRight(data, i, j)
			}
			depth--
			if depth == 0 {
				return j + 1
			}
		case ',':
			if depth == 0 {
				return trimRight(data, i, j)
			}
		}
	}
	return len(data)
}

// trimRight is j moved left past the whitespace that ends data[i:j].
func trimRight(data []byte, i, j int) int {
	for j > i && (data[j-1] == ' ' || data[j-1] == '\t' || data[j-1] == '\n' || data[j-1] == '\r') {
		j--
	}
	return j
}
