// Package moderation decides whether text typed by the public may go on a
// campaign's card: it owns the blocked-word lists (the default one shipped
// with sharecard and a campaign's own additions and exceptions) and the
// matching, which sees through case, diacritics, spacing tricks, repeated
// letters and letter-for-digit swaps.
//
// It knows nothing of campaigns or HTTP; the share core asks it about
// self-service entries only (the campaign team's own minting is trusted).
package moderation

import (
	"bufio"
	_ "embed"
	"fmt"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

//go:embed default.txt
var defaultList string

// Default is the list sharecard ships: Danish and English slurs and
// profanity, one entry a line, in the entry syntax New reads.
func Default() []string {
	var out []string
	sc := bufio.NewScanner(strings.NewReader(defaultList))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		out = append(out, line)
	}
	return out
}

// How an entry is matched against a word of the text.
type scope int

const (
	word     scope = iota // the whole word: "cunt" never matches Scunthorpe
	prefix                // "lorte*": the start of a word (Danish compounds)
	anywhere              // "*fuck*": inside any word, and across spacing tricks
)

// run is one letter and how many times it repeats.
type run struct {
	r rune
	n int
}

type entry struct {
	text  string // as written, for error messages
	runs  []run
	scope scope
}

// List is a compiled set of blocked words and the words it lets through.
// The zero List blocks nothing; a List is safe for concurrent use.
type List struct {
	entries []entry
	allow   map[string]bool // canonical words exempt from every entry
}

// New compiles entries (each a word, "word*" for a word's start or
// "*word*" for anywhere in a word) minus allow: an allowed word is both
// taken off the list and let through wherever it is typed as a whole
// word. An entry must hold at least two letters once folded.
func New(entries, allow []string) (*List, error) {
	l := &List{allow: map[string]bool{}}
	for _, a := range allow {
		for _, v := range variants(strings.Trim(a, "*")) {
			for _, w := range words(v) {
				l.allow[w] = true
			}
		}
	}
	seen := map[string]bool{}
	for _, e := range entries {
		body, sc := e, word
		switch {
		case strings.HasPrefix(body, "*") && strings.HasSuffix(body, "*") && len(body) > 1:
			body, sc = body[1:len(body)-1], anywhere
		case strings.HasSuffix(body, "*"):
			body, sc = body[:len(body)-1], prefix
		case strings.HasPrefix(body, "*"):
			return nil, fmt.Errorf("blocked word %q: a star goes at the end (a word's start) or at both ends (anywhere in a word)", e)
		}
		canon := fold(body)
		if strings.ContainsAny(canon, " *") || len([]rune(canon)) < 2 {
			return nil, fmt.Errorf("blocked word %q: write one word of at least two letters, with an optional star at the end or at both ends", e)
		}
		if l.allow[canon] {
			continue
		}
		key := fmt.Sprint(sc) + canon
		if seen[key] {
			continue
		}
		seen[key] = true
		l.entries = append(l.entries, entry{text: e, runs: runsOf(canon), scope: sc})
	}
	return l, nil
}

// Len is the number of entries in force.
func (l *List) Len() int {
	if l == nil {
		return 0
	}
	return len(l.entries)
}

// Blocked reports whether text holds a blocked word, and which entry (for
// tests and logs that never record the text itself).
func (l *List) Blocked(text string) (string, bool) {
	if l == nil || len(l.entries) == 0 {
		return "", false
	}
	for _, v := range variants(text) {
		ws := words(v)
		// The words run together catch "fu ck" and "fu.ck" for the
		// anywhere entries; an allowed word is left out of it.
		var kept []string
		for _, w := range ws {
			if !l.allow[w] {
				kept = append(kept, w)
			}
		}
		squashed := runsOf(strings.Join(kept, ""))
		wordRuns := make([][]run, len(kept))
		for i, w := range kept {
			wordRuns[i] = runsOf(w)
		}
		for _, e := range l.entries {
			if e.scope == anywhere && contains(squashed, e.runs) {
				return e.text, true
			}
			for _, w := range wordRuns {
				if matches(w, e) {
					return e.text, true
				}
			}
		}
	}
	return "", false
}

// fold lower-cases s, strips diacritics (NFKD, then no combining marks)
// and spells out the Nordic and German letters that do not decompose, so
// "Ærø" and "aero" fold alike.
func fold(s string) string {
	var b strings.Builder
	for _, r := range norm.NFKD.String(s) {
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		r = unicode.ToLower(r)
		switch r {
		case 'æ':
			b.WriteString("ae")
		case 'ø':
			b.WriteByte('o')
		case 'ß':
			b.WriteString("ss")
		case 'đ', 'ð':
			b.WriteByte('d')
		case 'ł':
			b.WriteByte('l')
		case 'þ':
			b.WriteString("th")
		case 'œ':
			b.WriteString("oe")
		case 'ı':
			b.WriteByte('i')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// leet is the letter each digit or sign stands for in common swaps; 1 is
// read both as i and as l (see variants).
var leet = map[rune]rune{'0': 'o', '3': 'e', '4': 'a', '5': 's', '7': 't', '@': 'a', '$': 's', '€': 'e', '!': 'i', '|': 'l'}

// variants are text folded, with the swaps undone, in both readings of 1.
func variants(text string) []string {
	f := fold(text)
	swap := func(one rune) string {
		return strings.Map(func(r rune) rune {
			if r == '1' {
				return one
			}
			if l, ok := leet[r]; ok {
				return l
			}
			return r
		}, f)
	}
	a := swap('i')
	if !strings.ContainsRune(f, '1') {
		return []string{a}
	}
	return []string{a, swap('l')}
}

// words splits folded text at everything but letters, and joins runs of
// one-letter pieces back into a word: "f u c k", "f.u.c.k" and "f_u_c_k"
// are all the word "fuck", while "A. B. Hansen" becomes "ab" and "hansen".
func words(s string) []string {
	parts := strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) })
	var out []string
	var single strings.Builder
	flush := func() {
		if single.Len() > 0 {
			out = append(out, single.String())
			single.Reset()
		}
	}
	for _, p := range parts {
		if len([]rune(p)) == 1 {
			single.WriteString(p)
			continue
		}
		flush()
		out = append(out, p)
	}
	flush()
	return out
}

func runsOf(s string) []run {
	var out []run
	for _, r := range s {
		if n := len(out); n > 0 && out[n-1].r == r {
			out[n-1].n++
			continue
		}
		out = append(out, run{r, 1})
	}
	return out
}

// same reports whether a run of the text stands for a run of the entry: as
// written, or stretched to three or more ("fuuuck"). A doubled letter is
// not a stretch but another word: "rappe" is a name, "rape" is not.
func same(t, e run) bool {
	return t.r == e.r && (t.n == e.n || t.n >= 3 && t.n >= e.n)
}

// matches compares one word of the text with an entry.
func matches(w []run, e entry) bool {
	switch e.scope {
	case word:
		if len(w) != len(e.runs) {
			return false
		}
		for i := range w {
			if !same(w[i], e.runs[i]) {
				return false
			}
		}
		return true
	case prefix:
		if len(w) < len(e.runs) {
			return false
		}
		last := len(e.runs) - 1
		for i := 0; i < last; i++ {
			if !same(w[i], e.runs[i]) {
				return false
			}
		}
		// The entry's last letter may run on into the rest of the word.
		return w[last].r == e.runs[last].r && w[last].n >= e.runs[last].n
	default:
		return contains(w, e.runs)
	}
}

// contains finds e inside w: its inner runs as same says, its first and
// last runs possibly part of longer ones.
func contains(w, e []run) bool {
	last := len(e) - 1
	for i := 0; i+last < len(w); i++ {
		ok := true
		for j := range e {
			t := w[i+j]
			if j == 0 || j == last {
				ok = t.r == e[j].r && t.n >= e[j].n
			} else {
				ok = same(t, e[j])
			}
			if !ok {
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}
