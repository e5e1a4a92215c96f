package check

import (
	"testing"

	"qianfa/report"
	"qianfa/report/reporttest"
)

func benchDecodeCheck(b *testing.B, name string) {
	data := reporttest.Bytes(b, name)
	b.ReportAllocs()
	for b.Loop() {
		d, err := report.Decode(data)
		if err != nil {
			b.Fatal(err)
		}
		Check(d)
	}
}

func benchCheck(b *testing.B, name string) {
	d := load(b, name)
	b.ReportAllocs()
	for b.Loop() {
		Check(d)
	}
}

func BenchmarkDecodeCheckSeed(b *testing.B) { benchDecodeCheck(b, "seed-2020.json") }
func BenchmarkDecodeCheck2021(b *testing.B) { benchDecodeCheck(b, "clean-2021.json") }
func BenchmarkCheckSeed(b *testing.B)       { benchCheck(b, "seed-2020.json") }
func BenchmarkCheck2021(b *testing.B)       { benchCheck(b, "clean-2021.json") }
