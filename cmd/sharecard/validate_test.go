package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	sharecard "github.com/sharecard/sharecard"
	"github.com/sharecard/sharecard/internal/campaign"
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

// TestOfflineCommandsReadTheStore: render and validate read the campaign
// store serve uses (here the data directory), seeding an empty one, and
// see a version published into it.
func TestOfflineCommandsReadTheStore(t *testing.T) {
	data := t.TempDir()
	getenv := func(k string) string {
		if k == "SHARECARD_DATA_DIR" {
			return data
		}
		return ""
	}
	code, out, stderr := runCLI(t, getenv, "", "validate")
	if code != 0 || !strings.Contains(out, "ok: 2 campaign(s) (equality-2061, ligestilling)") {
		t.Fatalf("validate on an empty store: %d %q %q", code, out, stderr)
	}
	if _, err := os.Stat(filepath.Join(data, "campaigns", "ligestilling", "head.json")); err != nil {
		t.Fatalf("the empty store was not seeded: %v", err)
	}
	// A campaign published into the store (as the API would) is one the
	// offline commands see.
	store, err := campaign.NewDirStore(filepath.Join(data, "campaigns"))
	if err != nil {
		t.Fatal(err)
	}
	lib := campaign.NewLibrary(campaign.LibraryOptions{Store: store, Files: sharecard.Files()})
	if err := lib.Open(context.Background(), sharecard.CampaignDir); err != nil {
		t.Fatal(err)
	}
	y, err := os.ReadFile(filepath.Join("..", "..", sharecard.CampaignDir, "ligestilling.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := lib.Publish(context.Background(), "anden", bytes.Replace(y, []byte("id: ligestilling\n"), nil, 1), ""); err != nil {
		t.Fatal(err)
	}
	if code, out, _ := runCLI(t, getenv, "", "validate"); code != 0 || !strings.Contains(out, "ok: 3 campaign(s) (anden, equality-2061, ligestilling)") {
		t.Errorf("validate after a publish: %d %q", code, out)
	}
	png := filepath.Join(t.TempDir(), "og.png")
	if code, _, stderr := runCLI(t, getenv, "", "render", "--campaign", "anden", "--out", png); code != 0 {
		t.Errorf("render of the published campaign: %d %s", code, stderr)
	}
}
