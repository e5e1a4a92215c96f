package workflow

import (
	"os"
	"strings"
	"testing"
)

// The README shows the diagram; it must be the one the table generates.
func TestReadmeShowsCurrentDiagram(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(readme), strings.TrimSpace(Mermaid())) {
		t.Fatal("README.md does not contain the current workflow diagram; copy workflow/testdata/workflow.mmd into it")
	}
}
