package card

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"strings"
	"sync"

	gofont "github.com/go-text/typesetting/font"
	ot "github.com/go-text/typesetting/font/opentype"
	"github.com/go-text/typesetting/language"
)

// Font is one font file (TrueType, OpenType/CFF, or one face of a
// collection), parsed with go-text/typesetting. A Font is safe for
// concurrent use. It is either parsed at once (ParseFont, the campaign's
// own fonts) or on first use (NewLazyFont, the fallback chain), so a
// campaign that never draws a Chinese name never pays for the CJK font.
type Font struct {
	name    string
	version string // name@hash, part of every template version using it
	data    []byte // the file, for pages set in the card's type (ParseFont only)

	// scripts, when set, are the only scripts the font is tried for; a lazy
	// font is not even loaded for text in other scripts.
	scripts []language.Script
	// emoji marks the colour emoji font: tried first for emoji sequences.
	emoji bool
	index int // face of a collection

	load    func() (*gofont.Font, error)
	once    sync.Once
	ft      *gofont.Font
	loadErr error
	// upem, ascent and descent are set once loaded; ascent and descent in em.
	upem            float64
	ascent, descent float64

	glyphs glyphCache
}

// FontOptions describe how a fallback font is used.
type FontOptions struct {
	// Scripts restricts the font to text in these scripts (ISO 15924 names
	// as go-text spells them, e.g. language.Arabic); empty means any.
	Scripts []language.Script
	// Emoji marks a colour emoji font: emoji sequences are drawn from it
	// before any other font is tried.
	Emoji bool
	// Index selects the face of a font collection (.ttc).
	Index int
}

// ParseFont parses a TrueType or OpenType font. The name is used in logs and
// error messages; the content hash becomes part of every template version
// that uses the font.
func ParseFont(name string, data []byte) (*Font, error) {
	sum := sha256.Sum256(data)
	f := &Font{name: name, version: name + "@" + hex.EncodeToString(sum[:8]), data: data}
	f.load = func() (*gofont.Font, error) { return parseFace(bytes.NewReader(data), 0) }
	if err := f.ensure(); err != nil {
		return nil, err
	}
	return f, nil
}

// ParseScriptFont parses a font a campaign names for some scripts only,
// given as ISO 15924 codes ("Arab", "Hebr", "Hani", "Deva"…): it is tried
// for text in those scripts before the shipped chain's font for them (a
// serif Arabic next to EB Garamond, say), and never for other text.
func ParseScriptFont(name string, data []byte, scripts []string) (*Font, error) {
	if len(scripts) == 0 {
		return nil, fmt.Errorf("font %s: name at least one script", name)
	}
	known := map[language.Script]bool{}
	for _, r := range language.ScriptRanges {
		known[r.Script] = true
	}
	var ss []language.Script
	for _, code := range scripts {
		sc, err := language.ParseScript(code)
		if err != nil || len(code) != 4 || !known[sc] {
			return nil, fmt.Errorf("font %s: unknown script %q (use an ISO 15924 code such as Arab, Hebr, Hani, Deva)", name, code)
		}
		ss = append(ss, sc)
	}
	f, err := ParseFont(name, data)
	if err != nil {
		return nil, err
	}
	f.scripts = ss
	f.version += fmt.Sprint(scripts)
	return f, nil
}

// NewLazyFont returns a font that is read and parsed the first time text
// needs it. version must change when the file does (a size or a hash
// published with the file); it becomes part of the template versions. A
// font that fails to load is reported once, by Err, and draws nothing.
//
// open may return a file that can seek and read at offsets (an embedded
// file or an os.File can): then only the tables the font uses are read,
// not the whole file.
func NewLazyFont(name, version string, open func() (io.ReadCloser, error), o FontOptions) *Font {
	f := &Font{name: name, version: name + "@" + version, scripts: o.Scripts, emoji: o.Emoji, index: o.Index}
	f.load = func() (*gofont.Font, error) {
		rc, err := open()
		if err != nil {
			return nil, err
		}
		defer rc.Close()
		if r, ok := rc.(gofont.Resource); ok {
			return parseFace(r, o.Index)
		}
		data, err := io.ReadAll(rc)
		if err != nil {
			return nil, err
		}
		return parseFace(bytes.NewReader(data), o.Index)
	}
	return f
}

// parseFace parses face index of a font file or collection, and only that
// face: parsing all ten faces of the CJK collection to keep one took
// 200 MB for a moment.
func parseFace(r gofont.Resource, index int) (*gofont.Font, error) {
	lds, err := ot.NewLoaders(r)
	if err != nil {
		return nil, err
	}
	if index < 0 || index >= len(lds) {
		return nil, fmt.Errorf("face %d of %d", index, len(lds))
	}
	return gofont.NewFont(lds[index])
}

// ensure loads the font once; it reports why it could not.
func (f *Font) ensure() error {
	f.once.Do(func() {
		ft, err := f.load()
		f.load = nil // the closure may hold the file's bytes
		if err != nil {
			f.loadErr = fmt.Errorf("parse font %s: %w", f.name, err)
			return
		}
		face := gofont.NewFace(ft)
		ext, _ := face.FontHExtents()
		upem := float64(ft.Upem())
		if upem <= 0 {
			f.loadErr = fmt.Errorf("parse font %s: units per em is %g", f.name, upem)
			return
		}
		f.ft, f.upem = ft, upem
		f.ascent, f.descent = float64(ext.Ascender)/upem, -float64(ext.Descender)/upem
		if f.ascent <= 0 || f.ascent+f.descent <= 0 {
			f.ft, f.loadErr = nil, fmt.Errorf("parse font %s: unusable vertical metrics", f.name)
		}
	})
	return f.loadErr
}

// Err reports why the font could not be loaded, after its first use.
func (f *Font) Err() error { return f.loadErr }

// Name is the name the font was parsed under (usually its path).
func (f *Font) Name() string { return f.name }

// String identifies the font by name and content, so a template version
// changes when the font file does.
func (f *Font) String() string { return f.version }

// Has reports whether the font has a glyph for r. A lazy font is loaded.
func (f *Font) Has(r rune) bool {
	if f.ensure() != nil {
		return false
	}
	_, ok := f.ft.NominalGlyph(r)
	return ok
}

// serves reports whether the font is meant for text in script s, without
// loading it.
func (f *Font) serves(s language.Script) bool {
	if len(f.scripts) == 0 {
		return true
	}
	for _, x := range f.scripts {
		if x == s {
			return true
		}
	}
	return false
}

// File is the font file a Font was parsed from (nil for the shipped
// fallback fonts), and a short hash of it for versioned URLs.
func (f *Font) File() (data []byte, hash string) {
	if f.data == nil {
		return nil, ""
	}
	_, h, _ := strings.Cut(f.version, "@")
	return f.data, h
}
