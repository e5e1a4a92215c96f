package handlers

import (
	"testing"

	"qianfa/models"
	"qianfa/report/reporttest"
)

// BenchmarkTransitionFindings compares the findings of a transition's answer
// checked afresh (decode + check of the stored content) with the cache hit
// the answer now takes.
func BenchmarkTransitionFindings(b *testing.B) {
	content, err := reporttest.Load(b, reporttest.Seed2020).Encode()
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
