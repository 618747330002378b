package share

import (
	"strings"
	"testing"

	"github.com/sharecard/sharecard/internal/card"
	"github.com/sharecard/sharecard/internal/invite"
	"github.com/sharecard/sharecard/internal/testcampaign"
)

func TestDownloadName(t *testing.T) {
	camp := testcampaign.Demo(t)
	story := ImageRef{Variant: "story", Format: card.PNG}
	tests := []struct {
		name, person, ascii, unicode string
	}{
		{"a Danish name is lower-case with a hyphen", "Lars Hansen", "lars-hansen-story.png", "lars-hansen-story.png"},
		{"å is folded to aa", "Åse Holm", "aase-holm-story.png", "åse-holm-story.png"},
		{"æ and ø are folded to ae and oe", "Søren Ærø Kjær", "soeren-aeroe-kjaer-story.png", "søren-ærø-kjær-story.png"},
		{"hyphens, apostrophes and dots become one hyphen", "Anne-Marie O’Neill Jr.", "anne-marie-o-neill-jr-story.png", "anne-marie-o-neill-jr-story.png"},
		{"other diacritics are stripped", "José Müller-Lüdenscheidt", "jose-muller-ludenscheidt-story.png", "josé-müller-lüdenscheidt-story.png"},
		{"letters without a decomposition get their usual spelling", "Łukasz Weiß Þórdís", "lukasz-weiss-thordis-story.png", "łukasz-weiß-þórdís-story.png"},
		{"Vietnamese loses its stacked marks", "Nguyễn Thị Đặng", "nguyen-thi-dang-story.png", "nguyễn-thị-đặng-story.png"},
		{"a decomposed name folds like a composed one", "A\u030Ase Holm", "aase-holm-story.png", "åse-holm-story.png"},
		{"a Chinese name falls back to the campaign and a stable id", "王伟", "ligestilling-" + shortID("王伟") + "-story.png", "王伟-story.png"},
		{"an Arabic name falls back too", "محمد علي", "ligestilling-" + shortID("محمد علي") + "-story.png", "محمد-علي-story.png"},
		{"a Greek name falls back too", "Αλέξανδρος", "ligestilling-" + shortID("Αλέξανδρος") + "-story.png", "αλέξανδρος-story.png"},
		{"a mixed name keeps its Latin part and gains the id", "Lars 王", "lars-" + shortID("Lars 王") + "-story.png", "lars-王-story.png"},
		{"a path or quotes never get through", `../"etc"/pass\wd`, "etc-pass-wd-story.png", "etc-pass-wd-story.png"},
		{"a name of punctuation only falls back", "--- . ’", "ligestilling-" + shortID("--- . ’") + "-story.png", "ligestilling-" + shortID("--- . ’") + "-story.png"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := DownloadName(camp, invite.Invitation{Name: tt.person}, story)
			if got.ASCII != tt.ascii || got.Unicode != tt.unicode {
				t.Errorf("DownloadName(%q) = %q / %q, want %q / %q", tt.person, got.ASCII, got.Unicode, tt.ascii, tt.unicode)
			}
		})
	}
}

func TestDownloadNameIsSafe(t *testing.T) {
	camp := testcampaign.Demo(t)
	og := ImageRef{Variant: "og", Format: card.JPEG}
	long := strings.Repeat("Maximiliane Østergaard-", 4)
	for _, person := range []string{"", " ", long, strings.Repeat("王", 80), "a\x00b\r\nc;d=e", "Lars\u202EnesnaH"} {
		got := DownloadName(camp, invite.Invitation{Name: person}, og)
		for _, n := range []string{got.ASCII, got.Unicode} {
			if !strings.HasSuffix(n, "-og.jpg") || len(n) <= len("-og.jpg") || strings.HasPrefix(n, "-") {
				t.Errorf("%q: %q is not a named og.jpg", person, n)
			}
			if strings.ContainsAny(n, "/\\\"'; =\x00\r\n\u202E") || strings.Contains(n, "--") {
				t.Errorf("%q: %q holds a character a file name must not", person, n)
			}
			if len(n) > maxSlug+len("-00000000-og.jpg") {
				t.Errorf("%q: %q is %d bytes", person, n, len(n))
			}
		}
		for _, r := range got.ASCII {
			if r > 0x7e {
				t.Errorf("%q: ASCII name %q holds %q", person, got.ASCII, r)
			}
		}
	}
	a := DownloadName(camp, invite.Invitation{Name: "王伟"}, og)
	b := DownloadName(camp, invite.Invitation{Name: "李娜"}, og)
	if a.ASCII == b.ASCII {
		t.Errorf("two non-Latin names share %q", a.ASCII)
	}
	if again := DownloadName(camp, invite.Invitation{Name: "王伟"}, og); again != a {
		t.Errorf("the same name got %q, then %q", a.ASCII, again.ASCII)
	}
}
