package export

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestLibreOfficeConverts opens both exports in LibreOffice, as a reader
// other than our own parser, and prints them to PDF.
func TestLibreOfficeConverts(t *testing.T) {
	soffice, err := exec.LookPath("soffice")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("soffice 未安装（libreoffice-writer-nogui、libreoffice-calc-nogui）")
		}
		t.Skip("soffice not installed")
	}
	d := load(t, "seed-2020.json")
	dir := t.TempDir()
	docx, err := DOCX(d)
	if err != nil {
		t.Fatal(err)
	}
	xlsx, err := XLSX(d)
	if err != nil {
		t.Fatal(err)
	}
	inputs := map[string][]byte{"report.docx": docx, "tables.xlsx": xlsx}
	args := []string{"--headless", "--norestore", "-env:UserInstallation=file://" + filepath.Join(dir, "profile"),
		"--convert-to", "pdf", "--outdir", dir}
	for name, data := range inputs {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o600); err != nil {
			t.Fatal(err)
		}
		args = append(args, filepath.Join(dir, name))
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, soffice, args...)
	cmd.Env = append(os.Environ(), "HOME="+dir)
	cmd.WaitDelay = 10 * time.Second
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("soffice: %v\n%s", err, out)
	}
	wants := map[string][]string{
		"report.pdf": {d.Title, "一、总体情况", "六、其他需要报告的事项", "申请人情况", "12293400"},
		"tables.pdf": {d.Title, "申请人情况", "未经复议直接起诉", "12293400.00元"},
	}
	for pdf, want := range wants {
		checkPDF(t, filepath.Join(dir, pdf), want)
	}
}

// checkPDF asserts the PDF exists and, when pdftotext is installed, that
// its text holds every wanted string (whitespace ignored: the extraction
// spaces digits apart from Chinese).
func checkPDF(t *testing.T, path string, want []string) {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil || fi.Size() == 0 {
		t.Fatalf("%s missing or empty: %v", path, err)
	}
	pdftotext, err := exec.LookPath("pdftotext")
	if err != nil {
		t.Logf("pdftotext not installed; %s not read", path)
		return
	}
	out, err := exec.Command(pdftotext, "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext %s: %v", path, err)
	}
	text := strings.Join(strings.Fields(string(out)), "")
	for _, w := range want {
		if !strings.Contains(text, w) {
			t.Errorf("%s lacks %q", filepath.Base(path), w)
		}
	}
}
