package config

import (
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
)

// EnsureKeys fills in a missing signing key and admin token outside
// production, from files in DataDir, creating them on first use, so the quick
// start works and links survive a restart. Generated values are logged as
// warnings; the admin token is printed so a newcomer can mint links.
func EnsureKeys(c *Config, log *slog.Logger) error {
	if c.Production() {
		return nil // validate already refused missing keys
	}
	if len(c.Secrets) == 0 {
		s, created, err := devValue(c.DataDir, "secret")
		if err != nil {
			return fmt.Errorf("SHARECARD_SECRET is not set and no development key could be kept in SHARECARD_DATA_DIR=%q: %w", c.DataDir, err)
		}
		c.Secrets = []string{s}
		c.Generated = append(c.Generated, "SHARECARD_SECRET")
		log.Warn("SHARECARD_SECRET is not set: signing links with a development key; set it in production",
			"file", filepath.Join(c.DataDir, "secret"), "created", created)
	}
	if c.AdminToken == "" {
		s, created, err := devValue(c.DataDir, "admin-token")
		if err != nil {
			return fmt.Errorf("SHARECARD_ADMIN_TOKEN is not set and none could be kept in SHARECARD_DATA_DIR=%q: %w", c.DataDir, err)
		}
		c.AdminToken = s
		c.Generated = append(c.Generated, "SHARECARD_ADMIN_TOKEN")
		// The file's path, not the token: logs travel further than a data
		// directory, and a forgotten SHARECARD_ENV would leak it.
		log.Warn("SHARECARD_ADMIN_TOKEN is not set: using a development token kept in a file",
			"file", filepath.Join(c.DataDir, "admin-token"), "created", created)
	}
	return nil
}

// devValue reads dir/name, or creates it with 32 random bytes (base64url)
// readable by the owner only.
func devValue(dir, name string) (string, bool, error) {
	path := filepath.Join(dir, name)
	if b, err := os.ReadFile(path); err == nil {
		v := strings.TrimSpace(string(b))
		if len(v) < 32 {
			return "", false, fmt.Errorf("%s holds %d characters, need at least 32: delete it to generate a new one", path, len(v))
		}
		return v, false, nil
	} else if !os.IsNotExist(err) {
		return "", false, err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", false, err
	}
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", false, err
	}
	v := base64.RawURLEncoding.EncodeToString(b[:])
	// Write a temporary file and link it into place: when two processes
	// start at once, one link wins and the other reads the complete winner.
	f, err := os.CreateTemp(dir, "."+name+"-*")
	if err != nil {
		return "", false, err
	}
	defer os.Remove(f.Name())
	if _, err := f.WriteString(v + "\n"); err != nil {
		f.Close()
		return "", false, err
	}
	if err := f.Close(); err != nil {
		return "", false, err
	}
	if err := os.Chmod(f.Name(), 0o600); err != nil {
		return "", false, err
	}
	if err := os.Link(f.Name(), path); os.IsExist(err) {
		return devValue(dir, name)
	} else if err != nil {
		return "", false, err
	}
	return v, true, nil
}
