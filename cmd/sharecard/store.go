package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"path/filepath"

	"github.com/redis/go-redis/v9"

	sharecard "github.com/sharecard/sharecard"
	"github.com/sharecard/sharecard/internal/campaign"
	"github.com/sharecard/sharecard/internal/card"
	"github.com/sharecard/sharecard/internal/config"
)

// openLibrary opens the campaign store the service and the offline
// commands share (Redis when it is configured, SHARECARD_DATA_DIR/campaigns
// otherwise), seeds the built-in campaigns into it where it lacks them,
// and loads every current version.
func openLibrary(ctx context.Context, cfg config.Config, files fs.FS, rdb redis.UniversalClient, log *slog.Logger) (*campaign.Library, error) {
	var store campaign.Store
	if rdb != nil {
		store = campaign.NewRedisStore(rdb, "sharecard:", log)
	} else {
		dir := filepath.Join(cfg.DataDir, "campaigns")
		s, err := campaign.NewDirStore(dir)
		if err != nil {
			return nil, fmt.Errorf("SHARECARD_DATA_DIR=%q: %w", cfg.DataDir, err)
		}
		store = s
	}
	opts := card.EncodeOptions{JPEGQuality: cfg.JPEGQuality}
	lib := campaign.NewLibrary(campaign.LibraryOptions{Store: store, Files: files, Log: log,
		Prepare: func(c *campaign.Campaign) { prepareCampaign(c, opts, log) }})
	err := lib.Open(ctx, sharecard.CampaignDir)
	var problem *campaign.Problem
	if err == nil || rdb == nil || errors.As(err, &problem) {
		if err != nil {
			return nil, fmt.Errorf("campaign store: %w", err)
		}
		return lib, nil
	}
	// The service starts while Redis is down, as it always has: with the
	// built-in campaigns, until the library's Run reaches the store.
	log.Warn("campaign store: Redis does not answer; serving the built-in campaigns until it does", "err", err)
	set, lerr := campaign.Load(files, sharecard.CampaignDir, log)
	if lerr != nil {
		return nil, lerr
	}
	for _, id := range set.IDs() {
		c, _ := set.Lookup(id)
		prepareCampaign(c, opts, log)
	}
	lib.Serve(set)
	return lib, nil
}
