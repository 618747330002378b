package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestServeHotReloadsTheAssetsDir: with SHARECARD_ASSETS_DIR, a saved
// campaign file becomes the current version, and a broken save changes
// nothing. How fast is logged, not asserted: the goal (a second) is a
// figure for a quiet machine, and a unit test on a loaded CI machine must
// not fail on it (go test -v -run HotReloads ./cmd/sharecard prints it).
func TestServeHotReloadsTheAssetsDir(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and starts the binary")
	}
	dir := t.TempDir()
	root, _ := filepath.Abs(filepath.Join("..", ".."))
	if err := os.Symlink(filepath.Join(root, "fonts"), filepath.Join(dir, "fonts")); err != nil {
		t.Fatal(err)
	}
	camps := filepath.Join(dir, "assets", "campaigns")
	if err := os.MkdirAll(camps, 0o755); err != nil {
		t.Fatal(err)
	}
	original, err := os.ReadFile(filepath.Join(root, "assets", "campaigns", "ligestilling.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(camps, "ligestilling.yaml")
	if err := os.WriteFile(file, original, 0o644); err != nil {
		t.Fatal(err)
	}
	base := startBinary(t, "SHARECARD_ASSETS_DIR="+dir)
	first := currentVersion(t, base)

	start := time.Now()
	if err := os.WriteFile(file, bytes.Replace(original, []byte("{da: Tirsdag"), []byte("{da: Onsdag"), 1), 0o644); err != nil {
		t.Fatal(err)
	}
	for currentVersion(t, base) == first {
		if time.Since(start) > 20*time.Second {
			t.Fatal("a saved campaign file was not published within 20 s")
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Logf("a saved campaign file was live after %v", time.Since(start).Round(time.Millisecond))
	saved := currentVersion(t, base)

	if err := os.WriteFile(file, bytes.Replace(original, []byte("locale:"), []byte("colour: red\nlocale:"), 1), 0o644); err != nil {
		t.Fatal(err)
	}
	// The broken save is reported in the log; the version stays. Give the
	// watcher the time a good save takes, then look.
	deadline := time.Now().Add(time.Second)
	for time.Now().Before(deadline) {
		if v := currentVersion(t, base); v != saved {
			t.Fatalf("a broken save changed the version to %s", v)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
