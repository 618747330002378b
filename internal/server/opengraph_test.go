package server

import (
	"bytes"
	"image/jpeg"
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/net/html"

	"github.com/sharecard/sharecard/internal/campaign"
	"github.com/sharecard/sharecard/internal/config"
)

// headTags reads a page's <head> as a platform's Open Graph parser does:
// every <meta property|name> with its content (the first of each name),
// the <title>, the canonical link.
type headTags struct {
	meta      map[string]string
	count     map[string]int
	title     string
	canonical string
}

func parseHead(t *testing.T, page string) headTags {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	h := headTags{meta: map[string]string{}, count: map[string]int{}}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			attr := map[string]string{}
			for _, a := range n.Attr {
				attr[a.Key] = a.Val
			}
			switch n.Data {
			case "meta":
				key := attr["property"]
				if key == "" {
					key = attr["name"]
				}
				if _, ok := attr["content"]; ok && key != "" {
					if h.count[key] == 0 {
						h.meta[key] = attr["content"]
					}
					h.count[key]++
				}
			case "title":
				if n.FirstChild != nil {
					h.title = n.FirstChild.Data
				}
			case "link":
				if attr["rel"] == "canonical" {
					h.canonical = attr["href"]
				}
			case "body":
				return
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return h
}

// checkImage fetches an og:image as a crawler would and checks it is the
// JPEG of the size the tags say, cacheable for a year.
func checkImage(t *testing.T, f *fixture, tags headTags) {
	t.Helper()
	u, err := url.Parse(tags.meta["og:image"])
	if err != nil || !u.IsAbs() {
		t.Fatalf("og:image %q is not absolute", tags.meta["og:image"])
	}
	w := f.do(req{method: "GET", path: u.RequestURI(), header: map[string]string{"User-Agent": "facebookexternalhit/1.1"}})
	wantStatus(t, w, 200)
	if ct := w.Header().Get("Content-Type"); ct != tags.meta["og:image:type"] {
		t.Errorf("og:image is %s, og:image:type says %s", ct, tags.meta["og:image:type"])
	}
	if cc := w.Header().Get("Cache-Control"); cc != "public, max-age=31536000, immutable" {
		t.Errorf("og:image Cache-Control %q", cc)
	}
	cfg, err := jpeg.DecodeConfig(bytes.NewReader(w.Body.Bytes()))
	if err != nil || itoa(cfg.Width) != tags.meta["og:image:width"] || itoa(cfg.Height) != tags.meta["og:image:height"] {
		t.Errorf("og:image is %d×%d (%v), the tags say %s×%s", cfg.Width, cfg.Height, err, tags.meta["og:image:width"], tags.meta["og:image:height"])
	}
}

// TestOpenGraph checks every tag a link preview reads, with its value and
// length, on the invitation page and the campaign page.
func TestOpenGraph(t *testing.T) {
	base := "https://invitation.example.dk"
	pages := []struct {
		name, path, url, titleHas, alt, imagePath string
	}{
		{"the invitation page", "", "", "Lars Hansen", "Invitation til Lars Hansen", "/og.jpg?v="},
		{"the campaign page", "/c/ligestilling", base + "/c/ligestilling", "Send en invitation", "Invitation til topchef", "/c/ligestilling/og.jpg?v="},
	}
	f := newFixture(t)
	tok := f.token(invitation("Lars Hansen"))
	pages[0].path, pages[0].url = "/i/"+tok, base+"/i/"+tok
	pages[0].imagePath = "/i/" + tok + pages[0].imagePath
	for _, p := range pages {
		t.Run(p.name, func(t *testing.T) {
			w := f.do(req{method: "GET", path: p.path})
			wantStatus(t, w, 200)
			tags := parseHead(t, w.Body.String())
			m := tags.meta
			for _, name := range []string{"og:title", "og:description", "og:url", "og:image", "og:image:type", "og:image:secure_url",
				"og:image:width", "og:image:height", "og:image:alt", "og:type", "og:locale", "og:site_name",
				"twitter:card", "twitter:image:alt", "description"} {
				if tags.count[name] != 1 || m[name] == "" {
					t.Errorf("%s appears %d times, content %q; want once, not empty", name, tags.count[name], m[name])
				}
			}
			want := map[string]string{
				"og:url": p.url, "og:type": "website", "og:locale": "da_DK", "og:site_name": "Ligestilling i toppen",
				"og:image:type": "image/jpeg", "og:image:width": "1200", "og:image:height": "630",
				"og:image:secure_url": m["og:image"], "twitter:card": "summary_large_image",
				"twitter:image:alt": m["og:image:alt"], "description": m["og:description"],
			}
			for k, v := range want {
				if m[k] != v {
					t.Errorf("%s = %q, want %q", k, m[k], v)
				}
			}
			if tags.canonical != p.url || tags.title != m["og:title"] {
				t.Errorf("canonical %q, <title> %q; want %q and the og:title", tags.canonical, tags.title, p.url)
			}
			if !strings.HasPrefix(m["og:image"], base+p.imagePath) {
				t.Errorf("og:image %q, want %s%s…", m["og:image"], base, p.imagePath)
			}
			if n := utf8.RuneCountInString(m["og:title"]); n > campaign.MaxTitle || !strings.Contains(m["og:title"], p.titleHas) {
				t.Errorf("og:title %q: %d characters (at most %d), want it to name %q", m["og:title"], n, campaign.MaxTitle, p.titleHas)
			}
			if n := utf8.RuneCountInString(m["og:description"]); n > campaign.MaxDescription || !strings.HasPrefix(m["og:description"], "Sig nej tak") {
				t.Errorf("og:description %q: %d characters (at most %d), want the call to decline first", m["og:description"], n, campaign.MaxDescription)
			}
			if !strings.HasPrefix(m["og:image:alt"], p.alt) {
				t.Errorf("og:image:alt %q, want %q…", m["og:image:alt"], p.alt)
			}
			checkImage(t, f, tags)
		})
	}

	t.Run("without https there is no secure_url", func(t *testing.T) {
		f := newFixture(t, func(c *config.Config) { c.BaseURL = "http://localhost:8080" })
		for _, path := range []string{"/i/" + f.token(invitation("Lars Hansen")), "/c/ligestilling"} {
			tags := parseHead(t, f.do(req{method: "GET", path: path}).Body.String())
			if tags.count["og:image:secure_url"] != 0 || !strings.HasPrefix(tags.meta["og:image"], "http://localhost:8080/") {
				t.Errorf("%s: og:image %q, secure_url %q", path, tags.meta["og:image"], tags.meta["og:image:secure_url"])
			}
		}
	})
}

// TestCampaignImage: the campaign's card is addressed, cached and
// answered as the invitations' are.
func TestCampaignImage(t *testing.T) {
	f := newFixture(t)
	w := f.do(req{method: "GET", path: "/c/ligestilling/og.jpg"})
	wantStatus(t, w, 200)
	h := w.Header()
	if h.Get("Content-Type") != "image/jpeg" || h.Get("Cache-Control") != "public, max-age=3600" || h.Get("ETag") == "" || h.Get("Cross-Origin-Resource-Policy") != "cross-origin" {
		t.Errorf("headers %v", h)
	}
	nm := f.do(req{method: "GET", path: "/c/ligestilling/og.jpg", header: map[string]string{"If-None-Match": h.Get("ETag")}})
	wantStatus(t, nm, 304)
	head := f.do(req{method: "HEAD", path: "/c/ligestilling/og.jpg"})
	wantStatus(t, head, 200)
	if head.Body.Len() != 0 || head.Header().Get("Content-Length") != itoa(w.Body.Len()) {
		t.Error("HEAD has a body or another length")
	}
	wantError(t, f.do(req{method: "GET", path: "/c/nope/og.jpg"}), 404, "no such campaign")
}
