package share

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"

	"github.com/sharecard/sharecard/internal/campaign"
	"github.com/sharecard/sharecard/internal/invite"
)

// Filename is the name a downloaded image is saved under, twice: ASCII
// for every client (Content-Disposition's filename=) and in the name's own
// letters for those that read RFC 5987's filename*.
type Filename struct {
	ASCII   string // e.g. "aase-holm-story.png"
	Unicode string // e.g. "åse-holm-story.png"
}

// maxSlug bounds the name part of a file name, in bytes, cut at a hyphen
// where one is near; names are at most 80 characters, so this only
// shortens the longest.
const maxSlug = 60

// DownloadName names a downloaded image after the invitee:
// "lars-hansen-story.png". The ASCII name folds Danish letters the Danish
// way (æ→ae, ø→oe, å→aa), strips other Latin diacritics (é→e, ł→l, ß→ss)
// and turns everything else between letters into one hyphen. A name that
// leaves no Latin letter (Chinese, Arabic, Greek) becomes the campaign id
// and a short id stable for that name ("ligestilling-3f9a2c1d-story.png");
// a name that loses some letters keeps the Latin part and gains the id, so
// two different names never share a file name by accident. Neither name
// is ever empty or holds a path separator, a quote or a control character.
//
// The "I declined" card says so in the campaign's language:
// "lars-hansen-takket-nej-story.png", "lars-hansen-declined-story.png".
func DownloadName(camp *campaign.Campaign, inv invite.Invitation, ref ImageRef) Filename {
	suffix := "-" + ref.File()
	if ref.Kind == Declined {
		suffix = "-" + declinedWord(camp.Lang()) + suffix
	}
	ascii, dropped := asciiSlug(inv.Name)
	switch {
	case ascii == "":
		ascii = camp.ID + "-" + shortID(inv.Name)
	case dropped:
		ascii += "-" + shortID(inv.Name)
	}
	uni := unicodeSlug(inv.Name)
	if uni == "" {
		uni = ascii
	}
	return Filename{ASCII: ascii + suffix, Unicode: uni + suffix}
}

// declinedWord is "declined" in a file name, in ASCII, by language.
func declinedWord(lang string) string {
	if lang == "da" {
		return "takket-nej"
	}
	return "declined"
}

// shortID is 8 hex digits of the name's SHA-256: the same name always
// gets the same file name.
func shortID(name string) string {
	h := sha256.Sum256([]byte(norm.NFC.String(name)))
	return hex.EncodeToString(h[:4])
}

// latinLetters are the Latin letters that no Unicode decomposition takes
// to ASCII, with the spelling a reader of the language would write.
var latinLetters = strings.NewReplacer(
	"æ", "ae", "Æ", "ae", "ø", "oe", "Ø", "oe", "å", "aa", "Å", "aa",
	"ß", "ss", "ẞ", "ss", "œ", "oe", "Œ", "oe", "þ", "th", "Þ", "th",
	"ð", "d", "Ð", "d", "đ", "d", "Đ", "d", "ł", "l", "Ł", "l",
	"ħ", "h", "Ħ", "h", "ı", "i", "ŋ", "ng", "Ŋ", "ng",
)

// stripMarks decomposes (compatibility forms too: ligatures, full-width
// letters) and drops the combining marks: é → e, ñ → n.
var stripMarks = transform.Chain(norm.NFKD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)

// asciiSlug is name folded to lower-case ASCII letters and digits joined
// by single hyphens; dropped reports letters that had no ASCII spelling.
func asciiSlug(name string) (slug string, dropped bool) {
	folded, _, err := transform.String(stripMarks, latinLetters.Replace(norm.NFC.String(name)))
	if err != nil {
		folded = name
	}
	var b strings.Builder
	hyphen := false
	for _, r := range strings.ToLower(folded) {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			if hyphen && b.Len() > 0 {
				b.WriteByte('-')
			}
			hyphen = false
			b.WriteRune(r)
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			dropped = true
			hyphen = true
		default:
			hyphen = true
		}
	}
	return cut(b.String()), dropped
}

// unicodeSlug is name in lower case with its letters, marks and digits as
// they are and anything else between them as one hyphen: "åse-holm",
// "王伟".
func unicodeSlug(name string) string {
	var b strings.Builder
	hyphen := false
	for _, r := range strings.ToLower(norm.NFC.String(name)) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) || (unicode.IsMark(r) && b.Len() > 0 && !hyphen) {
			if hyphen && b.Len() > 0 {
				b.WriteByte('-')
			}
			hyphen = false
			b.WriteRune(r)
			continue
		}
		hyphen = true
	}
	return cut(b.String())
}

// cut shortens s to at most maxSlug bytes, at a hyphen when one is in
// the second half, else at a rune boundary.
func cut(s string) string {
	if len(s) <= maxSlug {
		return s
	}
	for i, r := range s {
		if i+utf8.RuneLen(r) > maxSlug {
			s = s[:i]
			break
		}
	}
	if i := strings.LastIndexByte(s, '-'); i > maxSlug/2 {
		s = s[:i]
	}
	return strings.Trim(s, "-")
}
