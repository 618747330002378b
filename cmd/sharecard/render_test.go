package main

import (
	"bytes"
	"context"
	"image"
	"image/jpeg"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// sharecardCmd runs the binary in-process and returns exit code and output.
// Its campaign store is a data directory of the test's own.
func sharecardCmd(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	data := t.TempDir()
	getenv := func(k string) string {
		if k == "SHARECARD_DATA_DIR" {
			return data
		}
		return ""
	}
	code := run(context.Background(), append([]string{"sharecard"}, args...), getenv, strings.NewReader(""), &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

func TestRenderWritesTheImage(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name    string
		args    []string
		file    string
		decode  func(*os.File) (image.Image, error)
		wantDim image.Point
	}{
		{"a png named by its extension", []string{"--variant", "og", "--name", "Lars Hansen", "--title", "Adm. direktør"}, "lars.png",
			func(f *os.File) (image.Image, error) { return png.Decode(f) }, image.Pt(1200, 630)},
		{"a jpg with a chosen quality", []string{"--variant", "story", "--name", "Anne-Marie Søndergaard-Østergaard Kristiansen", "--org", "Ørsted", "--quality", "80"}, "anne.jpg",
			func(f *os.File) (image.Image, error) { return jpeg.Decode(f) }, image.Pt(1080, 1920)},
		{"the campaign read from a directory", []string{"--variant", "square", "--name", "Lars", "--assets", filepath.Join("..", "..")}, "dir.jpeg",
			func(f *os.File) (image.Image, error) { return jpeg.Decode(f) }, image.Pt(1080, 1080)},
		{"a card in another language", []string{"--variant", "og", "--name", "Lars", "--lang", "en"}, "en.png",
			func(f *os.File) (image.Image, error) { return png.Decode(f) }, image.Pt(1200, 630)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(dir, tc.file)
			code, _, stderr := sharecardCmd(t, append([]string{"render", "--out", out}, tc.args...)...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			f, err := os.Open(out)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			img, err := tc.decode(f)
			if err != nil {
				t.Fatal(err)
			}
			if got := img.Bounds().Size(); got != tc.wantDim {
				t.Errorf("size %v, want %v", got, tc.wantDim)
			}
		})
	}
}

func TestRenderToStdout(t *testing.T) {
	code, stdout, stderr := sharecardCmd(t, "render", "--name", "Lars", "--out", "-", "--format", "jpg")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	img, err := jpeg.Decode(strings.NewReader(stdout))
	if err != nil {
		t.Fatalf("stdout is not a JPEG: %v", err)
	}
	if img.Bounds().Dx() != 1200 {
		t.Errorf("width %d, want the og card's 1200", img.Bounds().Dx())
	}
	code, stdout, _ = sharecardCmd(t, "render", "--name", "Lars", "--out", "-")
	if _, err := png.Decode(strings.NewReader(stdout)); code != 0 || err != nil {
		t.Errorf("--out - without --format: exit %d, PNG decode error %v", code, err)
	}
}

func TestRenderAllVariants(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "cards")
	// Without --name the sample name is drawn, so the shortest command shows the design.
	code, _, stderr := sharecardCmd(t, "render", "--all-variants", "--out-dir", dir)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stderr, sampleName) {
		t.Errorf("stderr does not say the sample name is used: %q", stderr)
	}
	want := map[string]image.Point{"og": {1200, 630}, "square": {1080, 1080}, "portrait": {1080, 1350}, "story": {1080, 1920}}
	for v, size := range want {
		f, err := os.Open(filepath.Join(dir, v+".png"))
		if err != nil {
			t.Fatal(err)
		}
		cfg, err := png.DecodeConfig(f)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		if (image.Point{cfg.Width, cfg.Height}) != size {
			t.Errorf("%s is %d×%d, want %v", v, cfg.Width, cfg.Height, size)
		}
	}
}

// TestRenderTheDeclinedCard: --declined draws the campaign's "I
// declined" card, in every size beside the invitation's.
func TestRenderTheDeclinedCard(t *testing.T) {
	dir := t.TempDir()
	for _, id := range []string{"ligestilling", "equality-2061"} {
		code, _, stderr := sharecardCmd(t, "render", "--campaign", id, "--declined", "--all-variants", "--out-dir", filepath.Join(dir, id), "--name", "Lars Hansen")
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", id, code, stderr)
		}
		for v, size := range map[string]image.Point{"og": {1200, 630}, "square": {1080, 1080}, "portrait": {1080, 1350}, "story": {1080, 1920}} {
			data, err := os.ReadFile(filepath.Join(dir, id, "declined-"+v+".png"))
			if err != nil {
				t.Fatal(err)
			}
			cfg, err := png.DecodeConfig(bytes.NewReader(data))
			if err != nil || (image.Point{cfg.Width, cfg.Height}) != size {
				t.Errorf("%s declined %s: %d×%d (%v)", id, v, cfg.Width, cfg.Height, err)
			}
		}
	}
	// The declined card is not the invitation.
	inv, dec := filepath.Join(dir, "inv.png"), filepath.Join(dir, "dec.png")
	sharecardCmd(t, "render", "--name", "Lars", "--out", inv)
	sharecardCmd(t, "render", "--name", "Lars", "--declined", "--out", dec)
	a, _ := os.ReadFile(inv)
	b, _ := os.ReadFile(dec)
	if len(a) == 0 || len(b) == 0 || bytes.Equal(a, b) {
		t.Errorf("--declined drew the invitation (%d and %d bytes)", len(a), len(b))
	}
}

func TestRenderUsageErrors(t *testing.T) {
	out := filepath.Join(t.TempDir(), "x.png")
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"an unknown flag", []string{"--nme", "Lars", "--out", out}, "flag provided but not defined: -nme"},
		{"an empty name", []string{"--name", " ", "--out", out}, "--name is empty"},
		{"no output", []string{"--name", "Lars"}, "--out is required"},
		{"an unknown campaign", []string{"--campaign", "nope", "--name", "Lars", "--out", out}, `unknown campaign "nope" (campaigns: equality-2061, ligestilling)`},
		{"an unknown variant", []string{"--variant", "reel", "--name", "Lars", "--out", out}, `unknown variant "reel" (variants: og, square, portrait, story)`},
		{"an unknown campaign without a name", []string{"--campaign", "nope", "--out", out}, `unknown campaign "nope"`},
		{"an unknown extension", []string{"--name", "Lars", "--out", "card.gif"}, "extension must be .png, .jpg or .jpeg"},
		{"a quality out of range", []string{"--name", "Lars", "--out", out, "--quality", "0"}, "--quality 0: must be 1-100"},
		{"a language the campaign does not offer", []string{"--name", "Lars", "--out", out, "--lang", "sv"}, `--lang "sv": campaign ligestilling offers da, en`},
		{"all variants without a directory", []string{"--name", "Lars", "--all-variants"}, "--all-variants needs --out-dir"},
		{"a stray argument", []string{"--name", "Lars", "Hansen", "--out", out}, `unexpected argument "Hansen"`},
		{"an assets directory that does not exist", []string{"--name", "Lars", "--out", out, "--assets", "/nonexistent"}, "--assets"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, _, stderr := sharecardCmd(t, append([]string{"render"}, tc.args...)...)
			if code != 2 && tc.name != "an assets directory that does not exist" {
				t.Errorf("exit %d, want 2", code)
			}
			if code == 0 {
				t.Errorf("exit 0")
			}
			if n := strings.Count(strings.TrimSpace(stderr), "\n"); tc.name != "an assets directory that does not exist" && n != 0 {
				t.Errorf("stderr has %d lines, want one: %q", n+1, stderr)
			}
			if !strings.Contains(stderr, tc.want) {
				t.Errorf("stderr = %q, want %q", stderr, tc.want)
			}
		})
	}
	if _, err := os.Stat(out); err == nil {
		t.Error("a failed render wrote a file")
	}
}

// --lang draws the campaign's texts in that language: the English card is
// not the Danish one.
func TestRenderInAnotherLanguage(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{}
	for _, lang := range []string{"da", "en"} {
		out := filepath.Join(dir, lang+".png")
		if code, _, stderr := sharecardCmd(t, "render", "--variant", "og", "--name", "Lars", "--lang", lang, "--out", out); code != 0 {
			t.Fatalf("%s: exit %d: %s", lang, code, stderr)
		}
		data, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		files[lang] = string(data)
	}
	if files["da"] == files["en"] {
		t.Error("the English card is the Danish card")
	}
}
