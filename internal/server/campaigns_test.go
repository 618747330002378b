package server

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"hash/crc32"
	"image"
	"image/png"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/sharecard/sharecard"
	"github.com/sharecard/sharecard/internal/cache"
	"github.com/sharecard/sharecard/internal/campaign"
	"github.com/sharecard/sharecard/internal/card"
	"github.com/sharecard/sharecard/internal/invite"
	"github.com/sharecard/sharecard/internal/share"
	"github.com/sharecard/sharecard/internal/testredis"
	"github.com/sharecard/sharecard/internal/teststats"
)

// newStoreFixture is the service over a campaign library in store, seeded
// with the built-in campaigns, as serve.go builds it.
func newStoreFixture(t *testing.T, store campaign.Store) *fixture {
	t.Helper()
	lib := campaign.NewLibrary(campaign.LibraryOptions{Store: store, Files: sharecard.Files()})
	if err := lib.Open(context.Background(), sharecard.CampaignDir); err != nil {
		t.Fatal(err)
	}
	cfg := testConfig()
	signer, _ := invite.NewSigner([][]byte{[]byte("server-test-key-0123456789abcdef")})
	c := cache.New(cache.Options{MemoryBytes: 8 << 20})
	t.Cleanup(func() { c.Close() })
	reg := prometheus.NewRegistry()
	core, err := share.New(share.Deps{Campaigns: lib, Signer: signer, Cache: c, BaseURL: cfg.BaseURL,
		Encode: card.EncodeOptions{JPEGQuality: cfg.JPEGQuality}, RenderConcurrency: 2, RenderQueue: 8, Registry: reg})
	if err != nil {
		t.Fatal(err)
	}
	e, a, err := newApp(Deps{Config: cfg, Share: core, Library: lib, Cache: c, Registry: reg, Log: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	return &fixture{t: t, e: e, app: a, signer: signer, events: &teststats.Events{}}
}

// storeKinds runs fn with a fixture over each store: the data directory,
// and Redis when REDIS_URL is set.
func storeKinds(t *testing.T, fn func(t *testing.T, f *fixture)) {
	t.Run("embedded", func(t *testing.T) {
		s, err := campaign.NewDirStore(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		fn(t, newStoreFixture(t, s))
	})
	t.Run("redis", func(t *testing.T) {
		c, prefix := testredis.Client(t)
		fn(t, newStoreFixture(t, campaign.NewRedisStore(c, prefix, nil)))
	})
}

func demoFile(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", sharecard.CampaignDir, "ligestilling.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func yamlHeader(extra ...string) map[string]string {
	return admin(append([]string{"Content-Type", "application/yaml"}, extra...)...)
}

func pngBytes(t *testing.T, w, h int) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, image.NewNRGBA(image.Rect(0, 0, w, h))); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

type publishAnswer struct {
	ID       string   `json:"id"`
	Version  string   `json:"version"`
	Warnings []string `json:"warnings"`
}

func decode[T any](t *testing.T, body []byte) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(body, &v); err != nil {
		t.Fatalf("%v: %s", err, body)
	}
	return v
}

// TestCampaignAPI goes through every endpoint of the campaign store, with
// each store, and checks every answer against openapi.json.
func TestCampaignAPI(t *testing.T) {
	api := newContract(t)
	storeKinds(t, func(t *testing.T, f *fixture) {
		run := func(x exchange) *bytes.Buffer {
			t.Helper()
			w := f.do(x.r)
			if w.Code != x.code {
				t.Fatalf("%s: status %d, want %d; body: %.400s", x.name, w.Code, x.code, w.Body.String())
			}
			for _, err := range api.problems(x.r, w.Code, w.Header(), w.Body.Bytes(), x.refused) {
				t.Errorf("%s: %v", x.name, err)
			}
			return w.Body
		}
		demo := demoFile(t)
		list := decode[struct{ Campaigns []campaignJSON }](t, run(exchange{name: "list", r: req{method: "GET", path: "/api/v1/campaigns", header: admin()}, code: 200}).Bytes())
		if len(list.Campaigns) != 2 || list.Campaigns[1].ID != "ligestilling" || list.Campaigns[1].Version == "" {
			t.Fatalf("seeded store lists %+v", list)
		}
		first := list.Campaigns[1].Version // ligestilling (equality-2061 sorts first)

		// A link minted now keeps working across versions.
		minted := decode[share.Result](t, run(exchange{name: "mint", r: req{method: "POST", path: "/api/v1/invitations", header: admin(),
			body: `{"campaign":"ligestilling","name":"Lars Hansen"}`}, code: 201}).Bytes())
		page := strings.TrimPrefix(minted.URL, "https://invitation.example.dk")

		changed := strings.Replace(demo, "{da: Tirsdag", "{da: Onsdag", 1)
		pub := decode[publishAnswer](t, run(exchange{name: "a new version is 200", r: req{method: "PUT", path: "/api/v1/campaigns/ligestilling",
			header: yamlHeader(), body: changed}, code: 200}).Bytes())
		if pub.ID != "ligestilling" || pub.Version == first || pub.Warnings == nil {
			t.Errorf("publish answered %+v", pub)
		}
		after := decode[share.Result](t, run(exchange{name: "mint again", r: req{method: "POST", path: "/api/v1/invitations", header: admin(),
			body: `{"campaign":"ligestilling","name":"Lars Hansen"}`}, code: 201}).Bytes())
		if after.Images["og"] == minted.Images["og"] {
			t.Error("the image address did not change with the design")
		}
		if w := f.do(req{method: "GET", path: page}); w.Code != 200 || !strings.Contains(w.Body.String(), strings.TrimPrefix(after.Images["og"], "https://invitation.example.dk")) {
			t.Errorf("the old link's page (%d) does not show the new version's image", w.Code)
		}

		// A campaign of its own, with a picture uploaded first.
		own := strings.Replace(strings.Replace(demo, "id: ligestilling\n", "", 1), "      - {type: fill, color: ink}\n",
			"      - {type: fill, color: ink}\n      - {type: image, src: dot.png, box: [0, 0, 10, 10]}\n", 1)
		run(exchange{name: "an asset before the file is 201", r: req{method: "PUT", path: "/api/v1/campaigns/nyt-aar/assets/dot.png",
			header: admin("Content-Type", "image/png"), body: string(pngBytes(t, 4, 4))}, code: 201})
		created := decode[publishAnswer](t, run(exchange{name: "a new campaign is 201", r: req{method: "PUT", path: "/api/v1/campaigns/nyt-aar",
			header: yamlHeader(), body: own}, code: 201}).Bytes())
		run(exchange{name: "an asset of a published campaign is a new version", r: req{method: "PUT", path: "/api/v1/campaigns/nyt-aar/assets/dot.png",
			header: admin("Content-Type", "image/png"), body: string(pngBytes(t, 6, 6))}, code: 200})
		run(exchange{name: "an asset reads back", r: req{method: "GET", path: "/api/v1/campaigns/nyt-aar/assets/dot.png", header: admin()}, code: 200})
		doc := decode[campaignDoc](t, run(exchange{name: "get", r: req{method: "GET", path: "/api/v1/campaigns/nyt-aar", header: admin()}, code: 200}).Bytes())
		if doc.YAML != own || doc.Assets["dot.png"].Size == 0 {
			t.Errorf("get answered %+v", doc)
		}
		run(exchange{name: "an earlier version", r: req{method: "GET", path: "/api/v1/campaigns/nyt-aar?version=" + created.Version, header: admin()}, code: 200})
		vs := decode[versionsDoc](t, run(exchange{name: "versions", r: req{method: "GET", path: "/api/v1/campaigns/nyt-aar/versions", header: admin()}, code: 200}).Bytes())
		if len(vs.Versions) != 2 || vs.Current != vs.Versions[1].ID || vs.Versions[1].Parent != created.Version {
			t.Errorf("versions %+v", vs)
		}

		// Taking an asset out: refused while the file names it; a spare
		// one goes, in a new version; before a first publish it is just
		// no longer kept.
		inUse := run(exchange{name: "deleting an asset the file names is 422", r: req{method: "DELETE", path: "/api/v1/campaigns/nyt-aar/assets/dot.png", header: admin()}, code: 422}).String()
		if !strings.Contains(inUse, "dot.png") || !strings.Contains(inUse, `"line":`) {
			t.Errorf("the refusal does not say where the file names it: %s", inUse)
		}
		run(exchange{name: "a spare asset", r: req{method: "PUT", path: "/api/v1/campaigns/nyt-aar/assets/spare.png",
			header: admin("Content-Type", "image/png"), body: string(pngBytes(t, 2, 2))}, code: 200})
		gone := decode[publishAnswer](t, run(exchange{name: "deleting a spare asset is a new version", r: req{method: "DELETE", path: "/api/v1/campaigns/nyt-aar/assets/spare.png", header: admin()}, code: 200}).Bytes())
		if now := decode[campaignDoc](t, run(exchange{name: "get after the delete", r: req{method: "GET", path: "/api/v1/campaigns/nyt-aar", header: admin()}, code: 200}).Bytes()); now.Version != gone.Version || len(now.Assets) != 1 {
			t.Errorf("after the delete the campaign is %s with %v", now.Version, now.Assets)
		}
		run(exchange{name: "a deleted asset is not there", r: req{method: "GET", path: "/api/v1/campaigns/nyt-aar/assets/spare.png", header: admin()}, code: 404})
		run(exchange{name: "deleting it again is 404", r: req{method: "DELETE", path: "/api/v1/campaigns/nyt-aar/assets/spare.png", header: admin()}, code: 404})
		run(exchange{name: "an asset kept for a first publish", r: req{method: "PUT", path: "/api/v1/campaigns/kladde/assets/a.png",
			header: admin("Content-Type", "image/png"), body: string(pngBytes(t, 2, 2))}, code: 201})
		if staged := decode[publishAnswer](t, run(exchange{name: "deleting it before the first publish", r: req{method: "DELETE", path: "/api/v1/campaigns/kladde/assets/a.png", header: admin()}, code: 200}).Bytes()); staged.Version != "" {
			t.Errorf("a delete before the first publish made version %q", staged.Version)
		}
		run(exchange{name: "it is no longer kept", r: req{method: "DELETE", path: "/api/v1/campaigns/kladde/assets/a.png", header: admin()}, code: 404})

		rb := decode[publishAnswer](t, run(exchange{name: "rollback", r: req{method: "POST", path: "/api/v1/campaigns/ligestilling/rollback", header: admin(),
			body: `{"version":"` + first + `"}`}, code: 200}).Bytes())
		if rb.Version != first {
			t.Errorf("rollback answered %+v", rb)
		}
		if w := f.do(req{method: "GET", path: page}); w.Code != 200 || !strings.Contains(w.Body.String(), strings.TrimPrefix(minted.Images["og"], "https://invitation.example.dk")) {
			t.Errorf("after rollback the link's page (%d) does not show the first version's image", w.Code)
		}
		run(exchange{name: "archive", r: req{method: "DELETE", path: "/api/v1/campaigns/ligestilling", header: admin()}, code: 204})
		for _, p := range []string{page, strings.TrimPrefix(minted.Images["og"], "https://invitation.example.dk")} {
			wantError(t, f.do(req{method: "GET", path: p}), http.StatusGone, "ended")
		}
		run(exchange{name: "archived campaigns are listed", r: req{method: "GET", path: "/api/v1/campaigns", header: admin()}, code: 200})
		run(exchange{name: "a publish brings it back", r: req{method: "PUT", path: "/api/v1/campaigns/ligestilling", header: yamlHeader(), body: demo}, code: 200})
		if w := f.do(req{method: "GET", path: page}); w.Code != 200 {
			t.Errorf("after a publish the archived campaign's link answers %d", w.Code)
		}
	})
}

// TestCampaignAPIRefusesBadInput: every refusal has its status and a
// message that says what to fix, matches openapi.json, and changes
// nothing.
func TestCampaignAPIRefusesBadInput(t *testing.T) {
	api := newContract(t)
	storeKinds(t, func(t *testing.T, f *fixture) {
		demo := demoFile(t)
		font, err := os.ReadFile(filepath.Join("..", "..", "fonts", "DejaVuSans.ttf"))
		if err != nil {
			t.Fatal(err)
		}
		bomb := pngBytes(t, 1, 1)
		copy(bomb[16:24], []byte{0, 1, 0x86, 0xa0, 0, 1, 0x86, 0xa0})
		binary.BigEndian.PutUint32(bomb[29:33], crc32.ChecksumIEEE(bomb[12:29]))
		before := f.do(req{method: "GET", path: "/api/v1/campaigns/ligestilling/versions", header: admin()}).Body.String()
		aliases := "a: &a [x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a]\nc: [*b, *b, *b, *b, *b, *b, *b, *b]\n"
		put := func(body string) req {
			return req{method: "PUT", path: "/api/v1/campaigns/ligestilling", header: yamlHeader(), body: body}
		}
		asset := func(name string, body []byte) req {
			return req{method: "PUT", path: "/api/v1/campaigns/ligestilling/assets/" + name, header: admin("Content-Type", "application/octet-stream"), body: string(body)}
		}
		tests := []struct {
			x    exchange
			want string
		}{
			{exchange{name: "a file over 256 KiB is 413", r: put(demo + "#" + strings.Repeat("x", 256<<10)), code: 413}, "a campaign file may be at most 256 KiB"},
			{exchange{name: "an alias bomb is 422", r: put(aliases), code: 422}, "anchors and aliases (*a) are not allowed"},
			{exchange{name: "an unknown key is 422 at its line", r: put(strings.Replace(demo, "locale:", "colour: red\nlocale:", 1)), code: 422}, `"unknown key \"colour\" in campaign`},
			{exchange{name: "a YAML syntax error is 422", r: put("id: [ligestilling\n"), code: 422}, `"line":`},
			{exchange{name: "an id that is not the path's is 422", r: req{method: "PUT", path: "/api/v1/campaigns/andet", header: yamlHeader(), body: demo}, code: 422}, `id \"ligestilling\" does not match the campaign \"andet\"`},
			{exchange{name: "an id with capitals is 400", r: req{method: "PUT", path: "/api/v1/campaigns/Ligestilling", header: yamlHeader(), body: demo}, code: 400}, "lower-case letters, digits and hyphens"},
			{exchange{name: "an id over 64 characters is 400", r: req{method: "PUT", path: "/api/v1/campaigns/" + strings.Repeat("a", 65), header: yamlHeader(), body: demo}, code: 400}, "1 to 64"},
			{exchange{name: "a file sent as JSON is 415", r: req{method: "PUT", path: "/api/v1/campaigns/ligestilling", header: admin(), body: demo}, code: 415, refused: true}, "application/yaml"},
			{exchange{name: "a stale If-Match is 412", r: req{method: "PUT", path: "/api/v1/campaigns/ligestilling", header: yamlHeader("If-Match", `"0-old"`), body: demo}, code: 412}, "current version is not the one given"},
			{exchange{name: "a publish without a token is 401", r: req{method: "PUT", path: "/api/v1/campaigns/ligestilling", header: map[string]string{"Content-Type": "application/yaml"}, body: demo}, code: 401, refused: true}, ""},
			{exchange{name: "an asset over 5 MiB is 413", r: asset("big.png", append(pngBytes(t, 1, 1), make([]byte, 5<<20)...)), code: 413}, "an asset may be at most 5 MiB"},
			{exchange{name: "a decompression bomb is 422", r: asset("bomb.png", bomb), code: 422}, "declares 100000×100000 pixels"},
			{exchange{name: "a font that does not parse is 422", r: asset("broken.ttf", font[:3000]), code: 422}, "font broken.ttf"},
			{exchange{name: "a GIF is 415", r: asset("anim.png", []byte("GIF89a\x01\x00\x01\x00")), code: 415}, "PNG or JPEG image or a TTF or OTF font"},
			{exchange{name: "a name with an escaped slash is 400", r: asset("a%2Fb.png", pngBytes(t, 1, 1)), code: 400}, "no /"},
			{exchange{name: "a name with .. is 400", r: asset("..%2F..%2Fsecret.png", pngBytes(t, 1, 1)), code: 400}, "no /"},
			{exchange{name: "a name with a control character is 400", r: asset("a%0Ab.png", pngBytes(t, 1, 1)), code: 400}, "control characters"},
			{exchange{name: "a name of another kind is 400", r: asset("notes.txt", []byte("hello")), code: 400}, ".png, .jpg"},
			{exchange{name: "an unknown campaign is 404", r: req{method: "GET", path: "/api/v1/campaigns/nope", header: admin()}, code: 404}, "no such campaign"},
			{exchange{name: "an unknown version is 404", r: req{method: "GET", path: "/api/v1/campaigns/ligestilling?version=nope", header: admin()}, code: 404}, "no such version"},
			{exchange{name: "versions of an unknown campaign are 404", r: req{method: "GET", path: "/api/v1/campaigns/nope/versions", header: admin()}, code: 404}, "no such campaign"},
			{exchange{name: "a rollback to no version is 422", r: req{method: "POST", path: "/api/v1/campaigns/ligestilling/rollback", header: admin(), body: `{"version":"nope"}`}, code: 422}, "has no version nope"},
			{exchange{name: "a rollback without a version is 400", r: req{method: "POST", path: "/api/v1/campaigns/ligestilling/rollback", header: admin(), body: `{}`}, code: 422, refused: true}, "name the version"},
			{exchange{name: "archiving an unknown campaign is 404", r: req{method: "DELETE", path: "/api/v1/campaigns/nope", header: admin()}, code: 404}, "no such campaign"},
		}
		for _, tt := range tests {
			t.Run(tt.x.name, func(t *testing.T) {
				w := f.do(tt.x.r)
				if w.Code != tt.x.code || !strings.Contains(w.Body.String(), tt.want) {
					t.Fatalf("%d %s, want %d containing %s", w.Code, w.Body.String(), tt.x.code, tt.want)
				}
				for _, err := range api.problems(tt.x.r, w.Code, w.Header(), w.Body.Bytes(), tt.x.refused) {
					t.Error(err)
				}
			})
		}
		if after := f.do(req{method: "GET", path: "/api/v1/campaigns/ligestilling/versions", header: admin()}).Body.String(); after != before {
			t.Errorf("refusals changed the campaign:\nbefore %s\nafter  %s", before, after)
		}
		// Every problem of a campaign comes back with its place.
		bad := strings.Replace(strings.Replace(demo, "locale:", "colour: red\nlocale:", 1), "learning_url:", "learning_url: ftp://x\nignored:", 1)
		w := f.do(put(bad))
		got := decode[struct {
			Error  string
			Errors []problemJSON
		}](t, w.Body.Bytes())
		if len(got.Errors) < 2 || got.Errors[0].Line == 0 || got.Errors[0].Column == 0 {
			t.Errorf("problems %+v", got.Errors)
		}
	})
}

// TestClosedCampaignMakesNothing: after its closes: date the campaign
// page says it is closed, in Danish, and a sign-up makes nothing, while a
// link made before still works.
func TestClosedCampaignMakesNothing(t *testing.T) {
	s, err := campaign.NewDirStore(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	f := newStoreFixture(t, s)
	form := map[string]string{"Content-Type": "application/x-www-form-urlencoded"}
	w := f.do(req{method: "POST", path: "/c/ligestilling", header: form, body: "name=Lars+Hansen"})
	wantStatus(t, w, http.StatusSeeOther)
	link := w.Header().Get("Location")

	closed := strings.Replace(demoFile(t), "self_service: true", "self_service: true\nopens: 2020-01-01\ncloses: 2020-12-31", 1)
	wantStatus(t, f.do(req{method: "PUT", path: "/api/v1/campaigns/ligestilling", header: yamlHeader(), body: closed}), http.StatusOK)
	page := f.do(req{method: "GET", path: "/c/ligestilling"})
	wantStatus(t, page, http.StatusOK)
	if body := page.Body.String(); !strings.Contains(body, "Kampagnen er lukket") || strings.Contains(body, "<form") {
		t.Errorf("the closed campaign's page: %.600s", body)
	}
	w = f.do(req{method: "POST", path: "/c/ligestilling", header: form, body: "name=Lars+Hansen"})
	if w.Code != http.StatusForbidden || w.Header().Get("Location") != "" || !strings.Contains(w.Body.String(), "Kampagnen er lukket") {
		t.Errorf("a sign-up after closing: %d %q", w.Code, w.Header().Get("Location"))
	}
	wantStatus(t, f.do(req{method: "GET", path: link}), http.StatusOK)

	// A date that is not a date is refused at its line.
	bad := strings.Replace(demoFile(t), "self_service: true", "self_service: true\ncloses: next week", 1)
	wantError(t, f.do(req{method: "PUT", path: "/api/v1/campaigns/ligestilling", header: yamlHeader(), body: bad}), 422, "does not validate")
}
