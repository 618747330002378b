package main

import (
	"cmp"
	"context"
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/schollz/progressbar/v3"

	"github.com/sharecard/sharecard/internal/config"
	"github.com/sharecard/sharecard/internal/invite"
	"github.com/sharecard/sharecard/internal/share"
	"github.com/sharecard/sharecard/internal/variant"
)

// maxCLIRows bounds one CSV: far above a campaign's invitee list, and a
// guard against feeding the command the wrong file.
const maxCLIRows = 1_000_000

// runInvite mints invitation links for a CSV of people, offline, with the
// configured secret and base URL, so the links are the ones the service
// verifies. Exit code 1 when any row was refused (its error is in the output).
func runInvite(ctx context.Context, args []string, e env) int {
	fset := flag.NewFlagSet("sharecard invite", flag.ContinueOnError)
	fset.SetOutput(e.stderr)
	campaignID := fset.String("campaign", "", "campaign id (required), e.g. ligestilling")
	csvPath := fset.String("csv", "", "CSV of people with a header naming name, title, org and lang (required; - for stdin)")
	lang := fset.String("lang", "", "the links' language where a row has no lang column (default: the campaign's), e.g. en")
	outPath := fset.String("out", "-", "where to write the links CSV (- for stdout)")
	prerender := fset.Bool("prerender", false, "render the links' images into the cache (Redis when REDIS_URL is set)")
	variants := fset.String("variants", strings.Join(share.DefaultPrerender, ","), "with --prerender: the variants to render, comma-separated ("+strings.Join(variant.Names(), ", ")+"); the others render when first fetched")
	quiet := fset.Bool("quiet", false, "no progress bar")
	cfg, err := config.Load(fset, args, e.getenv)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "sharecard invite: %v\n", err)
		return 2
	}
	if *campaignID == "" || *csvPath == "" {
		fmt.Fprintln(e.stderr, "sharecard invite: --campaign and --csv are required, e.g.\n  sharecard invite --campaign ligestilling --csv people.csv --out links.csv")
		return 2
	}
	vs := strings.Split(*variants, ",")
	if err := share.CheckVariants(vs); err != nil {
		fmt.Fprintf(e.stderr, "sharecard invite: --variants: %v\n", err)
		return 2
	}
	log := newLogger(cfg, e.stderr)
	inv := inviteRun{cfg: cfg, log: log, e: e, campaign: *campaignID, csv: *csvPath, out: *outPath, lang: *lang, prerender: *prerender, variants: vs, quiet: *quiet}
	code, err := inv.run(ctx)
	if err != nil {
		fmt.Fprintf(e.stderr, "sharecard invite: %v\n", err)
	}
	return code
}

type inviteRun struct {
	cfg                config.Config
	log                *slog.Logger
	e                  env
	campaign, csv, out string
	lang               string
	prerender, quiet   bool
	variants           []string
}

func (r inviteRun) run(ctx context.Context) (int, error) {
	if err := config.EnsureKeys(&r.cfg, r.log); err != nil {
		return 1, err
	}
	if u, err := url.Parse(r.cfg.BaseURL); err == nil && (u.Hostname() == "localhost" || u.Hostname() == "127.0.0.1") {
		r.log.Warn("the links point at this machine; set SHARECARD_BASE_URL to the service's public URL before sending them", "base_url", r.cfg.BaseURL)
	}
	rows, err := r.readRows()
	if err != nil {
		return 1, err
	}
	d, err := openDeps(ctx, r.cfg, r.log, prometheus.NewRegistry())
	if err != nil {
		return 1, err
	}
	defer d.close(r.log)
	camp, ok := d.library.Lookup(r.campaign)
	if !ok {
		return 2, fmt.Errorf("--campaign %q: no such campaign (known: %v)", r.campaign, d.library.IDs())
	}
	if _, err := share.InLanguage(camp, r.lang); err != nil {
		return 2, fmt.Errorf("--lang: %w", err)
	}

	out, commit, err := r.output()
	if err != nil {
		return 1, err
	}
	w := csv.NewWriter(out)
	_ = w.Write(share.CSVHeader)
	bar := r.bar(len(rows), "minting", "links")
	results := make([]share.Result, len(rows))
	failed := 0
	for i, row := range rows {
		row.Lang = cmp.Or(row.Lang, r.lang)
		res := d.share.MintRow(camp, row)
		results[i] = res
		if res.Error != "" {
			failed++
		}
		if err := w.Write(res.CSVRecord()); err != nil {
			return 1, fmt.Errorf("write %s: %w", r.out, err)
		}
		_ = bar.Add(1)
	}
	_ = bar.Finish()
	w.Flush()
	if err := w.Error(); err != nil {
		return 1, fmt.Errorf("write %s: %w", r.out, err)
	}
	if err := commit(); err != nil {
		return 1, err
	}
	fmt.Fprintf(r.e.stderr, "minted %d links for %s", len(rows)-failed, camp.ID)
	if failed > 0 {
		fmt.Fprintf(r.e.stderr, "; %d rows refused (see the error column)", failed)
	}
	fmt.Fprintln(r.e.stderr)

	if r.prerender {
		if err := r.render(ctx, d, results); err != nil {
			return 1, err
		}
	}
	if failed > 0 {
		return 1, nil
	}
	return 0, nil
}

func (r inviteRun) readRows() ([]invite.Row, error) {
	var in io.Reader = r.e.stdin
	if r.csv != "-" {
		f, err := os.Open(r.csv)
		if err != nil {
			return nil, fmt.Errorf("--csv: %w", err)
		}
		defer f.Close()
		in = f
	}
	rows, err := invite.ReadCSV(in, maxCLIRows)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", r.csv, err)
	}
	return rows, nil
}

// output opens the destination; commit makes a file appear only when it is
// complete (written to a temporary file, then renamed).
func (r inviteRun) output() (io.Writer, func() error, error) {
	if r.out == "-" {
		return r.e.stdout, func() error { return nil }, nil
	}
	f, err := os.CreateTemp(filepath.Dir(r.out), "."+filepath.Base(r.out)+"-*")
	if err != nil {
		return nil, nil, fmt.Errorf("--out: %w", err)
	}
	return f, func() error {
		if err := f.Close(); err != nil {
			os.Remove(f.Name())
			return fmt.Errorf("--out: %w", err)
		}
		if err := os.Rename(f.Name(), r.out); err != nil {
			os.Remove(f.Name())
			return fmt.Errorf("--out: %w", err)
		}
		return nil
	}, nil
}

func (r inviteRun) bar(n int, what, unit string) *progressbar.ProgressBar {
	return progressbar.NewOptions(n,
		progressbar.OptionSetWriter(r.e.stderr),
		progressbar.OptionSetVisibility(!r.quiet),
		progressbar.OptionSetDescription(what),
		progressbar.OptionShowCount(),
		progressbar.OptionShowIts(),
		progressbar.OptionSetItsString(unit),
		progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionOnCompletion(func() { fmt.Fprintln(r.e.stderr) }),
	)
}

// render fills the cache with the chosen variants of every minted link,
// with as many workers as render slots.
func (r inviteRun) render(ctx context.Context, d *deps, results []share.Result) error {
	type job struct {
		inv share.Invitation
		ref share.ImageRef
	}
	var jobs []job
	for _, res := range results {
		if res.Error != "" {
			continue
		}
		inv, err := d.share.Resolve(res.Token)
		if err != nil {
			return fmt.Errorf("resolve a token just minted: %w", err)
		}
		// The cards in the link's own language: the ones its page and
		// preview will ask for.
		inv.Camp = inv.Camp.In(res.Lang)
		for _, ref := range share.PrerenderRefs(inv, r.variants) {
			jobs = append(jobs, job{inv, ref})
		}
	}
	bar := r.bar(len(jobs), "rendering", "images")
	var (
		next, rendered atomic.Int64
		firstErr       error
		once           sync.Once
		wg             sync.WaitGroup
	)
	for range max(1, r.cfg.RenderConcurrency) {
		wg.Go(func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= len(jobs) || ctx.Err() != nil {
					return
				}
				did, err := d.share.Prerender(ctx, jobs[i].inv, jobs[i].ref)
				if err != nil {
					once.Do(func() { firstErr = err })
					return
				}
				if did {
					rendered.Add(1)
				}
				_ = bar.Add(1)
			}
		})
	}
	wg.Wait()
	_ = bar.Finish()
	if firstErr != nil {
		return fmt.Errorf("prerender: %w", firstErr)
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("prerender interrupted: %w", err)
	}
	where := "the in-process cache (set REDIS_URL so the service can use them)"
	if d.redis != nil {
		where = "Redis"
	}
	fmt.Fprintf(r.e.stderr, "rendered %d images (%d were cached already) into %s\n", rendered.Load(), int64(len(jobs))-rendered.Load(), where)
	return nil
}
