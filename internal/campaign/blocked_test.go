package campaign

import (
	"fmt"
	"strings"
	"testing"
)

func TestBlockedWordsErrorsPointAtTheLine(t *testing.T) {
	for _, tc := range []struct {
		name, section, marker, want string
	}{
		{"a bad added word", "blocked_words:\n  add:\n    - ok\n    - two words\n", "two words", "blocked_words.add: blocked word \"two words\""},
		{"a star at the start", "blocked_words:\n  add: [\"*konkurrent\"]\n", "*konkurrent", "a star goes at the end"},
		{"a list that is text", "blocked_words:\n  add: konkurrent\n", "add: konkurrent", "blocked_words.add must be a list of words"},
		{"default that is not a boolean", "blocked_words:\n  default: maybe\n", "default: maybe", "blocked_words.default must be true or false"},
		{"an unknown key", "blocked_words:\n  remove: [x]\n", "remove:", `unknown key "remove" in blocked_words`},
		{"a list instead of a mapping", "blocked_words: [fuck]\n", "blocked_words:", "blocked_words must be a mapping"},
		{"a word that is a mapping", "blocked_words:\n  allow:\n    - {a: b}\n", "{a: b}", "blocked_words.allow must be text"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := strings.Replace(validCampaign, "self_service: false\n", "self_service: false\n"+tc.section, 1)
			_, err := Load(testFS(t, map[string]string{testFile: src}), "assets/campaigns", nil)
			if err == nil {
				t.Fatal("loaded without error")
			}
			prefix := fmt.Sprintf("%s:%d:", testFile, lineOf(t, src, tc.marker))
			if !strings.Contains(err.Error(), prefix) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("errors:\n%v\nwant a line starting %q containing %q", err, prefix, tc.want)
			}
		})
	}
}

func TestBlockedWordsLoad(t *testing.T) {
	for _, tc := range []struct {
		name    string
		section string
		blocked []string
		passed  []string
	}{
		{"no section: the default list", "", []string{"f.u.c.k", "Lortefirma"}, []string{"Scunthorpe", "Konkurrent"}},
		{"added words on top of the default", "blocked_words:\n  add: [konkurrent*]\n", []string{"fuck", "Konkurrenten A/S"}, []string{"Hellerup"}},
		{"the default switched off", "blocked_words:\n  default: false\n  add: [konkurrent]\n", []string{"Konkurrent"}, []string{"fuck"}},
		{"a default word allowed", "blocked_words:\n  allow: [prick]\n", []string{"cunt"}, []string{"Prick"}},
		{"everything switched off", "blocked_words:\n  default: false\n", nil, []string{"fuck", "cunt"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := strings.Replace(validCampaign, "self_service: false\n", "self_service: false\n"+tc.section, 1)
			set, err := Load(testFS(t, map[string]string{testFile: src}), "assets/campaigns", nil)
			if err != nil {
				t.Fatal(err)
			}
			camp, _ := set.Lookup("demo")
			for _, s := range tc.blocked {
				if _, ok := camp.Blocked.Blocked(s); !ok {
					t.Errorf("%q passed, want it refused", s)
				}
			}
			for _, s := range tc.passed {
				if e, ok := camp.Blocked.Blocked(s); ok {
					t.Errorf("%q refused by %q, want it passed", s, e)
				}
			}
		})
	}
}
