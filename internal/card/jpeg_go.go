//go:build !turbojpeg || !cgo

package card

import (
	"image"
	"io"
	"sync"

	"github.com/sharecard/sharecard/internal/card/jpegrows"
)

// jpegEncoderName names the JPEG encoder in cache keys.
const jpegEncoderName = "gorows"

// encodeJPEG uses image/jpeg's encoder, cut into independent macroblock rows
// (package jpegrows): pure Go, so the default build needs no C toolchain
// (CGO_ENABLED=0). Build with -tags turbojpeg for libjpeg-turbo.
func encodeJPEG(w io.Writer, img image.Image, quality int) error {
	m := asRGBA(img)
	e, err := jpegrows.New(m.Rect.Dx(), m.Rect.Dy(), quality)
	if err != nil {
		return err
	}
	return e.Encode(w, m)
}

// maxJPEGPlans bounds the qualities a template keeps pre-encoded rows for
// (about 100 KB each for og); other qualities are encoded in full.
const maxJPEGPlans = 4

// jpegPlan holds, for one quality, the encoded bytes of every macroblock
// row of the base image, and which rows personal text boxes may touch.
type jpegPlan struct {
	once     sync.Once
	enc      *jpegrows.Encoder
	rows     [][]byte
	personal []bool
}

// jpegPlanFor returns the template's plan for a quality, or nil when too
// many qualities are planned already.
func (t *Template) jpegPlanFor(quality int) *jpegPlan {
	t.jpegMu.Lock()
	p, ok := t.jpegPlans[quality].(*jpegPlan)
	if !ok {
		if len(t.jpegPlans) >= maxJPEGPlans {
			t.jpegMu.Unlock()
			return nil
		}
		p = &jpegPlan{}
		if t.jpegPlans == nil {
			t.jpegPlans = map[int]any{}
		}
		t.jpegPlans[quality] = p
	}
	t.jpegMu.Unlock()
	p.once.Do(func() {
		enc, err := jpegrows.New(t.Width, t.Height, quality)
		if err != nil {
			return
		}
		rows := make([][]byte, enc.Rows())
		for r := range rows {
			rows[r] = enc.AppendRow(nil, t.base, r)
		}
		p.enc, p.rows, p.personal = enc, rows, t.personalRows(16)
	})
	if p.enc == nil {
		return nil
	}
	return p
}

// appendRenderJPEG appends img, a render of t, to dst: every macroblock
// row whose pixels equal the base image's comes from the plan, so only the
// rows the text actually covers are encoded. The bytes equal encodeJPEG's
// for the same pixels.
func (t *Template) appendRenderJPEG(dst []byte, img *image.RGBA, quality int) ([]byte, error) {
	p := t.jpegPlanFor(quality)
	if p == nil {
		w := appender(dst)
		err := encodeJPEG(&w, img, quality)
		return w, err
	}
	out := p.enc.AppendHeader(dst)
	for r, static := range p.rows {
		if !p.personal[r] || t.sameAsBase(img, r*16, r*16+16) {
			out = append(out, static...)
		} else {
			out = p.enc.AppendRow(out, img, r)
		}
	}
	return p.enc.AppendTrailer(out), nil
}
