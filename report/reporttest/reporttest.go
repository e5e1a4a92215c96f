// Package reporttest gives tests the report fixtures of report/testdata: the seed (a real
// 2020 report, 2019 edition) and a clean, fully filled 2021-edition report. Import it only
// from _test.go files.
package reporttest

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"qianfa/report"
)

// The fixtures in report/testdata.
const (
	Seed2020  = "seed-2020.json"
	Clean2021 = "clean-2021.json"
)

// Bytes returns the fixture file name exactly as stored.
func Bytes(tb testing.TB, name string) []byte {
	tb.Helper()
	_, here, _, _ := runtime.Caller(0)
	data, err := os.ReadFile(filepath.Join(filepath.Dir(here), "..", "testdata", name))
	if err != nil {
		tb.Fatal(err)
	}
	return data
}

// Load decodes the fixture file name.
func Load(tb testing.TB, name string) *report.Document {
	tb.Helper()
	d, err := report.Decode(Bytes(tb, name))
	if err != nil {
		tb.Fatalf("fixture %s: %v", name, err)
	}
	return d
}
