package share

import (
	"crypto/sha256"
	"encoding/hex"
	"net/url"

	"github.com/maypok86/otter/v2"

	"github.com/sharecard/sharecard/internal/qrcode"
)

// The QR code formats: SVG for screens and print at any size, PNG for
// saving to a phone's photos.
const (
	QRSVG = "svg"
	QRPNG = "png"
)

// QRVersion is the QR codes' cache version: it changes when the way a code
// is drawn changes, so their URLs can be cached for a year as the cards'
// are.
var QRVersion = func() string {
	h := sha256.Sum256([]byte(qrcode.Style))
	return hex.EncodeToString(h[:4])
}()

// QRPath is the QR code of an invitation's page in ext (QRSVG or QRPNG),
// at the current QRVersion.
func QRPath(token, ext string) string {
	return "/i/" + token + "/qr." + ext + "?v=" + url.QueryEscape(QRVersion)
}

// QR is the QR code of an invitation's page in one format: what it encodes
// and its ETag are known before it is drawn, so a matching If-None-Match
// costs nothing.
type QR struct {
	ETag        string
	ContentType string
	Text        string // the invitation page's URL, which the code encodes
	ext         string
}

// QR describes the QR code of inv's page in ext (QRSVG or QRPNG; another
// ext is a *NoSuchImageError). The code is not an image of the campaign:
// it is not counted and takes no render slot.
func (s *Service) QR(inv Invitation, ext string) (QR, error) {
	ct := map[string]string{QRSVG: "image/svg+xml", QRPNG: "image/png"}[ext]
	if ct == "" {
		return QR{}, &NoSuchImageError{Names: []string{"qr." + QRSVG, "qr." + QRPNG}}
	}
	page := s.links.Page(inv.Token)
	h := sha256.Sum256([]byte(qrcode.Style + "\x00" + ext + "\x00" + page))
	return QR{ETag: `"` + hex.EncodeToString(h[:12]) + `"`, ContentType: ct, Text: page, ext: ext}, nil
}

// qrCacheBytes bounds the drawn codes kept in memory: a PNG is about
// 3 KB, an SVG about 6 KB, so some 500 codes.
const qrCacheBytes = 4 << 20

func newQRCache() *otter.Cache[string, []byte] {
	return otter.Must(&otter.Options[string, []byte]{
		MaximumWeight: qrCacheBytes,
		Weigher:       func(k string, v []byte) uint32 { return uint32(len(k) + len(v)) },
	})
}

// DrawQR encodes and draws q. Drawing a PNG takes some 7 ms (half of it
// choosing the mask, half compressing), so the codes of the last few
// hundred links are kept: the maker's send page asks for the same one
// again.
func (s *Service) DrawQR(q QR) ([]byte, error) {
	if b, ok := s.qrs.GetIfPresent(q.ETag); ok {
		return b, nil
	}
	code, err := qrcode.Encode(q.Text)
	if err != nil {
		return nil, err
	}
	var body []byte
	if q.ext == QRSVG {
		body = code.SVG(q.Text)
	} else if body, err = code.PNG(); err != nil {
		return nil, err
	}
	s.qrs.Set(q.ETag, body)
	return body, nil
}
