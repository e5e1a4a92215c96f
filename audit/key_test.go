package audit

import (
	"bytes"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestLoadOrCreateKeyCreates(t *testing.T) {
	path := filepath.Join(t.TempDir(), "data", "audit.key")
	key, err := LoadOrCreateKey(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(key) != KeySize {
		t.Fatalf("key has %d bytes", len(key))
	}
	info, err := os.Stat(path)
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("key file mode %v, %v", info.Mode(), err)
	}
	dir, err := os.Stat(filepath.Dir(path))
	if err != nil || dir.Mode().Perm() != 0o700 {
		t.Fatalf("key dir mode %v, %v", dir.Mode(), err)
	}
	text, _ := os.ReadFile(path)
	if string(text) != hex.EncodeToString(key)+"\n" {
		t.Errorf("file holds %q", text)
	}
	again, err := LoadOrCreateKey(path)
	if err != nil || !bytes.Equal(again, key) {
		t.Errorf("second load: %x, %v; want %x", again, err, key)
	}
	if entries, _ := os.ReadDir(filepath.Dir(path)); len(entries) != 1 {
		t.Errorf("leftover files: %v", entries)
	}
}

func TestLoadOrCreateKeyRefuses(t *testing.T) {
	good := strings.Repeat("0f", KeySize) + "\n"
	tests := []struct {
		name    string
		content string
		mode    os.FileMode
		want    string
	}{
		{"readable by group", good, 0o640, "权限为 0640"},
		{"readable by others", good, 0o604, "chmod 600"},
		{"too short", strings.Repeat("0f", KeySize-1), 0o600, "应为 32 字节密钥"},
		{"too long", strings.Repeat("0f", KeySize+1), 0o600, "应为 32 字节密钥"},
		{"not hex", strings.Repeat("zz", KeySize), 0o600, "十六进制"},
		{"empty", "", 0o600, "应为 32 字节密钥"},
	}
	for _, tc := range tests {
		path := filepath.Join(t.TempDir(), "audit.key")
		if err := os.WriteFile(path, []byte(tc.content), tc.mode); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(path, tc.mode); err != nil {
			t.Fatal(err)
		}
		key, err := LoadOrCreateKey(path)
		if err == nil || !strings.Contains(err.Error(), tc.want) || key != nil {
			t.Errorf("%s: got %x, %v; want error containing %q", tc.name, key, err, tc.want)
		}
	}
	if _, err := LoadOrCreateKey(t.TempDir()); err == nil || !strings.Contains(err.Error(), "不是普通文件") {
		t.Errorf("directory: %v", err)
	}
}

func TestLoadKeyAcceptsOwnerOnly(t *testing.T) {
	path := filepath.Join(t.TempDir(), "audit.key")
	if err := os.WriteFile(path, []byte("  "+strings.Repeat("0F", KeySize)+"\r\n"), 0o400); err != nil {
		t.Fatal(err)
	}
	key, err := LoadOrCreateKey(path)
	if err != nil || !bytes.Equal(key, bytes.Repeat([]byte{0x0f}, KeySize)) {
		t.Errorf("got %x, %v", key, err)
	}
}
