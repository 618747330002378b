// Package card owns the invitation card: the template model, text layout
// (wrap, fit, ellipsis, fallback fonts), rendering and the image encoders.
// It is pure: bytes in, image out; no HTTP, no Redis, no globals.
//
// A Template is compiled once from a list of layers. Every layer that does
// not depend on the invitee is drawn then into a base image; a render copies
// the base and draws only the personal text boxes, from glyph masks cached
// per font and size, so it costs well under a millisecond before encoding.
package card

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"image"
	"log/slog"
	"math"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/fogleman/gg"
)

// Fields are the personal details drawn onto a card.
type Fields struct {
	Name  string
	Title string
	Org   string
}

// Byline is the title and organisation joined by a comma, leaving out
// whichever is empty, so a template line never shows a stray comma.
func (f Fields) Byline() string {
	t, o := strings.TrimSpace(f.Title), strings.TrimSpace(f.Org)
	switch {
	case t == "":
		return o
	case o == "":
		return t
	}
	return t + ", " + o
}

// Expand replaces {{name}}, {{title}}, {{org}} and {{byline}} in s. Each
// field is cut to a bounded length first: the layout ellipsizes long before
// that, and the bound keeps the work per render small whatever comes in.
func Expand(s string, f Fields) string {
	if !strings.Contains(s, "{{") {
		return s
	}
	f = Fields{Name: limitRunes(f.Name, maxFieldRunes), Title: limitRunes(f.Title, maxFieldRunes), Org: limitRunes(f.Org, maxFieldRunes)}
	return strings.NewReplacer(
		"{{name}}", strings.TrimSpace(f.Name),
		"{{title}}", strings.TrimSpace(f.Title),
		"{{org}}", strings.TrimSpace(f.Org),
		"{{byline}}", f.Byline(),
	).Replace(s)
}

// isPersonal reports whether a text depends on the invitee.
func isPersonal(s string) bool {
	for _, p := range []string{"{{name}}", "{{title}}", "{{org}}", "{{byline}}"} {
		if strings.Contains(s, p) {
			return true
		}
	}
	return false
}

// Format is an output encoding.
type Format string

// The output formats.
const (
	PNG  Format = "png"
	JPEG Format = "jpg"
)

// ParseFormat maps a file extension ("png", "jpg", "jpeg", with or without
// the dot, any case) to a Format.
func ParseFormat(ext string) (Format, bool) {
	switch strings.ToLower(strings.TrimPrefix(ext, ".")) {
	case "png":
		return PNG, true
	case "jpg", "jpeg":
		return JPEG, true
	}
	return "", false
}

// ContentType is the MIME type of the format.
func (f Format) ContentType() string {
	if f == PNG {
		return "image/png"
	}
	return "image/jpeg"
}

// rendererVersion is part of every template version: bump it when a change
// in this package changes the pixels of an unchanged template.
const rendererVersion = "3"

// Spec is the uncompiled description of one variant.
type Spec struct {
	Variant string
	Width   int
	Height  int
	Layers  []Layer
	// Fallback fonts are tried in order for letters a text box's font
	// lacks: first those made for the letter's script (FontOptions.Scripts,
	// ParseScriptFont), then the general ones; emoji sequences go to the
	// emoji font first. NotoFallback is the chain sharecard ships.
	Fallback []*Font
	// Log receives one warning per missing rune and font; nil discards.
	Log *slog.Logger
}

// LayerError is a problem with one layer of a Spec; Index counts from 0, so
// the campaign loader can point at the layer's line.
type LayerError struct {
	Index int
	Err   error
}

// Error counts layers from 1, as people do.
func (e *LayerError) Error() string { return fmt.Sprintf("layer %d: %v", e.Index+1, e.Err) }

// Unwrap returns the problem itself.
func (e *LayerError) Unwrap() error { return e.Err }

// Template is one compiled variant design. Version changes whenever the
// design, a font or an image it uses, or the renderer changes. A Template is
// safe for concurrent use.
type Template struct {
	Variant string
	Width   int
	Height  int
	Version string

	base     *image.RGBA
	personal []TextBox
	fallback []*Font
	log      *slog.Logger
	warned   sync.Map // missingKey → struct{}
	nWarned  atomic.Int64
	pool     sync.Pool // *scratch
	shapers  sync.Pool // *shaper
	png      pngPlan

	jpegMu    sync.Mutex
	jpegPlans map[int]any // quality → *jpegPlan (pure-Go build only)
}

// sameAsBase reports whether rows [y0, y1) of img, a render of t, are
// still the base image's: a personal box touches them, but the text may not
// have reached them ("Lars" on one line leaves most of a two-line box).
func (t *Template) sameAsBase(img *image.RGBA, y0, y1 int) bool {
	y0, y1 = max(y0, 0), min(y1, t.Height)
	a, b := y0*t.base.Stride, y1*t.base.Stride
	return bytes.Equal(img.Pix[a:b], t.base.Pix[a:b])
}

// personalRows marks, in bands of the given height, the rows of the canvas
// that a personal text box touches: only those change between renders.
func (t *Template) personalRows(band int) []bool {
	rows := make([]bool, (t.Height+band-1)/band)
	for _, tb := range t.personal {
		r := tb.Box.rect().Intersect(t.base.Rect)
		if r.Empty() {
			continue
		}
		for b := r.Min.Y / band; b <= (r.Max.Y-1)/band; b++ {
			rows[b] = true
		}
	}
	return rows
}

// maxWarnings bounds the missing-glyph warnings per template (and the memory
// that remembers them): a few hundred distinct letters say all there is to say.
const maxWarnings = 256

type missingKey struct {
	r    rune
	font *Font
}

// MaxSide is the largest canvas side Compile accepts.
const MaxSide = 4096

// Compile checks a Spec, computes its version and draws its static layers
// into the base image.
func Compile(s Spec) (*Template, error) {
	if s.Width <= 0 || s.Height <= 0 || s.Width > MaxSide || s.Height > MaxSide {
		return nil, fmt.Errorf("card: canvas %d×%d: each side must be 1–%d px", s.Width, s.Height, MaxSide)
	}
	var errs []error
	for i, l := range s.Layers {
		if err := checkLayer(l, s.Width, s.Height); err != nil {
			errs = append(errs, &LayerError{Index: i, Err: err})
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	log := s.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	t := &Template{
		Variant:  s.Variant,
		Width:    s.Width,
		Height:   s.Height,
		Version:  specVersion(s),
		fallback: s.Fallback,
		log:      log,
	}
	t.base = image.NewRGBA(image.Rect(0, 0, s.Width, s.Height))
	p := &painter{img: t.base, dc: gg.NewContextForRGBA(t.base), sh: newShaper(), fallback: s.Fallback, missing: t.missing}
	for i, l := range s.Layers {
		if tb, ok := l.(TextBox); ok && isPersonal(tb.Text) {
			t.personal = append(t.personal, tb)
			continue
		}
		if err := l.paint(p); err != nil {
			return nil, &LayerError{Index: i, Err: err}
		}
	}
	return t, nil
}

// checkLayer validates what a layer needs to be drawn safely.
func checkLayer(l Layer, w, h int) error {
	if tb, ok := l.(TextBox); ok {
		switch {
		case tb.Font == nil:
			return errors.New("text box has no font")
		case tb.Size < 1 || tb.Size > 1000:
			return fmt.Errorf("text size %g: must be 1–1000 px", tb.Size)
		case tb.MinSize > tb.Size:
			return fmt.Errorf("minimum size %g is larger than the size %g", tb.MinSize, tb.Size)
		case tb.Box.W < 1 || tb.Box.H < 1:
			return fmt.Errorf("text box %v is empty", tb.Box)
		case tb.MaxLines > 20:
			return fmt.Errorf("max lines %d: at most 20", tb.MaxLines)
		}
		if lo, _ := tb.sizes(); tb.blockHeight(lo, 1) > tb.Box.H+0.5 {
			return fmt.Errorf("text box %v is %g px high, but one line at %d px needs %.0f px", tb.Box, tb.Box.H, lo, math.Ceil(tb.blockHeight(lo, 1)))
		}
	}
	if p, ok := l.(Picture); ok && p.Image == nil {
		return errors.New("picture has no image")
	}
	if !l.Bounds().within(w, h) {
		return fmt.Errorf("%v lies outside the %d×%d canvas", l.Bounds(), w, h)
	}
	return nil
}

// specVersion hashes everything that decides the pixels: the renderer
// version, the canvas, every layer with its parameters, and the fonts and
// images by content (Font and Image print as name@hash).
func specVersion(s Spec) string {
	h := sha256.New()
	fmt.Fprintf(h, "%s|%s|%dx%d|%v|", rendererVersion, s.Variant, s.Width, s.Height, s.Fallback)
	for _, l := range s.Layers {
		fmt.Fprintf(h, "%T%+v|", l, l)
	}
	return hex.EncodeToString(h.Sum(nil)[:8])
}

// missing logs, once per template, rune and font, that a rune was drawn from
// a fallback font or dropped.
func (t *Template) missing(r rune, primary, fallback *Font) {
	if _, seen := t.warned.Load(missingKey{r, primary}); seen {
		return
	}
	switch n := t.nWarned.Add(1); {
	case n == maxWarnings+1:
		t.log.Warn("card: more letters missing from the fonts; no longer logging each", "variant", t.Variant)
		return
	case n > maxWarnings:
		return
	}
	if _, seen := t.warned.LoadOrStore(missingKey{r, primary}, struct{}{}); seen {
		return
	}
	// A letter drawn from the fallback chain is routine (an Arabic name on
	// a Latin design); only a dropped one is worth a warning.
	if fallback != nil {
		t.log.Debug("card: font lacks a glyph", "variant", t.Variant, "rune", string(r), "code", fmt.Sprintf("U+%04X", r), "font", primary.Name(), "using", fallback.Name())
		return
	}
	t.log.Warn("card: font lacks a glyph", "variant", t.Variant, "rune", string(r), "code", fmt.Sprintf("U+%04X", r), "font", primary.Name(), "using", "dropped")
}

// Render draws the template with the personal fields into a new image.
func Render(t *Template, f Fields) (*image.RGBA, error) {
	if t == nil || t.base == nil {
		return nil, errors.New("card: render: template not compiled")
	}
	img := image.NewRGBA(t.base.Rect)
	if err := t.renderInto(img, f); err != nil {
		return nil, err
	}
	return img, nil
}

// renderInto copies the base into img and draws the personal text.
func (t *Template) renderInto(img *image.RGBA, f Fields) error {
	copy(img.Pix, t.base.Pix)
	sh := t.shaper()
	defer t.shapers.Put(sh)
	for i := range t.personal {
		tb := &t.personal[i]
		if err := tb.draw(img, sh, Expand(tb.Text, f), t.fallback, t.missing); err != nil {
			return fmt.Errorf("card: render %s: %w", t.Variant, err)
		}
	}
	return nil
}

// shaper takes a shaper from the template's pool; put it back when done.
func (t *Template) shaper() *shaper {
	if sh, ok := t.shapers.Get().(*shaper); ok {
		return sh
	}
	return newShaper()
}

// RenderBytes renders and encodes in one call. The result is a new slice
// whose capacity is its length: callers keep it (the image cache holds
// thousands), and a slice of a buffer sized for the worst case would keep
// up to four times the bytes it shows (an og JPEG of 100 KB in 385 KB).
// The canvas and the encoder's output are scratch, pooled per template, so
// the one exact copy at the end is all a render allocates for its image.
func RenderBytes(t *Template, f Fields, format Format, o EncodeOptions) ([]byte, error) {
	if t == nil || t.base == nil {
		return nil, errors.New("card: render: template not compiled")
	}
	s, _ := t.pool.Get().(*scratch)
	if s == nil {
		s = &scratch{img: image.NewRGBA(t.base.Rect)}
	}
	defer t.pool.Put(s)
	if err := t.renderInto(s.img, f); err != nil {
		return nil, err
	}
	var err error
	switch format {
	case JPEG:
		s.out, err = t.appendRenderJPEG(s.out[:0], s.img, o.Quality())
	case PNG:
		w := appender(s.out[:0])
		err = t.encodeRenderPNG(&w, s.img)
		s.out = w
	default:
		w := appender(s.out[:0])
		err = Encode(&w, s.img, format, o)
		s.out = w
	}
	if err != nil {
		return nil, err
	}
	out := make([]byte, len(s.out))
	copy(out, s.out)
	return out, nil
}

// scratch is what one render works in and a pool hands to the next: the
// canvas, and the encoded file before it is copied out.
type scratch struct {
	img *image.RGBA
	out []byte
}

// Prepare does now the one-off work that the first PNG and JPEG render of t
// with options o would otherwise pay for (~15–25 ms each for og): the rows
// that no personal text touches are compressed once and kept. Calling it is
// optional; a server calls it at start-up so no visitor waits for it.
func (t *Template) Prepare(o EncodeOptions) error {
	for _, f := range []Format{PNG, JPEG} {
		if _, err := RenderBytes(t, Fields{Name: "Prepare"}, f, o); err != nil {
			return err
		}
	}
	return nil
}
