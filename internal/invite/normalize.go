package invite

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
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

// Which characters a field accepts beyond letters, combining marks and single
// spaces:
//
//	name:          - ' ’ .            (Anne-Marie O’Brien Jr.)
//	title and org: - ' ’ . digits & , ( ) / + :   (Adm. direktør, A.P. Møller - Mærsk A/S)
//
// Everything else is refused with the character named, in particular
// control characters, bidi overrides and isolates, zero-width characters,
// and the angle brackets, quotes and equals signs markup is made of.
const (
	namePunct  = "-'’."
	extraPunct = "-'’.&,()/+:"
)

// Normalize validates and NFC-normalizes an invitation's fields, returning a
// *FieldError when one is unacceptable. Leading and trailing spaces are
// trimmed and runs of spaces collapse to one; the name is required, title and
// organisation are optional. Variants must be known.
func Normalize(inv Invitation) (Invitation, error) {
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
	if out.Name, err = normalizeField("name", inv.Name, true, MaxNameChars, MaxNameBytes, namePunct, false); err != nil {
		return Invitation{}, err
	}
	if out.Title, err = normalizeField("title", inv.Title, false, MaxExtraChars, MaxExtraBytes, extraPunct, true); err != nil {
		return Invitation{}, err
	}
	if out.Org, err = normalizeField("org", inv.Org, false, MaxExtraChars, MaxExtraBytes, extraPunct, true); err != nil {
		return Invitation{}, err
	}
	return out, nil
}

// NormalizeName validates and normalises a single name as Normalize does.
func NormalizeName(s string) (string, error) {
	return normalizeField("name", s, true, MaxNameChars, MaxNameBytes, namePunct, false)
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

func normalizeField(field, s string, required bool, maxChars, maxBytes int, punct string, digits bool) (string, error) {
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
	for _, r := range s {
		if reason := invisible(r); reason != "" {
			return "", &FieldError{Field: field, Code: Invisible, Char: r, Reason: fmt.Sprintf("contains %s (U+%04X)", reason, r)}
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
				return "", &FieldError{Field: field, Code: Marks, Reason: "must not begin with a combining mark"}
			}
			marks++
			if marks > maxMarkRun {
				return "", &FieldError{Field: field, Code: Marks, Reason: fmt.Sprintf("has more than %d combining marks on one letter", maxMarkRun)}
			}
		case r == ' ' || strings.ContainsRune(punct, r) || digits && unicode.IsDigit(r):
			marks = 0
		default:
			return "", &FieldError{Field: field, Code: NotAllowed, Char: r, Reason: fmt.Sprintf("contains %q, which is not allowed (allowed: letters, spaces and %s)", r, describe(punct, digits))}
		}
	}
	if letters == 0 {
		return "", &FieldError{Field: field, Code: NoLetter, Reason: "must contain at least one letter"}
	}
	return s, nil
}

func describe(punct string, digits bool) string {
	var parts []string
	if digits {
		parts = append(parts, "digits")
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
