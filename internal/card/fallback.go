package card

import (
	"fmt"
	"io"
	"io/fs"

	"github.com/go-text/typesetting/language"
)

// NotoDir is where the shipped fallback fonts live in the assets file system.
const NotoDir = "fonts/noto"

// notoFonts is the fallback chain sharecard ships: for each script a
// campaign's fonts may lack, one Noto font, and Noto Color Emoji. Each is
// read and parsed the first time a text needs it, so a campaign that only
// ever draws Danish names never loads the 19 MB CJK collection.
var notoFonts = []struct {
	file    string
	index   int // face of a collection
	emoji   bool
	scripts []language.Script
}{
	{file: "NotoColorEmoji.ttf", emoji: true},
	{file: "NotoSans-Regular.ttf", scripts: []language.Script{language.Latin, language.Greek, language.Cyrillic, language.Common, language.Inherited}},
	// Naskh is the book hand of Arabic, Persian and Urdu and sits well next
	// to a serif; its Arabic block covers the Persian and Urdu letters.
	{file: "NotoNaskhArabic-Regular.ttf", scripts: []language.Script{language.Arabic}},
	{file: "NotoSansHebrew-Regular.ttf", scripts: []language.Script{language.Hebrew}},
	{file: "NotoSansDevanagari-Regular.ttf", scripts: []language.Script{language.Devanagari}},
	{file: "NotoSansBengali-Regular.ttf", scripts: []language.Script{language.Bengali}},
	{file: "NotoSansTamil-Regular.ttf", scripts: []language.Script{language.Tamil}},
	{file: "NotoSansThai-Regular.ttf", scripts: []language.Script{language.Thai}},
	{file: "NotoSansGeorgian-Regular.ttf", scripts: []language.Script{language.Georgian}},
	{file: "NotoSansArmenian-Regular.ttf", scripts: []language.Script{language.Armenian}},
	{file: "NotoSansEthiopic-Regular.ttf", scripts: []language.Script{language.Ethiopic}},
	// One face of the collection serves Chinese, Japanese and Korean: the
	// regional glyph forms come from its locl feature, chosen by the
	// language the layout detects (kana: Japanese, hangul: Korean). Face 2
	// is Simplified Chinese, the default for Han text without kana.
	{file: "NotoSansCJK-Regular.ttc", index: 2, scripts: []language.Script{language.Han, language.Hiragana, language.Katakana, language.Hangul, language.Bopomofo}},
}

// NotoFallback returns the shipped fallback chain, read lazily from fsys
// (the fonts under NotoDir). The fonts' versions are their file sizes,
// read now, so a template version changes when a font file is replaced.
func NotoFallback(fsys fs.FS) ([]*Font, error) {
	out := make([]*Font, 0, len(notoFonts))
	for _, nf := range notoFonts {
		p := NotoDir + "/" + nf.file
		st, err := fs.Stat(fsys, p)
		if err != nil {
			return nil, fmt.Errorf("fallback font: %w", err)
		}
		out = append(out, NewLazyFont(p, fmt.Sprintf("%d", st.Size()), func() (io.ReadCloser, error) { return fsys.Open(p) },
			FontOptions{Scripts: nf.scripts, Emoji: nf.emoji, Index: nf.index}))
	}
	return out, nil
}
