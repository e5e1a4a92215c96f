package report

import "testing"

func BenchmarkDiff(b *testing.B) {
	a, err := Decode(readFile(b, "seed-2020.json"))
	if err != nil {
		b.Fatal(err)
	}
	c := a.Clone()
	c.Sections.Other = "有。"
	_ = c.Set("t3.r1_new_received.total", Int(5))
	b.ReportAllocs()
	for b.Loop() {
		if len(Diff(a, c)) != 2 {
			b.Fatal("unexpected diff")
		}
	}
}

func BenchmarkDecodeSeed(b *testing.B) {
	data := readFile(b, "seed-2020.json")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Decode(data); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkEncodeSeed(b *testing.B) {
	d, err := Decode(readFile(b, "seed-2020.json"))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := d.Encode(); err != nil {
			b.Fatal(err)
		}
	}
}
