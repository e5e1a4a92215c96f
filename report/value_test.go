package report

import (
	"encoding/json"
	"errors"
	"testing"
)

func TestParseNumber(t *testing.T) {
	tests := []struct {
		in      string
		integer bool
		n       int64
		f       float64
		err     error
	}{
		{"0", true, 0, 0, nil},
		{"-30", true, -30, -30, nil},
		{"9223372036854775807", true, 9223372036854775807, 9223372036854775807, nil},
		{"4068.208", false, 4068, 4068.208, nil},
		{"1e3", false, 1000, 1000, nil},
		{"2.5E-1", false, 0, 0.25, nil},
		{"9223372036854775808", false, 0, 0, ErrOutOfRange},
		{"1e400", false, 0, 0, ErrOutOfRange},
		{"01", false, 0, 0, ErrNotNumber},
		{"1.", false, 0, 0, ErrNotNumber},
		{".5", false, 0, 0, ErrNotNumber},
		{"+1", false, 0, 0, ErrNotNumber},
		{"1e", false, 0, 0, ErrNotNumber},
		{"-", false, 0, 0, ErrNotNumber},
		{"", false, 0, 0, ErrNotNumber},
		{"1 ", false, 0, 0, ErrNotNumber},
	}
	for _, tt := range tests {
		v, err := ParseNumber(tt.in)
		if !errors.Is(err, tt.err) {
			t.Errorf("ParseNumber(%q) error = %v, want %v", tt.in, err, tt.err)
			continue
		}
		if err == nil && (v.IsInteger() != tt.integer || v.Int64() != tt.n || v.Float() != tt.f || v.String() != tt.in) {
			t.Errorf("ParseNumber(%q) = %v int=%v n=%d f=%v", tt.in, v, v.IsInteger(), v.Int64(), v.Float())
		}
	}
}

func TestValueJSON(t *testing.T) {
	dec, _ := ParseNumber("4068.208")
	got, _ := json.Marshal([]Value{Blank(), Int(-3), dec})
	if string(got) != "[null,-3,4068.208]" {
		t.Errorf("json = %s", got)
	}
	if Blank().JSON() != nil || Int(5).JSON() != int64(5) || dec.JSON() != json.Number("4068.208") {
		t.Error("Value.JSON readings wrong")
	}
}
