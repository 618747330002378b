// Package testcampaign loads the shipped campaigns once per test binary, so
// every package that tests against the demo campaign uses the same, real
// files (loading fonts and pre-rendering templates takes a moment).
package testcampaign

import (
	"sync"
	"testing"

	"github.com/sharecard/sharecard"
	"github.com/sharecard/sharecard/internal/campaign"
)

var (
	once sync.Once
	set  *campaign.Set
	err  error
)

// Set returns the embedded campaigns, failing the test when they do not load.
func Set(t testing.TB) *campaign.Set {
	t.Helper()
	once.Do(func() { set, err = campaign.Load(sharecard.Files(), sharecard.CampaignDir, nil) })
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
