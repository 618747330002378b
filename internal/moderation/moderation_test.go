package moderation

import (
	"strings"
	"testing"
)

func compiledDefault(t testing.TB) *List {
	t.Helper()
	l, err := New(Default(), nil)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func TestDefaultListRefuses(t *testing.T) {
	l := compiledDefault(t)
	for _, tc := range []struct{ name, text string }{
		{"a plain word", "fuck"},
		{"a word in capitals", "FUCK"},
		{"a word among others", "Lars Fuck Hansen"},
		{"a word inside another", "Motherfuckers Inc"},
		{"letters spaced out", "f u c k"},
		{"letters with full stops", "f.u.c.k"},
		{"letters with underscores", "f_u_c_k"},
		{"letters with hyphens", "c-u-n-t"},
		{"a stretched letter", "fuuuuck"},
		{"a stretched letter in a whole word", "cuuunt"},
		{"zero for o", "c0cksucker"},
		{"one for i", "sh1t"},
		{"one for l", "s1ut"},
		{"three for e", "wank3r"},
		{"four for a", "b4stard"},
		{"five for s", "a55hole"},
		{"seven for t", "shi7"},
		{"at for a", "@sshole"},
		{"dollar for s", "$lut"},
		{"a Danish word", "Lort"},
		{"a Danish compound", "Lortefirma A/S"},
		{"a Danish word with ø", "røvhul"},
		{"ø written as o", "rovhul"},
		{"æ written as ae", "kaelling"},
		{"a diacritic added", "fück"},
		{"a combining diacritic", "fu\u0301ck"},
		{"a slur inside a word", "xniggerx"},
		{"a slur spread over words", "nig ger"},
		{"a slur with swaps and dots", "n.1.g.g.3.r"},
		{"fullwidth letters", "ｆｕｃｋ"},
		{"a Danish slur", "Perkere"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, ok := l.Blocked(tc.text); !ok {
				t.Errorf("Blocked(%q) = false, want true", tc.text)
			}
		})
	}
}

func TestDefaultListPasses(t *testing.T) {
	l := compiledDefault(t)
	for _, tc := range []struct{ name, text string }{
		{"a town with cunt inside", "Scunthorpe"},
		{"a town with ass inside", "Assens"},
		{"a town with vin and rev", "Grevinge"},
		{"a suburb with hell inside", "Hellerup"},
		{"a county with sex inside", "Sussex"},
		{"a name that is also slang", "Dick Hansen"},
		{"a name that holds dyke", "Dick Van Dyke"},
		{"a doubled letter is another word", "Rappe"},
		{"a word with a doubled i", "Shiitake Partners"},
		{"a title with ass inside", "Class Assistant"},
		{"a word with tit inside", "Constitution"},
		{"a word with cock inside", "Hitchcock"},
		{"a Danish word with kluder", "Kluder og Klude"},
		{"a Danish verb", "at negere"},
		{"a Danish word with pik inside", "Pikante Spiker"},
		{"a Danish name", "Søren Kierkegaard"},
		{"a title", "Bestyrelsesformand, Novo Nordisk"},
		{"initials", "A. B. C. Hansen"},
		{"an English title", "Chief Executive Officer"},
		{"a Penistone grammar school", "Penistone"},
		{"digits in an org", "3M Danmark"},
		{"a Japanese name", "山田太郎"},
		{"the empty text", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if e, ok := l.Blocked(tc.text); ok {
				t.Errorf("Blocked(%q) = true (entry %q), want false", tc.text, e)
			}
		})
	}
}

func TestCampaignListsAddAndAllow(t *testing.T) {
	for _, tc := range []struct {
		name         string
		entries      []string
		allow        []string
		text         string
		wantBlocked  bool
		wantEntry    string
		wantErrorSub string
	}{
		{name: "an added word is refused", entries: []string{"konkurrent"}, text: "Konkurrent A/S", wantBlocked: true, wantEntry: "konkurrent"},
		{name: "an added prefix refuses a compound", entries: []string{"konkurrent*"}, text: "Konkurrentfirma", wantBlocked: true, wantEntry: "konkurrent*"},
		{name: "an added word does not refuse a compound", entries: []string{"konkurrent"}, text: "Konkurrentfirma"},
		{name: "an allowed word leaves the list", entries: []string{"prick"}, allow: []string{"prick"}, text: "Prick"},
		{name: "an allowed word passes an anywhere entry", entries: []string{"*cunt*"}, allow: []string{"Scunthorpe"}, text: "Scunthorpe United"},
		{name: "an anywhere entry still refuses other words", entries: []string{"*cunt*"}, allow: []string{"Scunthorpe"}, text: "Scunthorpe cunts", wantBlocked: true, wantEntry: "*cunt*"},
		{name: "an allowed word is folded like the text", entries: []string{"*fuck*"}, allow: []string{"Fückel"}, text: "FUCKEL"},
		{name: "an empty list blocks nothing", text: "fuck"},
		{name: "a star at the start alone is refused", entries: []string{"*word"}, wantErrorSub: "a star goes at the end"},
		{name: "two words are refused", entries: []string{"two words"}, wantErrorSub: "one word"},
		{name: "one letter is refused", entries: []string{"x*"}, wantErrorSub: "at least two letters"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l, err := New(tc.entries, tc.allow)
			if tc.wantErrorSub != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErrorSub) {
					t.Fatalf("New(%q) error = %v, want one saying %q", tc.entries, err, tc.wantErrorSub)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			e, ok := l.Blocked(tc.text)
			if ok != tc.wantBlocked || e != tc.wantEntry {
				t.Errorf("Blocked(%q) = %q, %v; want %q, %v", tc.text, e, ok, tc.wantEntry, tc.wantBlocked)
			}
		})
	}
}

func TestDefaultListCompiles(t *testing.T) {
	entries := Default()
	if len(entries) < 50 {
		t.Fatalf("the default list has %d entries, want the shipped list", len(entries))
	}
	l := compiledDefault(t)
	// Every entry, written plainly, refuses itself: a typo in the file
	// (a stray star, a space) would otherwise pass silently.
	for _, e := range entries {
		plain := strings.Trim(e, "*")
		if _, ok := l.Blocked(plain); !ok {
			t.Errorf("entry %q does not refuse %q", e, plain)
		}
	}
}

func TestNilListBlocksNothing(t *testing.T) {
	var l *List
	if _, ok := l.Blocked("fuck"); ok || l.Len() != 0 {
		t.Error("a nil list blocked a word")
	}
}

// BenchmarkBlocked is one self-service field of ordinary length checked
// against the default list: the cost every submission and draft pays.
func BenchmarkBlocked(b *testing.B) {
	l := compiledDefault(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, ok := l.Blocked("Bestyrelsesformand, Novo Nordisk A/S"); ok {
			b.Fatal("refused")
		}
	}
}

// FuzzBlocked checks that any text is judged without a panic, and judged
// alike in upper and lower case.
func FuzzBlocked(f *testing.F) {
	for _, s := range []string{"fuck", "f.u.c.k", "Scunthorpe", "Søren", "n1gg3r", "ｆｕｃｋ", "a\u0301\u0301\u0301", "", "1111", "@@$$"} {
		f.Add(s)
	}
	l := compiledDefault(f)
	f.Fuzz(func(t *testing.T, s string) {
		_, lower := l.Blocked(asciiCase(s, 'a'-'A'))
		_, upper := l.Blocked(asciiCase(s, 0))
		if lower != upper {
			t.Errorf("Blocked(%q) differs between upper case (%v) and lower case (%v)", s, upper, lower)
		}
	})
}

// asciiCase upper-cases ASCII letters (shift 0) or lower-cases them
// (shift 'a'-'A'); other letters have case rules of their own.
func asciiCase(s string, shift rune) string {
	return strings.Map(func(r rune) rune {
		if 'a' <= r && r <= 'z' {
			r -= 'a' - 'A'
		}
		if 'A' <= r && r <= 'Z' {
			r += shift
		}
		return r
	}, s)
}
