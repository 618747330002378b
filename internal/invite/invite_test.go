package invite

import (
	"bytes"
	"encoding/base64"
	"errors"
	"reflect"
	"strings"
	"testing"
)

var (
	keyA = []byte("0123456789abcdef0123456789abcdef")
	keyB = []byte("fedcba9876543210fedcba9876543210")
)

func mustSigner(t testing.TB, keys ...[]byte) *Signer {
	t.Helper()
	s, err := NewSigner(keys)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// mustEncode is s.Encode for an invitation the test knows to be valid: an
// error fails the test, so no check can pass on two empty tokens.
func mustEncode(t testing.TB, s *Signer, inv Invitation) string {
	t.Helper()
	tok, err := s.Encode(inv)
	if err != nil {
		t.Fatalf("Encode(%+v): %v", inv, err)
	}
	return tok
}

func TestEncodeDecode(t *testing.T) {
	tests := []struct {
		name string
		inv  Invitation
	}{
		{"a full invitation comes back unchanged", Invitation{Campaign: "ligestilling", Name: "Lars Hansen", Title: "Adm. direktør", Org: "Mærsk A/S"}},
		{"a name alone comes back with empty title and org", Invitation{Campaign: "ligestilling", Name: "Åse Ø"}},
		{"a variant subset is kept in order", Invitation{Campaign: "c", Variants: []string{"og", "story"}, Name: "Bo"}},
		{"a long name with non-Latin letters survives", Invitation{Campaign: "c", Name: strings.Repeat("Ж", 80)}},
	}
	s := mustSigner(t, keyA)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tok, err := s.Encode(tt.inv)
			if err != nil {
				t.Fatal(err)
			}
			if strings.ContainsAny(tok, "+/=") {
				t.Errorf("token %q is not base64url without padding", tok)
			}
			got, err := s.Decode(tok)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.inv) {
				t.Errorf("got %+v, want %+v", got, tt.inv)
			}
		})
	}
}

func TestTokenIsCompact(t *testing.T) {
	s := mustSigner(t, keyA)
	tok, err := s.Encode(Invitation{Campaign: "ligestilling", Name: "Lars Hansen", Title: "Adm. direktør", Org: "Novo Nordisk"})
	if err != nil {
		t.Fatal(err)
	}
	if len(tok) > 100 {
		t.Errorf("token is %d characters, want at most 100: %s", len(tok), tok)
	}
}

func TestEncodeIsDeterministic(t *testing.T) {
	s := mustSigner(t, keyA)
	inv := Invitation{Campaign: "c", Name: "Lars"}
	a := mustEncode(t, s, inv)
	b := mustEncode(t, s, inv)
	if a != b {
		t.Errorf("the same invitation gave two tokens: %s and %s", a, b)
	}
	if got, err := s.Decode(a); err != nil || !reflect.DeepEqual(got, inv) {
		t.Errorf("the token decodes to %+v, %v; want %+v", got, err, inv)
	}
}

func TestKeyRotation(t *testing.T) {
	inv := Invitation{Campaign: "c", Name: "Lars"}
	oldTok := mustEncode(t, mustSigner(t, keyA), inv)
	rotated := mustSigner(t, keyB, keyA)

	if _, err := rotated.Decode(oldTok); err != nil {
		t.Errorf("a token signed with the old key no longer verifies after rotation: %v", err)
	}
	newTok := mustEncode(t, rotated, inv)
	if newTok == oldTok {
		t.Error("after rotation new tokens are still signed with the old key")
	}
	if _, err := mustSigner(t, keyA).Decode(newTok); !errors.Is(err, ErrInvalidToken) {
		t.Errorf("a signer without the new key accepted its token: %v", err)
	}
	if _, err := mustSigner(t, keyB).Decode(oldTok); !errors.Is(err, ErrInvalidToken) {
		t.Errorf("a retired key still verifies: %v", err)
	}
}

func TestDecodeRefusesBadTokens(t *testing.T) {
	s := mustSigner(t, keyA)
	good := mustEncode(t, s, Invitation{Campaign: "ligestilling", Name: "Lars Hansen"})
	raw, err := base64.RawURLEncoding.DecodeString(good)
	if err != nil {
		t.Fatal(err)
	}
	flip := func(i int) string {
		b := bytes.Clone(raw)
		b[i] ^= 1
		return base64.RawURLEncoding.EncodeToString(b)
	}
	tests := []struct {
		name  string
		token string
	}{
		{"an empty token", ""},
		{"a truncated token", good[:len(good)-3]},
		{"a token cut in half", good[:len(good)/2]},
		{"a token with one more character", good + "A"},
		{"a token with a flipped name byte", flip(8)},
		{"a token with a flipped MAC byte", flip(len(raw) - 1)},
		{"a token with a flipped version", flip(0)},
		{"a token with a flipped key id", flip(1)},
		{"a token with padding", good + "=="},
		{"a token in standard base64", strings.NewReplacer("-", "+", "_", "/").Replace(good) + "+/"},
		{"garbage", "../../etc/passwd"},
		{"a huge token", strings.Repeat("A", MaxTokenLength+1)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := s.Decode(tt.token); !errors.Is(err, ErrInvalidToken) {
				t.Errorf("Decode(%q) = %v, want ErrInvalidToken", tt.token, err)
			}
		})
	}
}

func TestNewSignerRefusesShortKeys(t *testing.T) {
	if _, err := NewSigner([][]byte{[]byte("short")}); err == nil {
		t.Error("a 5-byte key was accepted")
	}
	if _, err := NewSigner(nil); err == nil {
		t.Error("no keys were accepted")
	}
}

func TestEncodeRefusesUnknownVariant(t *testing.T) {
	_, err := mustSigner(t, keyA).Encode(Invitation{Campaign: "c", Name: "x", Variants: []string{"banner"}})
	var fe *FieldError
	if !errors.As(err, &fe) || fe.Field != "variants" {
		t.Errorf("got %v, want a FieldError for variants", err)
	}
}

func TestFingerprintIgnoresTheKey(t *testing.T) {
	inv := Invitation{Campaign: "c", Name: "Lars"}
	a := mustEncode(t, mustSigner(t, keyA), inv)
	b := mustEncode(t, mustSigner(t, keyB), inv)
	ia, err := mustSigner(t, keyA).Decode(a)
	if err != nil {
		t.Fatal(err)
	}
	ib, err := mustSigner(t, keyB).Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	if ia.Fingerprint() != ib.Fingerprint() {
		t.Error("the same invitation signed by two keys has two fingerprints")
	}
	if ia.Fingerprint() == (Invitation{Campaign: "c", Name: "Lars2"}).Fingerprint() {
		t.Error("two invitations share a fingerprint")
	}
}

func TestOfferedVariants(t *testing.T) {
	if got := (Invitation{}).OfferedVariants(); !reflect.DeepEqual(got, Variants) {
		t.Errorf("an empty set offers %v, want every variant", got)
	}
	if got := (Invitation{Variants: []string{"story", "og"}}).OfferedVariants(); !reflect.DeepEqual(got, []string{"og", "story"}) {
		t.Errorf("got %v", got)
	}
}

func FuzzDecode(f *testing.F) {
	s := mustSigner(f, keyA)
	good := mustEncode(f, s, Invitation{Campaign: "ligestilling", Name: "Lars Hansen", Title: "CEO", Org: "X"})
	f.Add(good)
	f.Add("")
	f.Add("AQ")
	f.Add(good[:20])
	f.Fuzz(func(t *testing.T, tok string) {
		inv, err := s.Decode(tok)
		if err != nil {
			if !errors.Is(err, ErrInvalidToken) {
				t.Fatalf("Decode(%q) failed with %v, not ErrInvalidToken", tok, err)
			}
			return
		}
		// Whatever verifies must re-encode to the same token.
		again, err := s.Encode(inv)
		if err != nil || again != tok {
			t.Fatalf("Decode(%q) = %+v, which re-encodes to %q (%v)", tok, inv, again, err)
		}
	})
}

func BenchmarkDecode(b *testing.B) {
	s := mustSigner(b, keyA)
	tok := mustEncode(b, s, Invitation{Campaign: "ligestilling", Name: "Lars Hansen", Title: "Adm. direktør", Org: "Novo Nordisk"})
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.Decode(tok); err != nil {
			b.Fatal(err)
		}
	}
}

func TestTheLongestValidInvitationDecodes(t *testing.T) {
	s := mustSigner(t, keyA)
	inv, err := Normalize(Invitation{
		Campaign: strings.Repeat("c", MaxCampaignLength),
		Name:     strings.Repeat("𠀀", MaxNameBytes/4),
		Title:    strings.Repeat("ア", MaxExtraChars),
		Org:      strings.Repeat("ア", MaxExtraChars),
	})
	if err != nil {
		t.Fatal(err)
	}
	tok, err := s.Encode(inv)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Decode(tok); err != nil {
		t.Errorf("a %d-character token of valid fields does not decode: %v", len(tok), err)
	}
}

func TestFingerprintIgnoresTheVariantSet(t *testing.T) {
	base := Invitation{Campaign: "c", Name: "Lars", Title: "CEO"}
	tests := []struct {
		name     string
		variants []string
	}{
		{"all four listed equals none listed", []string{"og", "square", "portrait", "story"}},
		{"a subset is the same invitation", []string{"og"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			inv := base
			inv.Variants = tt.variants
			if inv.Fingerprint() != base.Fingerprint() {
				t.Error("the same person's card has two fingerprints")
			}
		})
	}
	other := base
	other.Title = "CFO"
	if other.Fingerprint() == base.Fingerprint() {
		t.Error("a different title shares the fingerprint")
	}
}
