package report

import "testing"

func TestSetSection(t *testing.T) {
	var s Sections
	for _, key := range SectionKeys {
		if !s.SetSection(key, "文本"+key) {
			t.Fatalf("SetSection(%q) refused a known key", key)
		}
		if got, _ := s.Section(key); got != "文本"+key {
			t.Fatalf("Section(%q) = %q", key, got)
		}
	}
	if s.SetSection("summary", "x") {
		t.Fatal("SetSection accepted an unknown key")
	}
}
