package server

import (
	"encoding/xml"
	"strings"
	"testing"

	"github.com/sharecard/sharecard/internal/share"
	"github.com/sharecard/sharecard/internal/testqr"
)

// TestQRCodeReadsBackToThePage: both formats encode the invitation's page
// URL, are cached like the cards, answer HEAD and 304, and count nothing.
func TestQRCodeReadsBackToThePage(t *testing.T) {
	f := newFixture(t)
	tok := f.token(invitation("Åse Holm"))
	page := "https://invitation.example.dk/i/" + tok

	png := f.do(req{method: "GET", path: share.QRPath(tok, share.QRPNG)})
	wantStatus(t, png, 200)
	h := png.Header()
	if h.Get("Content-Type") != "image/png" || h.Get("Cache-Control") != "public, max-age=31536000, immutable" || h.Get("ETag") == "" {
		t.Errorf("PNG headers %v", h)
	}
	if got := testqr.DecodePNG(t, png.Body.Bytes()); got != page {
		t.Errorf("the PNG reads %q, want %q", got, page)
	}
	if got := testqr.ZBar(t, png.Body.Bytes()); got != page {
		t.Errorf("zbarimg reads the PNG as %q, want %q", got, page)
	}

	svg := f.do(req{method: "GET", path: "/i/" + tok + "/qr.svg"})
	wantStatus(t, svg, 200)
	if ct := svg.Header().Get("Content-Type"); ct != "image/svg+xml" {
		t.Errorf("SVG Content-Type %q", ct)
	}
	if cc := svg.Header().Get("Cache-Control"); cc != "public, max-age=3600" {
		t.Errorf("SVG without a version: Cache-Control %q, want an hour", cc)
	}
	if err := xml.Unmarshal(svg.Body.Bytes(), new(struct{})); err != nil || !strings.Contains(svg.Body.String(), `<path fill="#000" d="M`) {
		t.Errorf("the SVG is not XML with a path of modules (%v)", err)
	}
	if csp := svg.Header().Get("Content-Security-Policy"); !strings.HasPrefix(csp, "default-src 'none'") {
		t.Errorf("an SVG opened on its own must run nothing: CSP %q", csp)
	}

	head := f.do(req{method: "HEAD", path: share.QRPath(tok, share.QRPNG)})
	wantStatus(t, head, 200)
	if head.Body.Len() != 0 || head.Header().Get("Content-Length") != itoa(png.Body.Len()) {
		t.Errorf("HEAD: body %d, Content-Length %q", head.Body.Len(), head.Header().Get("Content-Length"))
	}
	nm := f.do(req{method: "GET", path: share.QRPath(tok, share.QRPNG), header: map[string]string{"If-None-Match": h.Get("ETag")}})
	wantStatus(t, nm, 304)
	if all := f.events.All(); len(all) != 0 {
		t.Errorf("QR codes were counted: %+v", all)
	}

	// Another link, another code; a bad or revoked link, none.
	other := f.do(req{method: "GET", path: share.QRPath(f.token(invitation("Lars Hansen")), share.QRPNG)})
	if other.Header().Get("ETag") == h.Get("ETag") {
		t.Error("two links share an ETag")
	}
	wantError(t, f.do(req{method: "GET", path: "/i/garbage/qr.svg"}), 404, "no such invitation")
	if _, err := f.app.share.Revoke(t.Context(), tok); err != nil {
		t.Fatal(err)
	}
	wantError(t, f.do(req{method: "GET", path: share.QRPath(tok, share.QRSVG)}), 410, "withdrawn")
}
