package config

import (
	"bytes"
	"flag"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func load(t *testing.T, env map[string]string, args ...string) (Config, error) {
	t.Helper()
	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	return Load(fs, args, func(k string) string { return env[k] })
}

func TestDefaults(t *testing.T) {
	c, err := load(t, nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != ":8080" || c.BaseURL != "http://localhost:8080" || c.Env != "development" || c.DataDir != "./.data" {
		t.Errorf("unexpected defaults: %+v", c)
	}
	if c.CacheMemory != 256<<20 || c.CacheTTL != 720*time.Hour || c.RedisTimeout != 100*time.Millisecond || c.JPEGQuality != 88 {
		t.Errorf("unexpected cache defaults: %+v", c)
	}
	if !c.Embedded() || c.RenderConcurrency < 1 {
		t.Errorf("unexpected defaults: %+v", c)
	}
}

func TestEnvAndFlags(t *testing.T) {
	secret := strings.Repeat("k", 32)
	c, err := load(t, map[string]string{
		"SHARECARD_ADDR":         ":9000",
		"SHARECARD_SECRET":       secret + ", " + strings.Repeat("o", 40),
		"SHARECARD_JPEG_QUALITY": "70",
		"REDIS_URL":              "redis://127.0.0.1:6379/0",
		"SHARECARD_BASE_URL":     "https://invitation.example.dk/",
	}, "-jpeg-quality", "90", "-cache-memory", "64MiB")
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != ":9000" {
		t.Errorf("env SHARECARD_ADDR ignored: %q", c.Addr)
	}
	if c.JPEGQuality != 90 {
		t.Errorf("the flag did not win over the variable: %d", c.JPEGQuality)
	}
	if len(c.Secrets) != 2 || c.Secrets[0] != secret {
		t.Errorf("secrets = %q", c.Secrets)
	}
	if c.BaseURL != "https://invitation.example.dk" {
		t.Errorf("trailing slash kept: %q", c.BaseURL)
	}
	if c.CacheMemory != 64<<20 || c.Embedded() {
		t.Errorf("got %+v", c)
	}
	c, _ = load(t, map[string]string{"SHARECARD_ADDR": "127.0.0.1:9999"})
	if c.BaseURL != "http://localhost:9999" {
		t.Errorf("base URL not derived from the address: %q", c.BaseURL)
	}
}

func TestBadValuesNameTheVariable(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		args []string
		want string
	}{
		{"a quality out of range", map[string]string{"SHARECARD_JPEG_QUALITY": "101"}, nil, "SHARECARD_JPEG_QUALITY"},
		{"a bad quality flag names the flag", nil, []string{"-jpeg-quality", "x"}, "-jpeg-quality"},
		{"an address without port", map[string]string{"SHARECARD_ADDR": "localhost"}, nil, "SHARECARD_ADDR"},
		{"a relative base URL", map[string]string{"SHARECARD_BASE_URL": "example.dk"}, nil, "SHARECARD_BASE_URL"},
		{"a short secret", map[string]string{"SHARECARD_SECRET": "short"}, nil, "SHARECARD_SECRET"},
		{"a short admin token", map[string]string{"SHARECARD_ADMIN_TOKEN": "short"}, nil, "SHARECARD_ADMIN_TOKEN"},
		{"a bad duration", map[string]string{"SHARECARD_CACHE_TTL": "forever"}, nil, "SHARECARD_CACHE_TTL"},
		{"a bad size", map[string]string{"SHARECARD_CACHE_MEMORY": "lots"}, nil, "SHARECARD_CACHE_MEMORY"},
		{"an unknown mode", map[string]string{"SHARECARD_ENV": "prod"}, nil, "SHARECARD_ENV"},
		{"a Redis URL without scheme", map[string]string{"REDIS_URL": "127.0.0.1:6379"}, nil, "REDIS_URL"},
		{"both Redis settings", map[string]string{"REDIS_URL": "redis://x:1", "REDIS_ADDRS": "a:1"}, nil, "REDIS_ADDRS"},
		{"a Sentinel master without Sentinels", map[string]string{"REDIS_SENTINEL_MASTER": "mymaster"}, nil, "REDIS_SENTINEL_MASTER is set without REDIS_ADDRS"},
		{"production without a secret", map[string]string{"SHARECARD_ENV": "production", "SHARECARD_ADMIN_TOKEN": strings.Repeat("a", 20)}, nil, "SHARECARD_SECRET is required"},
		{"production over plain http", map[string]string{"SHARECARD_ENV": "production", "SHARECARD_SECRET": strings.Repeat("a", 32), "SHARECARD_ADMIN_TOKEN": strings.Repeat("a", 20), "SHARECARD_BASE_URL": "http://example.dk"}, nil, "https"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := load(t, tt.env, tt.args...)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %v, want an error naming %q", err, tt.want)
			}
		})
	}
}

func TestEnsureKeysKeepsDevelopmentKeys(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	var logs bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logs, nil))
	c, err := load(t, map[string]string{"SHARECARD_DATA_DIR": dir})
	if err != nil {
		t.Fatal(err)
	}
	if err := EnsureKeys(&c, log); err != nil {
		t.Fatal(err)
	}
	if len(c.Secrets) != 1 || len(c.Secrets[0]) < 32 || len(c.AdminToken) < 32 {
		t.Fatalf("no keys generated: %+v", c)
	}
	if !strings.Contains(logs.String(), "SHARECARD_SECRET is not set") {
		t.Errorf("no warning logged: %s", logs.String())
	}
	st, err := os.Stat(filepath.Join(dir, "secret"))
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("secret file: %v %v", st, err)
	}
	again, _ := load(t, map[string]string{"SHARECARD_DATA_DIR": dir})
	if err := EnsureKeys(&again, log); err != nil {
		t.Fatal(err)
	}
	if again.Secrets[0] != c.Secrets[0] || again.AdminToken != c.AdminToken {
		t.Error("a restart generated new keys, so old links would break")
	}
}

func TestEnsureKeysLeavesGivenKeysAlone(t *testing.T) {
	dir := t.TempDir()
	c, _ := load(t, map[string]string{"SHARECARD_DATA_DIR": dir, "SHARECARD_SECRET": strings.Repeat("s", 32), "SHARECARD_ADMIN_TOKEN": strings.Repeat("a", 16)})
	if err := EnsureKeys(&c, slog.New(slog.DiscardHandler)); err != nil {
		t.Fatal(err)
	}
	if len(c.Generated) != 0 {
		t.Errorf("generated %v although both were given", c.Generated)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("wrote %d files to the data directory", len(entries))
	}
}

func TestParseBytes(t *testing.T) {
	for in, want := range map[string]int64{"1024": 1024, "256MiB": 256 << 20, "512 kb": 512 << 10, "1GiB": 1 << 30, "0": 0} {
		if got, err := ParseBytes(in); err != nil || got != want {
			t.Errorf("ParseBytes(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "-1", "1TB", "MiB", "99999999999GiB"} {
		if _, err := ParseBytes(in); err == nil {
			t.Errorf("ParseBytes(%q) accepted", in)
		}
	}
}

func TestEverySettingIsDocumented(t *testing.T) {
	doc, err := os.ReadFile("../../docs/api.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range Settings() {
		row := "| `" + s.Env + "` | `-" + s.Flag + "` |"
		if !strings.Contains(string(doc), row) {
			t.Errorf("docs/api.md has no configuration row starting %q", row)
		}
	}
}

func TestServeNeedsAnAdminTokenInProduction(t *testing.T) {
	env := map[string]string{"SHARECARD_ENV": "production", "SHARECARD_SECRET": strings.Repeat("a", 32), "SHARECARD_BASE_URL": "https://x.dk"}
	c, err := load(t, env)
	if err != nil {
		t.Fatalf("the CLI's configuration was refused: %v", err)
	}
	if err := c.ValidateServe(); err == nil || !strings.Contains(err.Error(), "SHARECARD_ADMIN_TOKEN is required") {
		t.Errorf("got %v, want the admin token required", err)
	}
	env["SHARECARD_ADMIN_TOKEN"] = strings.Repeat("t", 20)
	c, _ = load(t, env)
	if err := c.ValidateServe(); err != nil {
		t.Error(err)
	}
}
