package main

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

func TestValidateTheShippedCampaigns(t *testing.T) {
	code, stdout, stderr := sharecardCmd(t, "validate")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if strings.Count(stdout, "\n") != 1 || !strings.Contains(stdout, "ligestilling") {
		t.Errorf("stdout = %q, want a one-line summary naming ligestilling", stdout)
	}
}

func TestValidateReportsFileAndLine(t *testing.T) {
	root := t.TempDir()
	if err := os.MkdirAll(filepath.Join(root, "assets", "campaigns"), 0o755); err != nil {
		t.Fatal(err)
	}
	src, err := os.ReadFile(filepath.Join("..", "..", "assets", "campaigns", "ligestilling.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	// The copy has no fonts/ beside it, and one more mistake.
	bad := strings.Replace(string(src), "accent: gold", "accent: golden", 1)
	if err := os.WriteFile(filepath.Join(root, "assets", "campaigns", "ligestilling.yaml"), []byte(bad), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := sharecardCmd(t, "validate", "--assets", root)
	if code != 1 {
		t.Fatalf("exit %d, want 1; stderr: %s", code, stderr)
	}
	line := func(marker string) string {
		i := strings.Index(bad, marker)
		return strconv.Itoa(strings.Count(bad[:i], "\n") + 1)
	}
	for _, want := range []string{
		"assets/campaigns/ligestilling.yaml:" + line("accent: golden") + ": colors.accent:",
		"assets/campaigns/ligestilling.yaml:" + line("display: fonts/") + ": fonts.display: font fonts/EBGaramond12-Regular.otf: file does not exist",
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
}

func TestValidateUsageErrors(t *testing.T) {
	code, _, stderr := sharecardCmd(t, "validate", "--strict")
	if code != 2 || !strings.Contains(stderr, "flag provided but not defined") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
}
