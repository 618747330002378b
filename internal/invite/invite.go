// Package invite owns invitation tokens: compact encoding, HMAC signing with
// key ids (rotation), verification, and validation of the invitee's fields.
//
// A token is the whole invitation: nothing is stored server-side, so a link
// cannot be lost, and nobody without a key can put their own text on the
// brand's card. The layout (before base64url, without padding) is
//
//	byte 0      format version (1)
//	byte 1      key id: the first byte of SHA-256(key), so any key verifies
//	byte 2      variant set: a bit per entry of Variants (0 = every variant)
//	uvarint+utf8 campaign, name, title, org (each length-prefixed)
//	16 bytes    HMAC-SHA256(key, domain || all bytes above), truncated
//
// A 128-bit tag is far beyond what an online forger can guess, and keeps a
// typical token near 80 characters so links stay pasteable.
package invite

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"slices"
	"sync"

	"github.com/sharecard/sharecard/internal/variant"
)

// ErrInvalidToken means a token is malformed, truncated, tampered with or
// signed by an unknown key. Callers answer 404.
var ErrInvalidToken = errors.New("invalid invitation token")

// Variants are the card variants a token's variant set can name, in bit
// order: package variant's list, where new variants may only be appended,
// since the bit positions are part of every link already sent.
var Variants = variant.Names()

const (
	formatVersion = 1
	macSize       = 16
	// MaxTokenLength bounds what Decode will look at; a valid token with
	// every field at its maximum is well below it.
	MaxTokenLength = 2048
	minKeyBytes    = 16
)

// macDomain separates invitation MACs from any other use of the same key.
var macDomain = []byte("sharecard/invite/v1\x00")

// Invitation is what a token carries.
type Invitation struct {
	Campaign string
	Variants []string // the variant set the link offers; nil means every variant
	Name     string
	Title    string
	Org      string
}

// HasVariant reports whether the invitation offers variant v.
func (inv Invitation) HasVariant(v string) bool {
	if len(inv.Variants) == 0 {
		return slices.Contains(Variants, v)
	}
	return slices.Contains(inv.Variants, v)
}

// OfferedVariants lists the variants the invitation offers, in the order of
// Variants.
func (inv Invitation) OfferedVariants() []string {
	var out []string
	for _, v := range Variants {
		if inv.HasVariant(v) {
			out = append(out, v)
		}
	}
	return out
}

// Fingerprint identifies the invitation's content independent of the key
// that signed it, so a revocation survives key rotation (re-signing the same
// invitation with a new key gives a new token, not a new invitation). The
// variant set is left out: the same person's card minted with another set
// of sizes (self-service mints all four, the API may list them) is the same
// invitation, and revoking one must take out the other.
func (inv Invitation) Fingerprint() string {
	inv.Variants = nil
	body, err := appendBody(nil, inv)
	if err != nil {
		// Only invitations that cannot be encoded get here; hash the fields
		// directly so the result is still stable.
		body = []byte(inv.Campaign + "\x00" + inv.Name + "\x00" + inv.Title + "\x00" + inv.Org)
	}
	h := sha256.Sum256(body)
	return hex.EncodeToString(h[:16])
}

// FieldError says which field failed validation and why (callers answer 422).
// Reason is English for the API; Code, Char and Limit let a page say the
// same in its own language.
type FieldError struct {
	Field  string
	Reason string
	Code   Problem
	Char   rune   // the offending character (NotAllowed, Invisible; the first of Chars)
	Chars  []rune // every character no font can draw (Undrawable)
	Limit  int    // the length limit in characters (TooLong)
}

// Problem classifies a FieldError.
type Problem int

// The kinds of FieldError; Other covers campaign and variant problems.
const (
	Other      Problem = iota
	Required           // empty
	TooLong            // over Limit characters (or the byte bound)
	NotAllowed         // Char is not allowed in the field
	Invisible          // a control, bidi, zero-width or invalid character
	Marks              // too many combining marks, or a leading one
	NoLetter           // no letter at all
	Undrawable         // Chars cannot be drawn by any of the campaign's fonts
)

func (e *FieldError) Error() string { return e.Field + ": " + e.Reason }

// Signer encodes and verifies tokens. The first key signs; all verify.
type Signer struct {
	keys []*signingKey
}

type signingKey struct {
	id  byte
	key []byte
	// macs holds keyed HMAC states: every image and page request verifies
	// a token, and hmac.New costs two hash blocks and allocations each time.
	macs sync.Pool
}

// sign returns the HMAC-SHA256 of the domain and msg under the key,
// written into out.
func (k *signingKey) sign(msg []byte, out *[sha256.Size]byte) []byte {
	m, _ := k.macs.Get().(hash.Hash)
	if m == nil {
		m = hmac.New(sha256.New, k.key)
	}
	m.Reset()
	m.Write(macDomain)
	m.Write(msg)
	sum := m.Sum(out[:0])
	k.macs.Put(m)
	return sum
}

// KeyID is the id byte a key gets in tokens.
func KeyID(key []byte) byte {
	h := sha256.Sum256(key)
	return h[0]
}

// NewSigner builds a Signer from one or more keys. Each key must have at
// least 16 bytes.
func NewSigner(keys [][]byte) (*Signer, error) {
	if len(keys) == 0 {
		return nil, errors.New("invite: at least one key")
	}
	s := &Signer{}
	for i, k := range keys {
		if len(k) < minKeyBytes {
			return nil, fmt.Errorf("invite: key %d has %d bytes, need at least %d", i+1, len(k), minKeyBytes)
		}
		s.keys = append(s.keys, &signingKey{id: KeyID(k), key: slices.Clone(k)})
	}
	return s, nil
}

// Encode signs inv and returns the URL-safe token. It does not validate the
// fields (see Normalize) but refuses what the format cannot hold.
func (s *Signer) Encode(inv Invitation) (string, error) {
	k := s.keys[0]
	buf := make([]byte, 0, 64+len(inv.Name)+len(inv.Title)+len(inv.Org))
	buf = append(buf, formatVersion, k.id)
	buf, err := appendBody(buf, inv)
	if err != nil {
		return "", err
	}
	var sum [sha256.Size]byte
	buf = append(buf, k.sign(buf, &sum)[:macSize]...)
	return base64.RawURLEncoding.EncodeToString(buf), nil
}

// appendBody appends the variant set and the fields (everything after the
// key id).
func appendBody(buf []byte, inv Invitation) ([]byte, error) {
	var mask byte
	for _, v := range inv.Variants {
		i := slices.Index(Variants, v)
		if i < 0 {
			return nil, &FieldError{Field: "variants", Reason: fmt.Sprintf("unknown variant %q (known: og, square, portrait, story)", v)}
		}
		mask |= 1 << i
	}
	buf = append(buf, mask)
	for _, f := range []string{inv.Campaign, inv.Name, inv.Title, inv.Org} {
		if len(f) > 1000 {
			return nil, errors.New("invite: field too long to encode")
		}
		buf = binary.AppendUvarint(buf, uint64(len(f)))
		buf = append(buf, f...)
	}
	return buf, nil
}

// Decode verifies and decodes a token. Any failure is ErrInvalidToken (with
// the reason wrapped for logs), never a panic.
func (s *Signer) Decode(token string) (Invitation, error) {
	if len(token) == 0 || len(token) > MaxTokenLength {
		return Invitation{}, fmt.Errorf("%w: length %d", ErrInvalidToken, len(token))
	}
	raw, err := base64.RawURLEncoding.Strict().DecodeString(token)
	if err != nil {
		return Invitation{}, fmt.Errorf("%w: not base64url", ErrInvalidToken)
	}
	if len(raw) < 3+4+macSize {
		return Invitation{}, fmt.Errorf("%w: too short", ErrInvalidToken)
	}
	if raw[0] != formatVersion {
		return Invitation{}, fmt.Errorf("%w: unknown format %d", ErrInvalidToken, raw[0])
	}
	msg, tag := raw[:len(raw)-macSize], raw[len(raw)-macSize:]
	ok := false
	var sum [sha256.Size]byte
	for _, k := range s.keys {
		// Ids are one byte, so two keys may share one: try each that matches.
		if k.id == raw[1] && hmac.Equal(k.sign(msg, &sum)[:macSize], tag) {
			ok = true
			break
		}
	}
	if !ok {
		return Invitation{}, fmt.Errorf("%w: bad signature", ErrInvalidToken)
	}
	return parseBody(msg[2:])
}

func parseBody(b []byte) (Invitation, error) {
	var inv Invitation
	mask := b[0]
	if mask>>len(Variants) != 0 {
		return Invitation{}, fmt.Errorf("%w: unknown variant bit", ErrInvalidToken)
	}
	for i, v := range Variants {
		if mask&(1<<i) != 0 {
			inv.Variants = append(inv.Variants, v)
		}
	}
	b = b[1:]
	fields := []*string{&inv.Campaign, &inv.Name, &inv.Title, &inv.Org}
	for _, f := range fields {
		n, w := binary.Uvarint(b)
		if w <= 0 || n > uint64(len(b)-w) {
			return Invitation{}, fmt.Errorf("%w: truncated field", ErrInvalidToken)
		}
		*f = string(b[w : w+int(n)])
		b = b[w+int(n):]
	}
	if len(b) != 0 {
		return Invitation{}, fmt.Errorf("%w: trailing bytes", ErrInvalidToken)
	}
	return inv, nil
}
