package workflow

import (
	"os/exec"
	"strings"
	"testing"
)

// TestImportsOnlyStdlib keeps the domain free of storage and HTTP: every
// dependency of this package must be in the standard library.
func TestImportsOnlyStdlib(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "-f", "{{if not .Standard}}{{.ImportPath}}{{end}}", ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	if got := strings.Fields(string(out)); len(got) != 1 || got[0] != "qianfa/workflow" {
		t.Errorf("non-standard dependencies: %v", got)
	}
}
