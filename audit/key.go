package audit

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// KeySize is the length of the audit MAC key in bytes.
const KeySize = 32

// LoadOrCreateKey reads the audit key from path (hex text), creating it with
// 32 random bytes on first use: the file with mode 0600 and, if missing, its
// directory with mode 0700. It refuses a key file that group or others may
// read or write, one that is not a regular file, and one that does not hold
// exactly 32 bytes of hex, because a leaked or damaged key would silently
// make the audit chains worthless.
func LoadOrCreateKey(path string) ([]byte, error) {
	key, err := loadKey(path)
	if errors.Is(err, fs.ErrNotExist) {
		return createKey(path)
	}
	return key, err
}

func loadKey(path string) ([]byte, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("审计密钥文件 %s：%w", path, err)
	}
	if !info.Mode().IsRegular() {
		return nil, fmt.Errorf("审计密钥文件 %s 不是普通文件", path)
	}
	if perm := info.Mode().Perm(); perm&0o077 != 0 {
		return nil, fmt.Errorf("审计密钥文件 %s 的权限为 %04o，组或其他用户可以访问；请执行 chmod 600 %s", path, perm, path)
	}
	text, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("读取审计密钥文件 %s：%w", path, err)
	}
	key, err := hex.DecodeString(string(bytes.TrimSpace(text)))
	if err != nil || len(key) != KeySize {
		return nil, fmt.Errorf("审计密钥文件 %s 应为 %d 字节密钥的十六进制文本（%d 个字符）", path, KeySize, 2*KeySize)
	}
	return key, nil
}

// createKey writes a new random key to a temporary file and links it into
// place, so that a reader never sees a half-written key and two processes
// starting at once agree on one key: the loser reads the winner's file.
func createKey(path string) ([]byte, error) {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("创建审计密钥目录：%w", err)
	}
	key := make([]byte, KeySize)
	if _, err := rand.Read(key); err != nil {
		return nil, fmt.Errorf("生成审计密钥：%w", err)
	}
	tmp, err := writeTemp(dir, hex.EncodeToString(key)+"\n")
	if err != nil {
		return nil, fmt.Errorf("写入审计密钥文件 %s：%w", path, err)
	}
	defer os.Remove(tmp)
	err = os.Link(tmp, path)
	if errors.Is(err, fs.ErrExist) {
		return loadKey(path)
	}
	if err != nil {
		return nil, fmt.Errorf("创建审计密钥文件 %s：%w", path, err)
	}
	return key, nil
}

// writeTemp writes text to a new file of mode 0600 in dir and returns its name.
func writeTemp(dir, text string) (string, error) {
	f, err := os.CreateTemp(dir, ".audit-key-*")
	if err != nil {
		return "", err
	}
	_, err = f.WriteString(text)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(f.Name())
		return "", err
	}
	return f.Name(), nil
}
