package studio

import (
	"testing"
	"unicode/utf8"

	"github.com/sharecard/sharecard/internal/invite"
)

// Every stress name must be one minting accepts, and the longest must be
// exactly as long as minting allows, or the studio tests something no
// invitee can be.
func TestStressNamesAreNamesMintingAccepts(t *testing.T) {
	for _, n := range stressNames("Mette Kristensen") {
		got, err := invite.NormalizeName(n.Name)
		if err != nil {
			t.Errorf("%s (%q): minting refuses it: %v", n.Why, n.Name, err)
			continue
		}
		if got != n.Name {
			t.Errorf("%s: normalises to %q, not %q", n.Why, got, n.Name)
		}
	}
	if n := utf8.RuneCountInString(longestName); n != invite.MaxNameChars {
		t.Errorf("the longest name has %d characters, minting allows %d", n, invite.MaxNameChars)
	}
	if _, err := invite.NormalizeName(longestName + "x"); err == nil {
		t.Error("one character more than the longest name is accepted; the longest is not the longest")
	}
}
