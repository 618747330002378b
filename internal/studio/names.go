package studio

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/sharecard/sharecard/internal/invite"
)

// stressName is a name every draft is previewed with, and why.
type stressName struct {
	Name, Why string
}

// longestName is a name of exactly invite.MaxNameChars characters, the
// longest minting accepts: a long given name, a double surname and a
// nobiliary particle, as real registers hold them.
var longestName = func() string {
	s := "Maria-Magdalena Charlotte Østergaard-Kjærsgaard von Schleswig-Holstein-Sønderborg"
	r := []rune(s)[:invite.MaxNameChars]
	return strings.TrimRight(string(r), " -")
}()

// stressNames are the names the studio previews every draft with: the
// shortest and longest names minting allows, a hyphenated Danish one,
// stacked diacritics, and the scripts that shape differently (right to
// left, CJK, conjuncts, Greek), which the renderer draws through its Noto
// fallback fonts. The first is the typical invitee the social previews
// use.
func stressNames(typical string) []stressName {
	return []stressName{
		{typical, "Typisk navn (bruges i delingsvisningerne)"},
		{"Å", "Korteste tilladte navn: 1 tegn"},
		{longestName, "Længste tilladte navn: " + strconv.Itoa(utf8.RuneCountInString(longestName)) + " tegn"},
		{"Anne-Sofie Østergaard-Kjærsgaard", "Dansk dobbeltnavn med bindestreger"},
		{"Nguyễn Thị Ánh Tuyết", "Vietnamesisk: stablede accenter"},
		{"محمد عبد الرحمن الهاشمي", "Arabisk: højre mod venstre"},
		{"欧阳娜娜", "Kinesisk"},
		{"अनुष्का शर्मा", "Devanagari (hindi)"},
		{"Αικατερίνη Παπαδοπούλου", "Græsk"},
	}
}
