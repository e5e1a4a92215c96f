package report

import (
	"os"
	"reflect"
	"strings"
	"testing"
)

// FuzzDiff decodes two arbitrary documents and diffs them. Diff must never panic, must
// find nothing between a document and its clone, must name each path once, must be its
// own mirror image for documents of one edition, and copying the changed cells of b into
// a must leave no cell difference.
func FuzzDiff(f *testing.F) {
	seed, err := os.ReadFile("testdata/seed-2020.json")
	if err != nil {
		f.Fatal(err)
	}
	clean, err := os.ReadFile("testdata/clean-2021.json")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(seed, seed)
	f.Add(seed, clean)
	f.Add(clean, []byte(strings.Replace(string(clean), `"year": 2021`, `"year": 2022`, 1)))
	f.Fuzz(func(t *testing.T, x, y []byte) {
		a, err := Decode(x)
		if err != nil {
			return
		}
		b, err := Decode(y)
		if err != nil {
			b = a.Clone()
		}
		if cs := Diff(a, a.Clone()); len(cs) != 0 {
			t.Fatalf("Diff(a, clone of a) = %v, want nothing", cs)
		}
		ab := Diff(a, b)
		seen := map[string]bool{}
		for _, c := range ab {
			if seen[c.Path] {
				t.Fatalf("path %s listed twice in %v", c.Path, ab)
			}
			seen[c.Path] = true
			if reflect.DeepEqual(c.From, c.To) {
				t.Fatalf("change %+v does not change anything", c)
			}
		}
		if a.Edition != b.Edition {
			return
		}
		checkMirror(t, ab, Diff(b, a))
		patched := a.Clone()
		for _, c := range ab {
			if v, ok := b.Value(c.Path); ok && !textPath(c.Path) {
				if err := patched.Set(c.Path, v); err != nil {
					t.Fatalf("Set(%s): %v", c.Path, err)
				}
			}
		}
		for _, c := range Diff(patched, b) {
			if !textPath(c.Path) {
				t.Fatalf("cell %s still differs after copying every changed cell: %+v", c.Path, c)
			}
		}
	})
}

// checkMirror asserts that ba lists the changes of ab in the same order, from and to swapped.
func checkMirror(t *testing.T, ab, ba []Change) {
	t.Helper()
	if len(ab) != len(ba) {
		t.Fatalf("Diff(a,b) has %d changes, Diff(b,a) %d", len(ab), len(ba))
	}
	for i := range ab {
		want := Change{Path: ab[i].Path, From: ab[i].To, To: ab[i].From}
		if !reflect.DeepEqual(ba[i], want) {
			t.Fatalf("Diff(b,a)[%d] = %+v, want %+v", i, ba[i], want)
		}
	}
}

// textPath tells the document's own fields from table cells.
func textPath(p string) bool {
	switch p {
	case "edition", "year", "agency.name", "agency.level", "title":
		return true
	}
	return strings.HasPrefix(p, "sections.")
}
