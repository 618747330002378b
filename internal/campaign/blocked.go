package campaign

import (
	"go.yaml.in/yaml/v3"

	"github.com/sharecard/sharecard/internal/moderation"
)

// maxBlockedWords bounds a campaign's own list: every self-service entry
// is checked against all of it.
const maxBlockedWords = 2000

// readBlocked reads
//
//	blocked_words:
//	  default: true        # sharecard's Danish and English list (default true)
//	  add: [konkurrent*]   # the campaign's own: word, word* or *word*
//	  allow: [Prick]       # words the default list may not refuse
//
// A campaign without the section gets the default list alone.
func (st *fileState) readBlocked(n *yaml.Node) *moderation.List {
	o := newObject(st.p, n, "blocked_words")
	if o == nil {
		return nil
	}
	useDefault := o.boolean("default", true)
	add, addNodes := o.wordList("add")
	allow, _ := o.wordList("allow")
	o.finish()
	var entries []string
	if useDefault {
		entries = moderation.Default()
	}
	// Each added word is compiled alone first, so a bad one is reported
	// at its own line.
	ok := true
	for i, w := range add {
		if _, err := moderation.New([]string{w}, nil); err != nil {
			st.p.add(addNodes[i], "blocked_words.add: %v", err)
			ok = false
		}
	}
	if !ok {
		return nil
	}
	l, err := moderation.New(append(entries, add...), allow)
	if err != nil {
		st.p.add(n, "blocked_words: %v", err)
		return nil
	}
	return l
}

// wordList reads an optional list of words, with each word's node.
func (o *object) wordList(key string) ([]string, []*yaml.Node) {
	v, ok := o.get(key)
	if !ok {
		return nil, nil
	}
	what := o.what + "." + key
	if v.Kind != yaml.SequenceNode {
		o.p.add(v, "%s must be a list of words, not %s", what, kindName(v))
		return nil, nil
	}
	if len(v.Content) > maxBlockedWords {
		o.p.add(v, "%s has %d words: at most %d", what, len(v.Content), maxBlockedWords)
		return nil, nil
	}
	var words []string
	var nodes []*yaml.Node
	for _, c := range v.Content {
		s, ok := scalarString(o.p, c, what)
		if !ok {
			continue
		}
		words = append(words, s)
		nodes = append(nodes, c)
	}
	return words, nodes
}

// defaultBlocked is the list a campaign without blocked_words: gets.
func defaultBlocked() *moderation.List {
	l, err := moderation.New(moderation.Default(), nil)
	if err != nil {
		// The shipped list is tested to compile; this cannot happen
		// without a broken build.
		panic("campaign: the default blocked words do not compile: " + err.Error())
	}
	return l
}
