package reporttest

import "testing"

func TestFixturesDecode(t *testing.T) {
	for name, year := range map[string]int{Seed2020: 2020, Clean2021: 2021} {
		if d := Load(t, name); d.Year != year {
			t.Errorf("%s: year %d, want %d", name, d.Year, year)
		}
	}
}
