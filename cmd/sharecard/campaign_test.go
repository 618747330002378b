package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	sharecard "github.com/sharecard/sharecard"
)

// cli runs `sharecard campaign ...` in-process against base.
func cli(t *testing.T, base string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	getenv := func(k string) string {
		return map[string]string{"SHARECARD_BASE_URL": base, "SHARECARD_ADMIN_TOKEN": "e2e-admin-token-0123456789"}[k]
	}
	code := run(context.Background(), append([]string{"sharecard", "campaign"}, args...), getenv, strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

// TestCampaignCommands: list, pull and push against a running service,
// and a backup with pull --all restored into another with push.
func TestCampaignCommands(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and starts the binary twice")
	}
	a := startBinary(t)
	dir := t.TempDir()
	original, err := os.ReadFile(filepath.Join("..", "..", sharecard.CampaignDir, "ligestilling.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if code, out, errs := cli(t, a, "list"); code != 0 || !strings.HasPrefix(out, "equality-2061\t") || !strings.Contains(out, "\nligestilling\t") {
		t.Fatalf("list: %d %q %q", code, out, errs)
	}
	file := filepath.Join(dir, "ligestilling.yaml")
	if code, _, errs := cli(t, a, "pull", "-o", file, "ligestilling"); code != 0 {
		t.Fatalf("pull: %d %s", code, errs)
	}
	if got, _ := os.ReadFile(file); !bytes.Equal(got, original) {
		t.Fatal("pull did not give back the seeded file")
	}
	if err := os.WriteFile(file, bytes.Replace(original, []byte("{da: Tirsdag"), []byte("{da: Onsdag"), 1), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, out, errs := cli(t, a, "push", file); code != 0 || !strings.HasPrefix(out, "ligestilling\t") {
		t.Fatalf("push: %d %q %q", code, out, errs)
	}
	broken := filepath.Join(dir, "nyt.yaml")
	if err := os.WriteFile(broken, bytes.Replace(original, []byte("locale:"), []byte("colour: red\nlocale:"), 1), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, errs := cli(t, a, "push", broken); code != 1 || !strings.Contains(errs, `unknown key "colour"`) || !strings.Contains(errs, "line ") {
		t.Errorf("push of a broken file: %d %q", code, errs)
	}

	backup := filepath.Join(dir, "backup")
	if code, out, errs := cli(t, a, "pull", "--all", backup); code != 0 || !strings.Contains(out, "ligestilling\t2 version(s)") {
		t.Fatalf("pull --all: %d %q %q", code, out, errs)
	}
	b := startBinary(t)
	if code, out, errs := cli(t, b, "push", backup); code != 0 || !strings.Contains(out, "2 version(s) restored") {
		t.Fatalf("push of the backup: %d %q %q", code, out, errs)
	}
	var got bytes.Buffer
	code, out, _ := cli(t, b, "pull", "ligestilling")
	got.WriteString(out)
	if code != 0 || !strings.Contains(got.String(), "{da: Onsdag") {
		t.Errorf("the restored service's current file is not the backup's current one")
	}
	if code, _, _ := cli(t, a, "nonsense"); code != 2 {
		t.Errorf("an unknown subcommand exits %d, want 2", code)
	}
}
