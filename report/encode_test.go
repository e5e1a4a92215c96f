package report

import (
	"bytes"
	"os"
	"strconv"
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
