package check

import (
	"bytes"
	"os"
	"testing"

	"qianfa/report"
)

// FuzzDecodeCheck decodes arbitrary bytes and checks whatever decodes; it
// must never panic, a decoded document must re-encode and re-decode, and
// its stored (compact) form must indent back to the interchange form.
func FuzzDecodeCheck(f *testing.F) {
	for _, name := range []string{"seed-2020.json", "clean-2021.json"} {
		data, err := os.ReadFile("../testdata/" + name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := report.Decode(data)
		if err != nil {
			if d != nil {
				t.Fatal("document returned with an error")
			}
			return
		}
		fs := Check(d)
		HasErrors(fs)
		out, err := d.Encode()
		if err != nil {
			t.Fatalf("Encode: %v", err)
		}
		if _, err := report.Decode(out); err != nil {
			t.Fatalf("re-decode of canonical form: %v", err)
		}
		stored, err := d.Compact()
		if err != nil {
			t.Fatalf("Compact: %v", err)
		}
		if got := report.Indent(stored); !bytes.Equal(got, out) {
			t.Fatalf("Indent(Compact()) differs from Encode():\n%s\n%s", got, out)
		}
	})
}
