package workflow

import (
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

func TestMermaidGolden(t *testing.T) {
	golden := filepath.Join("testdata", "workflow.mmd")
	got := Mermaid()
	if *update {
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test ./workflow -run Mermaid -update)", err)
	}
	if got != string(want) {
		t.Errorf("Mermaid() differs from %s; run with -update and review the diff.\ngot:\n%s", golden, got)
	}
}
