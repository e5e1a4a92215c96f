package report

import (
	"errors"
	"math"
	"strconv"
)

// Value is the content of one cell: blank, or a number kept exactly as
// written (text) with its integer and float readings for comparisons.
type Value struct {
	text  string // JSON number text; "" means blank
	n     int64
	f     float64
	isInt bool
}

// Blank returns the blank cell value.
func Blank() Value { return Value{} }

// Int returns an integer cell value.
func Int(n int64) Value {
	return Value{text: strconv.FormatInt(n, 10), n: n, f: float64(n), isInt: true}
}

// ErrNotNumber is returned by ParseNumber for text that is not a JSON number.
var ErrNotNumber = errors.New("不是数字")

// ErrOutOfRange is returned by ParseNumber for numbers beyond int64 or float64.
var ErrOutOfRange = errors.New("数值超出范围")

// ParseNumber reads a JSON number literal, keeping its text. An integer
// literal (no fraction, no exponent) must fit int64.
func ParseNumber(s string) (Value, error) {
	integral, ok := scanNumber(s)
	if !ok {
		return Value{}, ErrNotNumber
	}
	if integral {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return Value{}, ErrOutOfRange
		}
		return Value{text: s, n: n, f: float64(n), isInt: true}, nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(f, 0) {
		return Value{}, ErrOutOfRange
	}
	return Value{text: s, f: f, n: int64(f), isInt: false}, nil
}

// scanNumber validates the JSON number grammar and says whether s is an
// integer literal.
func scanNumber(s string) (integral, ok bool) {
	i := 0
	if i < len(s) && s[i] == '-' {
		i++
	}
	start := i
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	digits := i - start
	if digits == 0 || (digits > 1 && s[start] == '0') {
		return false, false
	}
	integral = true
	if i < len(s) && s[i] == '.' {
		integral = false
		i++
		if i = skipDigits(s, i); i < 0 {
			return false, false
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		integral = false
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		if i = skipDigits(s, i); i < 0 {
			return false, false
		}
	}
	return integral, i == len(s)
}

// skipDigits skips at least one digit, returning -1 if there is none.
func skipDigits(s string, i int) int {
	j := i
	for j < len(s) && s[j] >= '0' && s[j] <= '9' {
		j++
	}
	if j == i {
		return -1
	}
	return j
}

// IsBlank reports whether the cell is blank.
func (v Value) IsBlank() bool { return v.text == "" }

// IsInteger reports whether the value was written as an integer.
func (v Value) IsInteger() bool { return v.text != "" && v.isInt }

// Int64 returns the integer reading (truncated for decimals, 0 for blank).
func (v Value) Int64() int64 { return v.n }

// Float returns the float reading (0 for blank).
func (v Value) Float() float64 { return v.f }

// String returns the number as written, or "" for blank.
func (v Value) String() string { return v.text }

// JSON returns the value as it appears in a diff: nil for blank, int64 for
// integers and the number text for decimals.
func (v Value) JSON() any {
	switch {
	case v.text == "":
		return nil
	case v.isInt:
		return v.n
	}
	return jsonNumber(v.text)
}

// Equal reports whether both values are blank or written identically.
func (v Value) Equal(w Value) bool { return v.text == w.text }

// MarshalJSON writes the number as written, or null for a blank cell.
func (v Value) MarshalJSON() ([]byte, error) {
	if v.text == "" {
		return []byte("null"), nil
	}
	return []byte(v.text), nil
}
