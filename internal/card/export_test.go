package card

import "testing"

// CorpusEntry is one line of testdata/corpus.tsv, for the external tests.
type CorpusEntry struct{ Key, Name, Title, Org string }

// ReadCorpus is readCorpus for the external tests (the goldens).
func ReadCorpus(t testing.TB) []CorpusEntry {
	t.Helper()
	var out []CorpusEntry
	for _, e := range readCorpus(t) {
		out = append(out, CorpusEntry{e.key, e.name, e.title, e.org})
	}
	return out
}
