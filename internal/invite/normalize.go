package invite

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
	"golang.org/x/text/unicode/runenames"
)

// Limits on the invitee's fields, counted after NFC normalisation. A name
// is measured in characters (what fits on the card) and in bytes (what fits
// in a link); the byte bound only bites for scripts outside Latin.
const (
	MaxNameChars  = 80
	MaxNameBytes  = 240
	MaxExtraChars = 100 // title and organisation
	MaxExtraBytes = 300
	// maxMarkRun bounds consecutive combining marks: real names need a few
	// (Vietnamese stacks two), "Zalgo" text stacks dozens to overdraw the card.
	maxMarkRun = 3
	// MaxCampaignLength bounds a campaign id.
	MaxCampaignLength = 64
)

// Which characters a field accepts beyond letters (of any script),
// combining marks and single spaces:
//
//	name:          - ' ’ .            (Anne-Marie O’Brien Jr.)
//	title and org: - ' ’ . digits & , ( ) / + :   (Adm. direktør, A.P. Møller - Mærsk A/S)
//	               and emoji (👩‍💼, 👍🏽, 🇩🇰, 1️⃣)
//
// The zero-width non-joiner and joiner are accepted between two letters of
// a script that uses them (Persian حسین‌زاده, Devanagari and the other
// Indic scripts' conjunct control), and the joiner inside an emoji
// sequence where emoji are allowed. Everything else is refused with the
// character shown and named, in particular control characters, bidi
// overrides and isolates, other zero-width characters, and the angle
// brackets, quotes and equals signs markup is made of.
const (
	namePunct  = "-'’."
	extraPunct = "-'’.&,()/+:"
)

// Rules are what a campaign decides about its fields beyond the defaults.
type Rules struct {
	// EmojiInNames lets names contain emoji, as titles and organisations
	// always may. Off by default: a name is a name.
	EmojiInNames bool
}

// Normalize validates and NFC-normalizes an invitation's fields with the
// default Rules, returning a *FieldError when one is unacceptable. Leading
// and trailing spaces are trimmed and runs of spaces collapse to one; the
// name is required, title and organisation are optional. Variants must be
// known.
func Normalize(inv Invitation) (Invitation, error) { return NormalizeWith(inv, Rules{}) }

// NormalizeWith is Normalize with a campaign's Rules.
func NormalizeWith(inv Invitation, r Rules) (Invitation, error) {
	out := inv
	if err := validCampaign(inv.Campaign); err != nil {
		return Invitation{}, err
	}
	for _, v := range inv.Variants {
		if !containsString(Variants, v) {
			return Invitation{}, &FieldError{Field: "variants", Reason: fmt.Sprintf("unknown variant %q (known: og, square, portrait, story)", v)}
		}
	}
	var err error
	if out.Name, err = normalizeField("name", inv.Name, true, MaxNameChars, MaxNameBytes, namePunct, false, r.EmojiInNames); err != nil {
		return Invitation{}, err
	}
	if out.Title, err = normalizeField("title", inv.Title, false, MaxExtraChars, MaxExtraBytes, extraPunct, true, true); err != nil {
		return Invitation{}, err
	}
	if out.Org, err = normalizeField("org", inv.Org, false, MaxExtraChars, MaxExtraBytes, extraPunct, true, true); err != nil {
		return Invitation{}, err
	}
	return out, nil
}

// NormalizeName validates and normalises a single name as Normalize does.
func NormalizeName(s string) (string, error) {
	return normalizeField("name", s, true, MaxNameChars, MaxNameBytes, namePunct, false, false)
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func validCampaign(id string) error {
	if id == "" {
		return &FieldError{Field: "campaign", Reason: "is required"}
	}
	if len(id) > MaxCampaignLength {
		return &FieldError{Field: "campaign", Reason: fmt.Sprintf("is longer than %d characters", MaxCampaignLength)}
	}
	for _, r := range id {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return &FieldError{Field: "campaign", Reason: "may only contain a-z, 0-9, - and _"}
		}
	}
	return nil
}

func normalizeField(field, s string, required bool, maxChars, maxBytes int, punct string, digits, emoji bool) (string, error) {
	// Bound the work before normalising: NFC of a huge string is wasted
	// effort when it is refused anyway (NFC can at most triple a string).
	if len(s) > 4*maxBytes {
		return "", &FieldError{Field: field, Code: TooLong, Limit: maxChars, Reason: fmt.Sprintf("is too long (at most %d characters)", maxChars)}
	}
	if !utf8.ValidString(s) {
		return "", &FieldError{Field: field, Code: Invisible, Reason: "is not valid UTF-8"}
	}
	// Refuse invisible and control characters before anything else, so the
	// answer names the real problem rather than "not allowed".
	rs := []rune(s)
	for i, r := range rs {
		if reason := invisible(r); reason != "" && !joinerAllowed(rs, i, emoji) {
			return "", &FieldError{Field: field, Code: Invisible, Char: r, Reason: fmt.Sprintf("contains %s, %s", charName(r), reason)}
		}
	}
	s = norm.NFC.String(s)
	s = strings.Join(strings.FieldsFunc(s, func(r rune) bool { return r == ' ' }), " ")
	if s == "" {
		if required {
			return "", &FieldError{Field: field, Code: Required, Reason: "is required"}
		}
		return "", nil
	}
	if n := utf8.RuneCountInString(s); n > maxChars {
		return "", &FieldError{Field: field, Code: TooLong, Limit: maxChars, Reason: fmt.Sprintf("is too long: %d characters, at most %d", n, maxChars)}
	}
	if len(s) > maxBytes {
		return "", &FieldError{Field: field, Code: TooLong, Limit: maxChars, Reason: fmt.Sprintf("is too long: %d bytes in UTF-8, at most %d", len(s), maxBytes)}
	}
	marks, letters := 0, 0
	for i, r := range s {
		switch {
		case unicode.IsLetter(r):
			letters++
			marks = 0
		case unicode.Is(unicode.M, r):
			if i == 0 {
				return "", &FieldError{Field: field, Code: Marks, Reason: fmt.Sprintf("must not begin with a combining mark (%s)", charName(r))}
			}
			marks++
			if marks > maxMarkRun {
				return "", &FieldError{Field: field, Code: Marks, Reason: fmt.Sprintf("has more than %d combining marks on one letter", maxMarkRun)}
			}
		case r == zwnj || r == zwj || isTag(r):
			// Checked in context above.
		case r == ' ' || strings.ContainsRune(punct, r) || digits && unicode.IsDigit(r):
			marks = 0
		case isEmoji(r):
			if !emoji {
				return "", &FieldError{Field: field, Code: NotAllowed, Char: r, Reason: fmt.Sprintf("contains %s: emoji are not allowed in a %s", charName(r), field)}
			}
			marks = 0
		default:
			return "", &FieldError{Field: field, Code: NotAllowed, Char: r, Reason: fmt.Sprintf("contains %s, which is not allowed (allowed: letters, spaces and %s)", charName(r), describe(punct, digits, emoji))}
		}
	}
	if letters == 0 {
		return "", &FieldError{Field: field, Code: NoLetter, Reason: "must contain at least one letter"}
	}
	return s, nil
}

// The joiners, and the tag characters that spell a subdivision flag
// (🏴 + tags + cancel tag: the flag of Scotland).
const (
	zwnj      = '\u200C'
	zwj       = '\u200D'
	blackFlag = 0x1F3F4
)

func isTag(r rune) bool { return r >= 0xE0020 && r <= 0xE007F }

// joinerScripts use ZWNJ and ZWJ inside words: Arabic-script joining
// (Persian and Urdu write ZWNJ in names), and conjunct control in the
// Indic scripts.
var joinerScripts = []*unicode.RangeTable{
	unicode.Arabic, unicode.Syriac, unicode.Nko, unicode.Mongolian,
	unicode.Devanagari, unicode.Bengali, unicode.Gurmukhi, unicode.Gujarati, unicode.Oriya,
	unicode.Tamil, unicode.Telugu, unicode.Kannada, unicode.Malayalam, unicode.Sinhala,
	unicode.Khmer, unicode.Myanmar,
}

// joinerAllowed reports whether rs[i], an invisible character, is one a
// script needs where it stands: ZWNJ or ZWJ between two letters (the first
// perhaps with marks) of one joining or Indic script; with emoji, ZWJ
// between two emoji and tag characters after 🏴.
func joinerAllowed(rs []rune, i int, emoji bool) bool {
	r := rs[i]
	if isTag(r) {
		if !emoji {
			return false
		}
		j := i - 1
		for j >= 0 && isTag(rs[j]) {
			j--
		}
		return j >= 0 && rs[j] == blackFlag
	}
	if r != zwnj && r != zwj || i == 0 || i+1 == len(rs) {
		return false
	}
	prev, next := rs[i-1], rs[i+1]
	if r == zwj && emoji && (isEmoji(prev) || prev == 0xFE0F) && isEmoji(next) {
		return true
	}
	j := i - 1
	for j > 0 && unicode.Is(unicode.M, rs[j]) {
		j--
	}
	prev = rs[j]
	if !unicode.IsLetter(prev) || !unicode.IsLetter(next) {
		return false
	}
	for _, t := range joinerScripts {
		if unicode.Is(t, prev) && unicode.Is(t, next) {
			return true
		}
	}
	return false
}

// isEmoji reports the characters emoji are made of: pictographs and other
// symbols, skin-tone modifiers, regional indicators (flags). The joiners,
// variation selectors and keycap mark between them are marks or checked
// in context.
func isEmoji(r rune) bool {
	return unicode.Is(unicode.So, r) || r >= 0x1F3FB && r <= 0x1F3FF
}

// charName shows a character as a person would see it, with its Unicode
// name: "<" (LESS-THAN SIGN, U+003C); an invisible one by its name alone.
func charName(r rune) string {
	name := runenames.Name(r)
	if name == "" || strings.HasPrefix(name, "<") {
		name = "an unnamed character"
	}
	if unicode.IsGraphic(r) && !unicode.Is(unicode.M, r) && !unicode.IsSpace(r) {
		return fmt.Sprintf("“%s” (%s, U+%04X)", string(r), name, r)
	}
	return fmt.Sprintf("%s (U+%04X)", name, r)
}

func describe(punct string, digits, emoji bool) string {
	var parts []string
	if digits {
		parts = append(parts, "digits")
	}
	if emoji {
		parts = append(parts, "emoji")
	}
	for _, r := range punct {
		parts = append(parts, string(r))
	}
	return strings.Join(parts, " ")
}

// invisible names characters that change how text looks or reads without
// being seen: controls, bidi embeddings/overrides/isolates/marks, zero-width
// characters and other format characters, and private-use or unassigned code
// points. It returns "" for anything else.
func invisible(r rune) string {
	switch {
	case r == '\n' || r == '\r':
		return "a line break (a field is one line)"
	case r == '\t':
		return "a tab (use a space)"
	case unicode.IsControl(r):
		return "a control character"
	case r >= 0x202A && r <= 0x202E || r >= 0x2066 && r <= 0x2069 || r == 0x200E || r == 0x200F || r == 0x061C:
		return "a bidirectional override"
	case r >= 0x200B && r <= 0x200D || r == 0x2060 || r == 0xFEFF || r == 0x180E:
		return "a zero-width character"
	case r == 0x115F || r == 0x1160 || r == 0x3164 || r == 0xFFA0 || r == 0x2800:
		// Hangul fillers and the blank Braille pattern are classed as
		// letters or symbols but draw nothing: a name could hide in them.
		return "an invisible filler character"
	case unicode.Is(unicode.Cf, r):
		return "an invisible formatting character"
	case unicode.Is(unicode.Co, r) || unicode.Is(unicode.Cs, r):
		return "a private-use character"
	case r == utf8.RuneError:
		return "an invalid character"
	}
	return ""
}

// UndrawableError refuses a field holding characters that none of the
// campaign's fonts, nor the fallback chain, can draw: a card with a hole
// where a letter should be is worse than no card.
func UndrawableError(field string, chars []rune) *FieldError {
	names := make([]string, len(chars))
	for i, r := range chars {
		names[i] = charName(r)
	}
	return &FieldError{Field: field, Code: Undrawable, Char: chars[0], Chars: chars,
		Reason: "contains " + strings.Join(names, ", ") + ", which no font of this campaign can draw"}
}
