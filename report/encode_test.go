package report

import (
	"bytes"
	"encoding/json"
	"os"
	"strconv"
	"strings"
	"testing"
)

func readFile(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// TestEncodeRoundTripIsByteExact: Encode gives the interchange file back
// byte for byte; the stored form, Compact, is that file without whitespace
// between tokens (json.Compact of it), decodes to the same document, and
// Indent turns it, or an indented row stored before, into the file again.
func TestEncodeRoundTripIsByteExact(t *testing.T) {
	for _, name := range []string{"seed-2020.json", "clean-2021.json"} {
		t.Run(name, func(t *testing.T) {
			data := readFile(t, name)
			d, err := Decode(data)
			if err != nil {
				t.Fatal(err)
			}
			out, err := d.Encode()
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(out, data) {
				t.Fatalf("encode(decode(%s)) differs:\n%s", name, firstDiff(out, data))
			}
			stored, err := d.Compact()
			if err != nil {
				t.Fatal(err)
			}
			var want bytes.Buffer
			if err := json.Compact(&want, data); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(stored, want.Bytes()) {
				t.Fatalf("Compact differs from json.Compact:\n%s", firstDiff(stored, want.Bytes()))
			}
			again, err := Decode(stored)
			if err != nil {
				t.Fatal(err)
			}
			if out, _ := again.Encode(); !bytes.Equal(out, data) {
				t.Fatalf("encode(decode(compact)) differs:\n%s", firstDiff(out, data))
			}
			for _, in := range [][]byte{stored, data} {
				if got := Indent(in); !bytes.Equal(got, data) {
					t.Fatalf("Indent differs:\n%s", firstDiff(got, data))
				}
			}
		})
	}
}

func firstDiff(a, b []byte) string {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	lo := max(0, i-60)
	return "got:  " + string(a[lo:min(len(a), i+60)]) + "\nwant: " + string(b[lo:min(len(b), i+60)])
}

func itoa(i int) string { return strconv.Itoa(i) }

func TestDecimalKeptAsWritten(t *testing.T) {
	data := mutate(t, readFile(t, "clean-2021.json"), `"amount_wan_yuan": 12.85`, `"amount_wan_yuan": 4068.208`)
	d, err := Decode(data)
	if err != nil {
		t.Fatal(err)
	}
	v, _ := d.Value("t2.art20_8.administrative_fees.amount_wan_yuan")
	if v.String() != "4068.208" || v.Float() != 4068.208 || v.IsInteger() {
		t.Errorf("value = %q %v %v", v.String(), v.Float(), v.IsInteger())
	}
	out, _ := d.Encode()
	if !bytes.Equal(out, data) {
		t.Errorf("re-encoded differs: %s", firstDiff(out, data))
	}
}

func TestNewDraftEncodesBlanks(t *testing.T) {
	d := New(EditionForYear(2021), 2021, "某县人民政府", "county_government")
	out, err := d.Encode()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(out, []byte(`"sections": {},`)) ||
		!bytes.Contains(out, []byte("\"amount_wan_yuan\": null\n")) ||
		bytes.Count(out, []byte("null")) != len(d.Paths()) {
		t.Errorf("draft encoding:\n%s", out)
	}
	back, err := Decode(out)
	if err != nil {
		t.Fatal(err)
	}
	if cs := Diff(d, back); len(cs) != 0 {
		t.Errorf("diff after round trip: %v", cs)
	}
}

// quoteReference is the encoder quote used to be written with; quote must
// give the same bytes for every string, valid UTF-8 or not.
func quoteReference(s string) string {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s)
	return strings.TrimSuffix(buf.String(), "\n")
}

func quoteString(s string) string {
	var buf bytes.Buffer
	quote(&buf, s)
	return buf.String()
}

func quoteCases() []string {
	cases := []string{"", "a", `"`, `\`, "<>&", "\u2028\u2029", "a\u2028b\u2029c", "\x7f", "\xff", "\xed\xa0\x80",
		"\xc0\x80", "\xf4\x90\x80\x80", "\xe6\x97", "中\xe6\x97文", "\ufffd", "\ufeff", "\U0010ffff", "\u2027\u202a",
		"嘉兴市民政局2021年度\n（一）“先审查、后公开”\t"}
	for b := 0; b < 256; b++ {
		cases = append(cases, string(rune(b)), string([]byte{byte(b)}), "x"+string([]byte{byte(b)})+"y")
	}
	for r := rune(0x80); r < 0x3000; r += 7 {
		cases = append(cases, string(r))
	}
	return cases
}

func TestQuoteMatchesEncodingJSON(t *testing.T) {
	for _, s := range quoteCases() {
		if got, want := quoteString(s), quoteReference(s); got != want {
			t.Errorf("quote(%q) = %s, want %s", s, got, want)
		}
	}
}

func FuzzQuote(f *testing.F) {
	for _, s := range quoteCases() {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := quoteString(s), quoteReference(s); got != want {
			t.Errorf("quote(%q) = %s, want %s", s, got, want)
		}
	})
}

// TestIndentLeavesWhatIsNotJSON: content that is not JSON is answered as stored.
func TestIndentLeavesWhatIsNotJSON(t *testing.T) {
	if got := Indent([]byte("not json")); string(got) != "not json" {
		t.Errorf("Indent(not json) = %q", got)
	}
}
