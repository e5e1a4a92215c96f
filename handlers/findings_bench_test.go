package handlers

import (
	"os"
	"testing"

	"qianfa/models"
	"qianfa/report"
)

// BenchmarkTransitionFindings compares the findings of a transition's answer
// checked afresh (decode + check of the stored content) with the cache hit
// the answer now takes.
func BenchmarkTransitionFindings(b *testing.B) {
	data, err := os.ReadFile("../report/testdata/seed-2020.json")
	if err != nil {
		b.Fatal(err)
	}
	doc, err := report.Decode(data)
	if err != nil {
		b.Fatal(err)
	}
	content, err := doc.Encode()
	if err != nil {
		b.Fatal(err)
	}
	r := &models.Report{ID: 1, Content: string(content)}
	b.Run("fresh", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, _, err := storedFindings(r); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("cached", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := cachedFindings(r); err != nil {
				b.Fatal(err)
			}
		}
	})
}
