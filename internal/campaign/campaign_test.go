package campaign

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/sharecard/sharecard"
	"github.com/sharecard/sharecard/internal/card"
	"github.com/sharecard/sharecard/internal/variant"
)

// validCampaign is the smallest campaign that loads; each error case below
// changes one thing in it.
const validCampaign = `id: demo
locale: da_DK
learning_url: https://example.org/learn
self_service: false
texts:
  event: Festen
  date: 8. marts 2061
  og_title: "{{name}}, du er inviteret"
  og_description: Om 39 år.
  image_alt: Invitation til {{name}}
  page_heading: Kære {{name}}
  page_body: Velkommen.
  decline: Afslå invitationen
  share: Del på LinkedIn
  download: Hent til Instagram
  self_service_title: Send en invitation
  self_service_body: Skriv et navn.
  self_service_button: Lav invitationen
palette:
  gold: "#c9a45c"
colors:
  background: "#000000"
  foreground: "#ffffff"
  accent: gold
fonts:
  serif: fonts/EBGaramond12-Regular.otf
fallback_fonts: [fonts/DejaVuSans.ttf]
variants:
  og:
    size: [1200, 630]
    layers:
      - {type: fill, color: "#000000"}
      - {type: text, text: "Kære {{name}}", font: serif, size: 40, color: gold, box: [10, 10, 600, 60]}
  square:
    size: [1080, 1080]
    layers:
      - {type: fill, color: "#010101"}
      - {type: image, src: assets/img/dot.png, box: [0, 0, 100, 100], fit: contain}
  portrait:
    size: [1080, 1350]
    layers:
      - {type: fill, color: "#020202"}
  story:
    size: [1080, 1920]
    layers:
      - {type: fill, color: "#030303"}
      - {type: text, text: "{{name}}", font: serif, size: 40, color: gold, box: [10, 300, 600, 60]}
`

const testFile = "assets/campaigns/demo.yaml"

// testFS holds the repository's fonts, a small image and the given
// campaign files (path → content).
func testFS(t testing.TB, files map[string]string) fstest.MapFS {
	t.Helper()
	fsys := fstest.MapFS{}
	for _, f := range []string{"EBGaramond12-Regular.otf", "DejaVuSans.ttf"} {
		data, err := os.ReadFile(filepath.Join("..", "..", "fonts", f))
		if err != nil {
			t.Fatal(err)
		}
		fsys["fonts/"+f] = &fstest.MapFile{Data: data}
	}
	img := image.NewNRGBA(image.Rect(0, 0, 4, 4))
	img.Set(1, 1, color.NRGBA{255, 0, 0, 255})
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	fsys["assets/img/dot.png"] = &fstest.MapFile{Data: buf.Bytes()}
	for p, c := range files {
		fsys[p] = &fstest.MapFile{Data: []byte(c)}
	}
	return fsys
}

// lineOf is the 1-based line of the first occurrence of marker in s.
func lineOf(t *testing.T, s, marker string) int {
	t.Helper()
	i := strings.Index(s, marker)
	if i < 0 {
		t.Fatalf("marker %q not in the campaign", marker)
	}
	return strings.Count(s[:i], "\n") + 1
}

func TestContactIsOptionalAndRead(t *testing.T) {
	for _, tc := range []struct{ name, line, want string }{
		{"no contact", "", ""},
		{"a contact address", "contact: privacy@example.org\n", "privacy@example.org"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := strings.Replace(validCampaign, "self_service: false\n", "self_service: false\n"+tc.line, 1)
			set, err := Load(testFS(t, map[string]string{testFile: src}), "assets/campaigns", nil)
			if err != nil {
				t.Fatal(err)
			}
			if c, _ := set.Lookup("demo"); c.Contact != tc.want {
				t.Errorf("contact %q, want %q", c.Contact, tc.want)
			}
		})
	}
}

func TestValidCampaignLoads(t *testing.T) {
	set, err := Load(testFS(t, map[string]string{testFile: validCampaign}), "assets/campaigns", nil)
	if err != nil {
		t.Fatal(err)
	}
	c, ok := set.Lookup("demo")
	if !ok {
		t.Fatal("campaign demo not found")
	}
	if c.Colors.Accent != "#c9a45c" || c.Texts.Decline != "Afslå invitationen" || c.LearningURL != "https://example.org/learn" {
		t.Errorf("campaign read wrongly: %+v", c)
	}
	for _, v := range VariantNames {
		tpl, ok := c.Variant(v)
		if !ok {
			t.Fatalf("no variant %s", v)
		}
		want, _ := variant.Lookup(v)
		if tpl.Width != want.Width || tpl.Height != want.Height || tpl.Version == "" {
			t.Errorf("%s: %d×%d version %q", v, tpl.Width, tpl.Height, tpl.Version)
		}
	}
	if got := strings.Join(set.IDs(), ","); got != "demo" {
		t.Errorf("IDs = %s", got)
	}
}

func TestLoadErrorsPointAtTheLine(t *testing.T) {
	tests := []struct {
		name   string
		old    string // replaced in validCampaign by new
		new    string
		marker string // the error is on the line where this appears
		want   string
	}{
		{"an unknown key at the top", "self_service: false\n", "self_service: false\ncolour: red\n", "colour: red", `unknown key "colour" in campaign`},
		{"an unknown key in a layer", "size: 40, color: gold, box: [10, 10", "size: 40, color: gold, colour: red, box: [10, 10", "colour: red", `unknown key "colour" in variant og, layer 2 (text)`},
		{"an unknown key in the texts", "  decline: Afslå", "  declne: Afslå", "declne", `unknown key "declne" in texts`},
		{"a bad page colour", `accent: gold`, `accent: "#12345"`, `"#12345"`, `colors.accent: bad colour "#12345"`},
		{"a bad layer colour", `color: "#020202"`, `color: "#02020z"`, `#02020z`, `not hexadecimal`},
		{"an unknown palette name", `color: gold, box: [10, 300`, `color: golden, box: [10, 300`, `golden`, `"golden" is neither a hex colour`},
		{"a font file that is missing", "serif: fonts/EBGaramond12-Regular.otf", "serif: fonts/Missing.otf", "fonts/Missing.otf", "fonts.serif: font fonts/Missing.otf: file does not exist"},
		{"a fallback font that is missing", "[fonts/DejaVuSans.ttf]", "[fonts/Nope.ttf]", "fonts/Nope.ttf", "fallback_fonts: font fonts/Nope.ttf: file does not exist"},
		{"a fallback font for an unknown script", "[fonts/DejaVuSans.ttf]", "[{font: fonts/DejaVuSans.ttf, scripts: [Klin]}]", "scripts: [Klin]", `fallback_fonts: font fonts/DejaVuSans.ttf: unknown script "Klin"`},
		{"a fallback font for no script", "[fonts/DejaVuSans.ttf]", "[{font: fonts/DejaVuSans.ttf}]", "font: fonts/DejaVuSans.ttf}", `fallback_fonts item: missing key "scripts"`},
		{"an image that is missing", "src: assets/img/dot.png", "src: assets/img/none.png", "assets/img/none.png", "image assets/img/none.png: file does not exist"},
		{"an unknown font name", "font: serif, size: 40, color: gold, box: [10, 300", "font: sans, size: 40, color: gold, box: [10, 300", "font: sans", `unknown font "sans" (fonts: serif)`},
		{"a layer outside the canvas", "box: [10, 10, 600, 60]", "box: [10, 10, 1300, 60]", "1300", "lies outside the 1200×630 canvas"},
		{"an ornament outside the canvas", `{type: fill, color: "#020202"}`, `{type: diamond, center: [1079, 10], size: 20, fill: gold}`, "type: diamond", "lies outside the 1080×1350 canvas"},
		{"a text box too low for its text", "box: [10, 10, 600, 60]", "box: [10, 10, 600, 20]", "box: [10, 10, 600, 20]", "variant og, layer 2: text box [10 10 600 20] is 20 px high, but one line at 40 px needs 40 px"},
		{"story text in the band Instagram covers", "box: [10, 300, 600, 60]", "box: [10, 100, 600, 60]", "box: [10, 100", "top and bottom 250 px of a story"},
		{"an unknown variant", "  story:\n", "  reel:\n    size: [1, 1]\n  story:\n", "reel:", `unknown variant "reel" (variants: og, square, portrait, story)`},
		{"a missing variant", "  portrait:\n    size: [1080, 1350]\n    layers:\n      - {type: fill, color: \"#020202\"}\n", "", "og:", `missing variant "portrait"`},
		{"a variant of the wrong size", "size: [1200, 630]", "size: [1200, 628]", "[1200, 628]", "variant og must be 1200×630"},
		{"an unknown layer type", `{type: fill, color: "#020202"}`, `{type: blur, color: "#020202"}`, "type: blur", `unknown layer type "blur"`},
		{"a missing text", "  decline: Afslå invitationen\n", "", "  event:", `texts: missing key "decline"`},
		{"a learning URL that is not a URL", "learning_url: https://example.org/learn", "learning_url: example.org", "learning_url", `learning_url "example.org" must be an absolute http(s) URL`},
		{"a contact that is not an e-mail address", "learning_url: https://example.org/learn\n", "learning_url: https://example.org/learn\ncontact: privacy at example.org\n", "contact:", `contact "privacy at example.org" must be an e-mail address`},
		{"a misspelt placeholder", `text: "{{name}}", font`, `text: "{{nmae}}", font`, "{{nmae}}", "unknown placeholder {{nmae}}"},
		{"a misspelt placeholder in the page texts", "page_heading: Kære {{name}}", "page_heading: Kære {{Name}}", "{{Name}}", "texts.page_heading: unknown placeholder {{Name}}"},
		{"a key given twice", "locale: da_DK\n", "locale: da_DK\nlocale: sv_SE\n", "locale: sv_SE", `key "locale" appears twice`},
		{"a number where text belongs", "size: 40, color: gold, box: [10, 10", "size: big, color: gold, box: [10, 10", "size: big", `size must be a number, not the value "big"`},
		{"a min_size above the size", "size: 40, color: gold, box: [10, 300", "size: 40, min_size: 50, color: gold, box: [10, 300", "min_size: 50", "min_size 50 is larger than size 40"},
		{"broken YAML", "  event: Festen\n", "  event: [Festen\n", "event: [Festen", "campaigns/demo.yaml:"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if !strings.Contains(validCampaign, tc.old) {
				t.Fatalf("%q is not in the valid campaign", tc.old)
			}
			src := strings.Replace(validCampaign, tc.old, tc.new, 1)
			_, err := Load(testFS(t, map[string]string{testFile: src}), "assets/campaigns", nil)
			if err == nil {
				t.Fatal("loaded without error")
			}
			prefix := fmt.Sprintf("%s:%d: ", testFile, lineOf(t, src, tc.marker))
			if tc.name == "broken YAML" {
				prefix = testFile + ":"
			}
			found := false
			for _, line := range strings.Split(err.Error(), "\n") {
				if strings.HasPrefix(line, prefix) && strings.Contains(line, tc.want) {
					found = true
				}
			}
			if !found {
				t.Errorf("errors:\n%v\nwant a line starting %q containing %q", err, prefix, tc.want)
			}
		})
	}
}

func TestLoadReportsEveryProblemAtOnce(t *testing.T) {
	src := strings.Replace(validCampaign, "accent: gold", `accent: "#nothex"`, 1)
	src = strings.Replace(src, "self_service: false", "self_service: maybe", 1)
	other := strings.Replace(validCampaign, "serif: fonts/EBGaramond12-Regular.otf", "serif: fonts/Gone.otf", 1)
	other = strings.Replace(other, "id: demo", "id: other", 1)
	_, err := Load(testFS(t, map[string]string{testFile: src, "assets/campaigns/other.yml": other}), "assets/campaigns", nil)
	if err == nil {
		t.Fatal("loaded without error")
	}
	if n := strings.Count(err.Error(), "\n") + 1; n != 3 {
		t.Errorf("%d problems reported, want 3 (a font that failed to load is not reported again where it is used):\n%v", n, err)
	}
	for _, want := range []string{`demo.yaml:24: colors.accent`, `demo.yaml:4: campaign.self_service must be true or false`, `other.yml:26: fonts.serif: font fonts/Gone.otf`} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("errors:\n%v\nwant %q", err, want)
		}
	}
}

func TestLoadRejectsDuplicateIDsAndEmptyDirectories(t *testing.T) {
	_, err := Load(testFS(t, map[string]string{testFile: validCampaign, "assets/campaigns/copy.yaml": validCampaign}), "assets/campaigns", nil)
	if err == nil || !strings.Contains(err.Error(), `campaign id "demo" is already used`) {
		t.Errorf("duplicate ids: error = %v", err)
	}
	_, err = Load(testFS(t, map[string]string{"assets/campaigns/README.md": "x"}), "assets/campaigns", nil)
	if err == nil || !strings.Contains(err.Error(), "no campaign files") {
		t.Errorf("empty directory: error = %v", err)
	}
	_, err = Load(testFS(t, nil), "assets/nowhere", nil)
	if err == nil {
		t.Error("a missing directory loaded")
	}
}

func TestDemoCampaign(t *testing.T) {
	set, err := Load(sharecard.Files(), sharecard.CampaignDir, nil)
	if err != nil {
		t.Fatal(err)
	}
	c, ok := set.Lookup("ligestilling")
	if !ok {
		t.Fatal("the demo campaign ligestilling is missing")
	}
	if c.LearningURL != "https://www.ligestillingitoppen.dk/laer" || !c.SelfService || c.Locale != "da_DK" {
		t.Errorf("demo campaign settings: %q %v %q", c.LearningURL, c.SelfService, c.Locale)
	}
	if c.Texts.Event != "Festen for ligestilling i dansk topledelse" || !strings.Contains(c.Texts.Date, "2061") {
		t.Errorf("demo texts: %+v", c.Texts)
	}
	versions := map[string]bool{}
	for _, v := range VariantNames {
		tpl, ok := c.Variant(v)
		if !ok {
			t.Fatalf("no variant %s", v)
		}
		versions[tpl.Version] = true
	}
	if len(versions) != len(VariantNames) {
		t.Errorf("variants share versions: %v", versions)
	}
}

func TestExpand(t *testing.T) {
	c := &Campaign{}
	tests := []struct {
		name string
		in   string
		f    card.Fields
		want string
	}{
		{"every placeholder is replaced", "{{name}} – {{title}} – {{org}}", card.Fields{Name: "Lars", Title: "CEO", Org: "Bank"}, "Lars – CEO – Bank"},
		{"the byline leaves out an empty title", "{{byline}}", card.Fields{Org: "Bank"}, "Bank"},
		{"the byline joins title and organisation", "{{byline}}", card.Fields{Title: "CEO", Org: "Bank"}, "CEO, Bank"},
		{"text without placeholders is unchanged", "Festen", card.Fields{Name: "x"}, "Festen"},
		{"a placeholder in a name is not expanded again", "{{name}}", card.Fields{Name: "{{org}}", Org: "Bank"}, "{{org}}"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := c.Expand(tc.in, tc.f); got != tc.want {
				t.Errorf("Expand(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

// FuzzLoad feeds the loader arbitrary files: it must answer with a campaign
// or file:line errors, never panic.
func FuzzLoad(f *testing.F) {
	f.Add(validCampaign)
	f.Add(strings.Replace(validCampaign, "layers:", "layers: &a", 1))
	f.Add("variants: {og: {layers: [{type: text, box: [1, 2]}]}}")
	f.Add("- a\n- b")
	f.Add("id: [")
	fsys := testFS(f, nil)
	f.Fuzz(func(t *testing.T, src string) {
		fsys[testFile] = &fstest.MapFile{Data: []byte(src)}
		set, err := Load(fsys, "assets/campaigns", nil)
		if err == nil {
			if len(set.IDs()) != 1 {
				t.Fatalf("loaded %d campaigns from one file", len(set.IDs()))
			}
			return
		}
		for _, line := range strings.Split(err.Error(), "\n") {
			if !strings.HasPrefix(line, testFile+":") {
				t.Fatalf("error line without file:line: %q", line)
			}
		}
	})
}

func TestMissingNamesWhatNoVariantCanDraw(t *testing.T) {
	fsys := testFS(t, map[string]string{testFile: validCampaign})
	noto, err := filepath.Glob(filepath.Join("..", "..", "fonts", "noto", "*"))
	if err != nil || len(noto) == 0 {
		t.Fatalf("no shipped fonts: %v", err)
	}
	for _, p := range noto {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		fsys["fonts/noto/"+filepath.Base(p)] = &fstest.MapFile{Data: data}
	}
	set, err := Load(fsys, "assets/campaigns", nil)
	if err != nil {
		t.Fatal(err)
	}
	c, ok := set.Lookup(set.IDs()[0])
	if !ok {
		t.Fatal("no campaign")
	}
	tests := []struct {
		in   string
		want string
	}{
		{"Lars Hansen", ""},
		{"Åse 王小明 محمد अनुष्का 👩‍💼", ""},
		{"Lars \U0001E900 \U0001E900", "\U0001E900"},
	}
	for _, tc := range tests {
		if got := string(c.Missing(tc.in)); got != tc.want {
			t.Errorf("Missing(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
