// Package testcampaign loads the shipped campaigns once per test binary, so
// every package that tests against the demo campaign uses the same, real
// files (loading fonts and pre-rendering templates takes a moment).
package testcampaign

import (
	"io/fs"
	"path"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/sharecard/sharecard"
	"github.com/sharecard/sharecard/internal/campaign"
)

// Today is the day the tests' campaigns live in: {{years_until}} is 34.
var Today = time.Date(2026, 12, 2, 12, 0, 0, 0, time.UTC)

var (
	once sync.Once
	set  *campaign.Set
	err  error
)

// Set returns the embedded campaigns, failing the test when they do not load.
func Set(t testing.TB) *campaign.Set {
	t.Helper()
	once.Do(func() {
		set, err = campaign.Load(sharecard.Files(), sharecard.CampaignDir, nil)
		if err == nil {
			// Cards and pages count the years to the event from today:
			// tests see one fixed day, so goldens hold from year to year.
			set.SetClock(func() time.Time { return Today })
		}
	})
	if err != nil {
		t.Fatalf("load campaigns: %v", err)
	}
	return set
}

// Demo returns the demo campaign, ligestilling.
func Demo(t testing.TB) *campaign.Campaign {
	t.Helper()
	c, ok := Set(t).Lookup("ligestilling")
	if !ok {
		t.Fatal("demo campaign ligestilling not found")
	}
	return c
}

// Edited loads the shipped campaigns with some of their files changed:
// edits maps a campaign file's name (e.g. "ligestilling.yaml") to what
// it becomes, given what it is. For a test of a setting the shipped
// campaigns do not use; the set lives in Today as Set's does.
func Edited(t testing.TB, edits map[string]func(string) string) *campaign.Set {
	t.Helper()
	over := overlay{base: sharecard.Files(), files: map[string][]byte{}}
	for name, edit := range edits {
		p := path.Join(sharecard.CampaignDir, name)
		data, err := fs.ReadFile(over.base, p)
		if err != nil {
			t.Fatalf("edit %s: %v", name, err)
		}
		over.files[p] = []byte(edit(string(data)))
	}
	s, err := campaign.Load(over, sharecard.CampaignDir, nil)
	if err != nil {
		t.Fatalf("load edited campaigns: %v", err)
	}
	s.SetClock(func() time.Time { return Today })
	return s
}

// overlay serves files from files where it has them, else from base.
type overlay struct {
	base  fs.FS
	files map[string][]byte
}

func (o overlay) Open(name string) (fs.File, error) {
	if data, ok := o.files[name]; ok {
		return fstest.MapFS{name: {Data: data}}.Open(name)
	}
	return o.base.Open(name)
}
