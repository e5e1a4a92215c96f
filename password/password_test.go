package password

import (
	"strings"
	"testing"
)

func TestHashAndVerify(t *testing.T) {
	h, err := Hash("demo12345")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Fatalf("hash %q does not carry the expected parameters", h)
	}
	cases := []struct {
		pw, hash string
		want     bool
	}{
		{"demo12345", h, true},
		{"demo12346", h, false},
		{"", h, false},
		{"demo12345", "", false},
		{"demo12345", "not-a-hash", false},
	}
	for _, c := range cases {
		if got := Verify(c.pw, c.hash); got != c.want {
			t.Errorf("Verify(%q, %q) = %v, want %v", c.pw, c.hash, got, c.want)
		}
	}
}

func TestValidate(t *testing.T) {
	cases := map[string]error{
		"1234567":                ErrTooShort,
		"12345678":               nil,
		"签发领导的密码":                ErrTooShort,
		"签发领导的强密码":               nil,
		strings.Repeat("a", 129): ErrTooLong,
	}
	for pw, want := range cases {
		if got := Validate(pw); got != want {
			t.Errorf("Validate(%q) = %v, want %v", pw, got, want)
		}
	}
}
