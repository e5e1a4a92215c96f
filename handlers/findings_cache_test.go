package handlers

import (
	"reflect"
	"testing"

	"qianfa/models"
	"qianfa/report/check"
	"qianfa/report/reporttest"
)

func TestFindingsCacheEvictsLeastRecentlyUsed(t *testing.T) {
	c := newFindingsCache(2)
	a, b, d := []check.Finding{{Rule: "A"}}, []check.Finding{{Rule: "B"}}, []check.Finding{{Rule: "D"}}
	c.put("a", a)
	c.put("b", b)
	if got, ok := c.get("a"); !ok || got[0].Rule != "A" { // a is now the most recent
		t.Fatalf("get(a) = %v, %v", got, ok)
	}
	c.put("d", d) // evicts b
	if _, ok := c.get("b"); ok {
		t.Error("b was not evicted")
	}
	for key, want := range map[string]string{"a": "A", "d": "D"} {
		if got, ok := c.get(key); !ok || got[0].Rule != want {
			t.Errorf("get(%s) = %v, %v; want %s", key, got, ok, want)
		}
	}
	c.put("a", b) // the same content keeps its findings
	if got, _ := c.get("a"); got[0].Rule != "A" || c.len() != 2 {
		t.Errorf("after re-put: get(a) = %v, len %d", got, c.len())
	}
}

// cachedFindings answers exactly what checking the stored content answers,
// from the cache the second time.
func TestCachedFindingsEqualStoredFindings(t *testing.T) {
	doc := reporttest.Load(t, reporttest.Seed2020)
	content, err := doc.Encode()
	if err != nil {
		t.Fatal(err)
	}
	r := &models.Report{ID: 1, Content: string(content) + " "} // content no other test caches
	want := check.Check(doc)
	for round := range 2 {
		got, err := cachedFindings(r)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("round %d: %d findings, want %d", round, len(got), len(want))
		}
		if _, ok := processFindings.get(r.Content); !ok {
			t.Fatalf("round %d: content not cached", round)
		}
	}
}
