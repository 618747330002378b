package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sharecard/sharecard/internal/invite"
	"github.com/sharecard/sharecard/internal/share"
	"github.com/sharecard/sharecard/internal/testredis"
)

const testSecret = "cli-test-secret-0123456789abcdefghij"

func cliEnv(t *testing.T, extra map[string]string) func(string) string {
	t.Helper()
	env := map[string]string{
		"SHARECARD_SECRET":   testSecret,
		"SHARECARD_BASE_URL": "https://invitation.example.dk",
		"SHARECARD_DATA_DIR": t.TempDir(),
		// Tests run many services side by side; those that look at
		// metrics give them an address.
		"SHARECARD_METRICS_ADDR": "off",
	}
	for k, v := range extra {
		env[k] = v
	}
	return func(k string) string { return env[k] }
}

func runCLI(t *testing.T, getenv func(string) string, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), append([]string{"sharecard"}, args...), getenv, strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

func TestInviteMintsVerifiableLinks(t *testing.T) {
	dir := t.TempDir()
	people := filepath.Join(dir, "people.csv")
	os.WriteFile(people, []byte("name,title,org\nLars Hansen,Adm. direktør,Mærsk\n<script>,,\nÅse Holm,,\nᏣᎳᎩ,,\n"), 0o600)
	out := filepath.Join(dir, "links.csv")
	code, _, stderr := runCLI(t, cliEnv(t, nil), "", "invite", "--campaign", "ligestilling", "--csv", people, "--out", out)
	if code != 1 {
		t.Errorf("exit %d with a refused row, want 1; stderr: %s", code, stderr)
	}
	if !strings.Contains(stderr, "minted 2 links") || !strings.Contains(stderr, "2 rows refused") {
		t.Errorf("summary missing: %s", stderr)
	}
	f, err := os.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(f).ReadAll()
	f.Close()
	if err != nil || len(recs) != 5 {
		t.Fatalf("links.csv: %d records, %v", len(recs), err)
	}
	if strings.Join(recs[0], ",") != strings.Join(share.CSVHeader, ",") {
		t.Errorf("header %q", recs[0])
	}
	// A name no font can draw is refused, naming its letters.
	if rec := recs[4]; rec[3] != "" || !strings.Contains(rec[6], "CHEROKEE LETTER TSA") {
		t.Errorf("an undrawable name: %q", rec)
	}
	signer, _ := invite.NewSigner([][]byte{[]byte(testSecret)})
	for _, rec := range [][]string{recs[1], recs[3]} {
		inv, err := signer.Decode(rec[3])
		if err != nil {
			t.Errorf("row %q: token does not verify with the secret: %v", rec, err)
			continue
		}
		if rec[2] != "https://invitation.example.dk/i/"+rec[3] || inv.Campaign != "ligestilling" || rec[1] != inv.Name {
			t.Errorf("row %q decodes to %+v", rec, inv)
		}
	}
	if recs[2][6] == "" || recs[2][3] != "" {
		t.Errorf("the refused row %q has no error or has a token", recs[2])
	}
}

func TestInviteWithoutSecretUsesTheDataDirKey(t *testing.T) {
	data := t.TempDir()
	getenv := cliEnv(t, map[string]string{"SHARECARD_SECRET": "", "SHARECARD_DATA_DIR": data})
	code, out1, stderr := runCLI(t, getenv, "name\nLars\n", "invite", "--campaign", "ligestilling", "--csv", "-", "--quiet")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	_, out2, _ := runCLI(t, getenv, "name\nLars\n", "invite", "--campaign", "ligestilling", "--csv", "-", "--quiet")
	if out1 != out2 {
		t.Error("two runs with the same data directory minted different links")
	}
	if _, err := os.Stat(filepath.Join(data, "secret")); err != nil {
		t.Errorf("no development key kept: %v", err)
	}
	_, _, stderr = runCLI(t, cliEnv(t, map[string]string{"SHARECARD_BASE_URL": ""}), "name\nLars\n", "invite", "--campaign", "ligestilling", "--csv", "-", "--quiet")
	if !strings.Contains(stderr, "set SHARECARD_BASE_URL") {
		t.Errorf("links to localhost minted without a warning: %s", stderr)
	}
}

func TestInvitePrerender(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"renders the link preview by default", nil, "rendered 2 images"},
		{"renders the variants asked for", []string{"--variants", "og,square,story"}, "rendered 6 images"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"invite", "--campaign", "ligestilling", "--csv", "-", "--prerender"}, tt.args...)
			code, _, stderr := runCLI(t, cliEnv(t, nil), "name\nLars Hansen\nÅse Holm\n", args...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			if !strings.Contains(stderr, tt.want) {
				t.Errorf("stderr: %s", stderr)
			}
			if !strings.Contains(stderr, "rendering") || !strings.Contains(stderr, "minting") {
				t.Errorf("no progress bars on stderr: %q", stderr)
			}
		})
	}
}

func TestInviteUsageErrors(t *testing.T) {
	tests := []struct {
		name  string
		args  []string
		stdin string
		code  int
		want  string
	}{
		{"no campaign", []string{"invite", "--csv", "-"}, "name\nx\n", 2, "--campaign and --csv are required"},
		{"an unknown campaign", []string{"invite", "--campaign", "nope", "--csv", "-"}, "name\nLars\n", 2, "no such campaign"},
		{"a missing file", []string{"invite", "--campaign", "ligestilling", "--csv", "/nonexistent/people.csv"}, "", 1, "--csv"},
		{"a CSV without a name column", []string{"invite", "--campaign", "ligestilling", "--csv", "-"}, "navn\nLars\n", 1, `no "name" column`},
		{"a bad setting", []string{"invite", "--campaign", "ligestilling", "--csv", "-", "--jpeg-quality", "0"}, "", 2, "-jpeg-quality"},
		{"an unknown variant to prerender", []string{"invite", "--campaign", "ligestilling", "--csv", "-", "--prerender", "--variants", "og,banner"}, "name\nLars\n", 2, `unknown variant "banner"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := runCLI(t, cliEnv(t, nil), tt.stdin, tt.args...)
			if code != tt.code || !strings.Contains(stderr, tt.want) {
				t.Errorf("exit %d, stderr %q; want %d and %q", code, stderr, tt.code, tt.want)
			}
		})
	}
}

// TestInviteInTheInviteesLanguage: --lang and a lang column give each
// link its language, in its address, and --prerender renders the card of
// that language (the one the link's page and preview will ask for): with
// one Redis for every run, an English card rendered first leaves the
// Danish one to render, and is found by the next English run.
func TestInviteInTheInviteesLanguage(t *testing.T) {
	srv := testredis.StartServer(t)
	getenv := cliEnv(t, map[string]string{"REDIS_URL": srv.URL()})
	code, out, stderr := runCLI(t, getenv, "name,lang\nKaren Blixen,\nLars Hansen,da\n", "invite", "--campaign", "ligestilling", "--csv", "-", "--lang", "en", "--quiet")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil || len(recs) != 3 {
		t.Fatalf("links: %d records, %v", len(recs), err)
	}
	if !strings.HasSuffix(recs[1][2], "?lang=en") || !strings.HasSuffix(recs[1][4], "&lang=en") {
		t.Errorf("a row without a language under --lang en: %q", recs[1])
	}
	if strings.Contains(recs[2][2], "lang=") || strings.Contains(recs[2][4], "lang=") {
		t.Errorf("a row in Danish, the campaign's own language: %q", recs[2])
	}

	for _, step := range []struct{ lang, want string }{
		{"en", "rendered 1 images (0 were cached already)"},
		{"da", "rendered 1 images (0 were cached already)"},
		{"en", "rendered 0 images (1 were cached already)"},
	} {
		code, _, stderr := runCLI(t, getenv, "name\nKaren Blixen\n", "invite", "--campaign", "ligestilling", "--csv", "-", "--lang", step.lang, "--prerender", "--quiet")
		if code != 0 || !strings.Contains(stderr, step.want) {
			t.Errorf("--lang %s --prerender: exit %d, %q; want %q", step.lang, code, stderr, step.want)
		}
	}

	code, _, stderr = runCLI(t, getenv, "name\nKaren Blixen\n", "invite", "--campaign", "ligestilling", "--csv", "-", "--lang", "fr")
	if code != 2 || !strings.Contains(stderr, `--lang: lang: campaign ligestilling does not offer the language "fr" (languages: da, en)`) {
		t.Errorf("--lang fr: exit %d, %q", code, stderr)
	}
}
