// Package testcampaign loads the shipped campaigns once per test binary, so
// every package that tests against the demo campaign uses the same, real
// files (loading fonts and pre-rendering templates takes a moment).
package testcampaign

import (
	"sync"
	"testing"
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
