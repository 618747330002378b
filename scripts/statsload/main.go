// Command statsload measures what recording campaign numbers costs the
// invitation page: it serves the same page from two in-process servers on
// loopback, one recording into the stats buffer and one with recording
// off, and compares their latency percentiles over alternating rounds.
// It is bounded in requests and time and stops by itself.
//
//	go run ./scripts/statsload                      # embedded counters
//	go run ./scripts/statsload -redis redis://127.0.0.1:6379/0
//
// Exit status 1 when recording adds 5 % or more to the median.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"sort"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/redis/go-redis/v9"

	sharecard "github.com/sharecard/sharecard"
	"github.com/sharecard/sharecard/internal/cache"
	"github.com/sharecard/sharecard/internal/campaign"
	"github.com/sharecard/sharecard/internal/card"
	"github.com/sharecard/sharecard/internal/config"
	"github.com/sharecard/sharecard/internal/invite"
	"github.com/sharecard/sharecard/internal/server"
	"github.com/sharecard/sharecard/internal/share"
	"github.com/sharecard/sharecard/internal/stats"
)

func main() {
	err := run()
	if err == errSlow {
		os.Exit(1)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "statsload:", err)
		os.Exit(2)
	}
}

// errSlow is the verdict that recording costs too much; run returns it
// (rather than exiting) so the test keys in Redis are still removed.
var errSlow = errors.New("recording adds 5 % or more to the median")

func run() error {
	var (
		n        = flag.Int("n", 1000, "requests per round and mode")
		rounds   = flag.Int("rounds", 4, "rounds; requests alternate between the modes, and rounds alternate which goes first")
		conc     = flag.Int("c", 4, "concurrent clients")
		redisURL = flag.String("redis", "", "record into this Redis (default: embedded counters)")
		limit    = flag.Duration("timeout", 90*time.Second, "stop after this long")
	)
	flag.Parse()
	if *n < 100 || *n > 100_000 || *rounds < 1 || *rounds > 50 || *conc < 1 || *conc > 64 {
		return fmt.Errorf("-n must be 100..100000, -rounds 1..50, -c 1..64")
	}
	ctx, cancel := context.WithTimeout(context.Background(), *limit)
	defer cancel()

	camps, err := campaign.Load(sharecard.Files(), sharecard.CampaignDir, nil)
	if err != nil {
		return err
	}
	signer, err := invite.NewSigner([][]byte{[]byte("statsload-key-0123456789abcdef")})
	if err != nil {
		return err
	}
	token, err := signer.Encode(invite.Invitation{Campaign: "ligestilling", Name: "Lars Hansen", Title: "Adm. direktør"})
	if err != nil {
		return err
	}
	var rc redis.UniversalClient
	prefix := fmt.Sprintf("statsload:%d:", time.Now().UnixNano())
	if *redisURL != "" {
		opt, err := redis.ParseURL(*redisURL)
		if err != nil {
			return fmt.Errorf("-redis: %w", err)
		}
		rc = redis.NewClient(opt)
		defer cleanup(rc, prefix)
	}
	rec := stats.NewRecorder(stats.Options{Redis: rc, Prefix: prefix, BufferSize: 1 << 16})
	defer rec.Close(context.Background())

	cfg := config.Config{Env: "development", BaseURL: "https://invitation.example.dk", JPEGQuality: 85,
		RenderConcurrency: 2, RenderQueue: 8, SelfServiceRate: 3, RequestTimeout: 10 * time.Second, RedisTimeout: time.Second}
	mk := func(r stats.Recorder) (*httptest.Server, error) {
		c := cache.New(cache.Options{MemoryBytes: 16 << 20})
		reg := prometheus.NewRegistry()
		core, err := share.New(share.Deps{Campaigns: camps, Signer: signer, Cache: c, Stats: r, BaseURL: cfg.BaseURL,
			Encode: card.EncodeOptions{JPEGQuality: cfg.JPEGQuality}, RenderConcurrency: cfg.RenderConcurrency,
			RenderQueue: cfg.RenderQueue, MissTimeout: cfg.RequestTimeout, Registry: reg})
		if err != nil {
			return nil, err
		}
		e, err := server.New(server.Deps{Config: cfg, Share: core, Cache: c, Stats: r, Registry: reg, Log: slog.New(slog.DiscardHandler)})
		if err != nil {
			return nil, err
		}
		return httptest.NewServer(e), nil
	}
	off, err := mk(stats.Discard{})
	if err != nil {
		return err
	}
	defer off.Close()
	on, err := mk(rec)
	if err != nil {
		return err
	}
	defer on.Close()

	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: *conc, MaxConnsPerHost: *conc}, Timeout: 10 * time.Second}
	path := "/i/" + token
	// Warm up both: connections, templates, gzip pools.
	if _, _, err := loadPair(ctx, client, off.URL+path, on.URL+path, 300, *conc, false); err != nil {
		return err
	}
	// Requests alternate between the two servers one by one, so both see
	// the same machine: on a shared host, load from elsewhere comes and
	// goes faster than a round lasts.
	lat := map[string][]time.Duration{}
	for r := 0; r < *rounds; r++ {
		off, on, err := loadPair(ctx, client, off.URL+path, on.URL+path, *n, *conc, r%2 == 1)
		if err != nil {
			return err
		}
		lat["off"] = append(lat["off"], off...)
		lat["on"] = append(lat["on"], on...)
	}

	fctx, fcancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer fcancel()
	if err := rec.Flush(fctx); err != nil {
		return fmt.Errorf("flush: %w", err)
	}
	rep, err := rec.Report(fctx, stats.Query{Campaign: "ligestilling", From: time.Now().Add(-2 * time.Hour), To: time.Now().Add(time.Hour), Granularity: stats.Day})
	if err != nil {
		return err
	}
	want := int64(300 + *n**rounds)

	fmt.Printf("GET /i/{token}, %d rounds × %d requests per mode (interleaved), %d clients, store: %s\n", *rounds, *n, *conc, storeName(*redisURL))
	fmt.Printf("%-14s %9s %9s %9s\n", "recording", "p50", "p90", "p99")
	for _, m := range []string{"off", "on"} {
		fmt.Printf("%-14s %9s %9s %9s\n", m, pctl(lat[m], 50), pctl(lat[m], 90), pctl(lat[m], 99))
	}
	p0, p1 := pctl(lat["off"], 50), pctl(lat["on"], 50)
	over := float64(p1-p0) / float64(p0) * 100
	fmt.Printf("p50 overhead: %+.1f %%  (page views counted %d of %d, dropped %d)\n", over, rep.Totals.PageViews, want, rec.Dropped())
	if rep.Totals.PageViews != want {
		return fmt.Errorf("recording counted %d page views, want %d", rep.Totals.PageViews, want)
	}
	if over >= 5 {
		fmt.Println("FAIL:", errSlow)
		return errSlow
	}
	fmt.Println("PASS: recording adds less than 5 % to the median")
	return nil
}

func storeName(u string) string {
	if u == "" {
		return "embedded"
	}
	return "redis"
}

// loadPair sends n GETs to each of urlA and urlB from conc clients,
// alternating request by request (B first when bFirst), and returns the
// latencies of each.
func loadPair(ctx context.Context, c *http.Client, urlA, urlB string, n, conc int, bFirst bool) (a, b []time.Duration, err error) {
	lat := make([]time.Duration, 2*n)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var firstErr error
	next := make(chan int, 2*n)
	for i := 0; i < 2*n; i++ {
		next <- i
	}
	close(next)
	isB := func(i int) bool { return (i%2 == 1) != bFirst }
	for w := 0; w < conc; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				url := urlA
				if isB(i) {
					url = urlB
				}
				d, err := get(ctx, c, url)
				lat[i] = d
				if err != nil {
					mu.Lock()
					if firstErr == nil {
						firstErr = err
					}
					mu.Unlock()
					return
				}
			}
		}()
	}
	wg.Wait()
	for i, d := range lat {
		if isB(i) {
			b = append(b, d)
		} else {
			a = append(a, d)
		}
	}
	return a, b, firstErr
}

func get(ctx context.Context, c *http.Client, url string) (time.Duration, error) {
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	req.Header.Set("User-Agent", "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1")
	req.Header.Set("Accept-Encoding", "gzip")
	start := time.Now()
	resp, err := c.Do(req)
	if err != nil {
		return time.Since(start), err
	}
	_, err = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	d := time.Since(start)
	if err == nil && resp.StatusCode != http.StatusOK {
		err = fmt.Errorf("GET %s: %s", url, resp.Status)
	}
	return d, err
}

func pctl(d []time.Duration, p int) time.Duration {
	s := append([]time.Duration(nil), d...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return s[(len(s)-1)*p/100].Round(time.Microsecond)
}

func cleanup(c redis.UniversalClient, prefix string) {
	ctx := context.Background()
	iter := c.Scan(ctx, 0, prefix+"*", 1000).Iterator()
	for iter.Next(ctx) {
		c.Del(ctx, iter.Val())
	}
	c.Close()
}
