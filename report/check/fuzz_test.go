package check

import (
	"os"
	"testing"

	"qianfa/report"
)

// FuzzDecodeCheck decodes arbitrary bytes and checks whatever decodes; it
// must never panic, and a decoded document must re-encode and re-decode.
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
	})
}
