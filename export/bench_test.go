package export

import "testing"

func BenchmarkXLSXSeed(b *testing.B) {
	d := load(b, "seed-2020.json")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := XLSX(d); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDOCXSeed(b *testing.B) {
	d := load(b, "seed-2020.json")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := DOCX(d); err != nil {
			b.Fatal(err)
		}
	}
}
