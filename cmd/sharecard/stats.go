package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/sharecard/sharecard/internal/stats"
)

// runStats prints a campaign's numbers: from Redis directly when
// REDIS_URL is set, otherwise from a running service's stats API (in
// embedded mode the counters live inside the server process).
func runStats(ctx context.Context, args []string, e env) int {
	fs := flag.NewFlagSet("stats", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	var (
		id     = fs.String("campaign", "", "campaign id (required), e.g. ligestilling")
		from   = fs.String("from", "", "start: RFC 3339 or YYYY-MM-DD (default: 7 days before --to)")
		to     = fs.String("to", "", "end: RFC 3339 or YYYY-MM-DD, a date includes its day (default: now)")
		gran   = fs.String("granularity", "day", "time series buckets: hour or day")
		asJSON = fs.Bool("json", false, "print the API's JSON instead of tables")
		prefix = fs.String("prefix", stats.DefaultPrefix, "Redis key prefix the service writes under")
	)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(e.stdout, "usage: sharecard stats --campaign ID [--from T] [--to T] [--granularity hour|day] [--json]")
			fmt.Fprintln(e.stdout, "Reads Redis when REDIS_URL is set, else asks SHARECARD_BASE_URL with SHARECARD_ADMIN_TOKEN.")
			fs.SetOutput(e.stdout)
			fs.PrintDefaults()
			return 0
		}
		fmt.Fprintf(e.stderr, "sharecard stats: %v (see sharecard stats -h)\n", err)
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(e.stderr, "sharecard stats: unexpected argument %q (flags only; see sharecard stats -h)\n", fs.Arg(0))
		return 2
	}
	if *id == "" {
		fmt.Fprintln(e.stderr, "sharecard stats: --campaign is required, e.g. --campaign ligestilling")
		return 2
	}
	q, err := stats.ParseQuery(*id, *from, *to, *gran, time.Now())
	if err != nil {
		fmt.Fprintf(e.stderr, "sharecard stats: %s\n", strings.TrimPrefix(err.Error(), stats.ErrBadInput.Error()+": "))
		return 2
	}

	var r *stats.Report
	switch {
	case e.getenv("REDIS_URL") != "":
		r, err = statsFromRedis(ctx, e.getenv("REDIS_URL"), *prefix, q)
	case e.getenv("SHARECARD_BASE_URL") != "":
		r, err = statsFromAPI(ctx, e.getenv("SHARECARD_BASE_URL"), e.getenv("SHARECARD_ADMIN_TOKEN"), *id, *from, *to, *gran)
	default:
		fmt.Fprintln(e.stderr, "sharecard stats: set REDIS_URL to read the counters, or SHARECARD_BASE_URL and SHARECARD_ADMIN_TOKEN to ask the running service")
		return 2
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "sharecard stats: %v\n", err)
		return 1
	}
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(r); err != nil {
			fmt.Fprintf(e.stderr, "sharecard stats: %v\n", err)
			return 1
		}
		return 0
	}
	printReport(e.stdout, r)
	return 0
}

func statsFromRedis(ctx context.Context, redisURL, prefix string, q stats.Query) (*stats.Report, error) {
	opt, err := redis.ParseURL(redisURL)
	if err != nil {
		return nil, fmt.Errorf("REDIS_URL: %w", err)
	}
	c := redis.NewClient(opt)
	defer c.Close()
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	st := stats.NewStore(stats.Options{Redis: c, Prefix: prefix})
	ids, err := st.Campaigns(ctx)
	if err != nil {
		return nil, fmt.Errorf("redis at %s: %w", opt.Addr, err)
	}
	if !slices.Contains(ids, q.Campaign) {
		known := "none yet"
		if len(ids) > 0 {
			known = strings.Join(ids, ", ")
		}
		return nil, fmt.Errorf("no numbers recorded for campaign %q (campaigns with numbers: %s)", q.Campaign, known)
	}
	return st.Report(ctx, q)
}

func statsFromAPI(ctx context.Context, base, token, id, from, to, gran string) (*stats.Report, error) {
	if token == "" {
		return nil, errors.New("SHARECARD_ADMIN_TOKEN is not set; the stats API needs it")
	}
	u, err := url.Parse(strings.TrimRight(base, "/"))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("SHARECARD_BASE_URL %q is not an http(s) URL", base)
	}
	u = u.JoinPath("api", "v1", "campaigns", id, "stats")
	v := url.Values{}
	for k, x := range map[string]string{"from": from, "to": to, "granularity": gran} {
		if x != "" {
			v.Set(k, x)
		}
	}
	u.RawQuery = v.Encode()
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Accept", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, fmt.Errorf("ask %s: %w", u.Host, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 32<<20))
	if err != nil {
		return nil, fmt.Errorf("read the answer from %s: %w", u.Host, err)
	}
	if resp.StatusCode != http.StatusOK {
		var e struct {
			Error string `json:"error"`
		}
		if json.Unmarshal(body, &e) == nil && e.Error != "" {
			return nil, fmt.Errorf("%s answered %d: %s", u.Host, resp.StatusCode, e.Error)
		}
		return nil, fmt.Errorf("%s answered %s", u.Host, resp.Status)
	}
	var r stats.Report
	if err := json.Unmarshal(body, &r); err != nil {
		return nil, fmt.Errorf("%s answered something that is not a stats report: %w", u.Host, err)
	}
	return &r, nil
}

// printReport writes the dashboard's numbers as plain tables.
func printReport(w io.Writer, r *stats.Report) {
	t := r.Totals
	fmt.Fprintf(w, "Campaign %s · %s – %s UTC · by %s\n\n", r.Campaign, r.From.Format("2006-01-02 15:04"), r.To.Format("2006-01-02 15:04"), r.Granularity)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	// The note is not a cell (no closing tab), so it stays left-aligned.
	row := func(label string, v any, note string) { fmt.Fprintf(tw, "%s\t%v\t  %s\n", label, v, note) }
	row("Impressions (entered)", t.ImpressionsEntered, "typed in from the platforms' own statistics, not measured")
	row("Preview fetches", t.PreviewFetches, "platform crawlers; never counted as visits")
	row("Page views", t.PageViews, "people")
	row("Unique visitors", t.UniqueVisitors, fmt.Sprintf("sum of daily uniques over %d days", r.UniqueVisitorsMethod.Days))
	row("Declines", t.Declines, "")
	row("Learning-site clicks", t.LearningClicks, "")
	row("LinkedIn shares", t.ShareClicks, "")
	row("Instagram downloads", t.Downloads, "")
	row("Invitations minted", t.Minted, "")
	row("Self-service refused", t.SelfServiceRefused, "for a blocked word; the text is never kept")
	row("Total minutes", fmt.Sprintf("%.1f", r.EngagedTime.TotalMinutes), "visible time on the page")
	row("Average time", fmt.Sprintf("%.0f s", r.EngagedTime.AverageSeconds), "per page view")
	tw.Flush()

	fmt.Fprintln(w, "\nFunnel")
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	for _, s := range r.Funnel {
		fmt.Fprintf(tw, "  %s\t%d\t\n", s.Step, s.Count)
	}
	tw.Flush()

	if len(r.Platforms) > 0 {
		fmt.Fprintln(w, "\nPlatforms")
		tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintf(tw, "  platform\tpreview fetches\timpressions (entered)\t\n")
		for _, p := range r.Platforms {
			fmt.Fprintf(tw, "  %s\t%d\t%d\t\n", p.Platform, p.PreviewFetches, p.ImpressionsEntered)
		}
		tw.Flush()
	}

	fmt.Fprintf(w, "\nBy %s\n", r.Granularity)
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "  start\tpage views\tuniques\tdeclines\tlearning clicks\tpreview fetches\t\n")
	layout := "2006-01-02"
	if r.Granularity == stats.Hour {
		layout = "2006-01-02 15:00"
	}
	for _, p := range r.Series {
		u := "-"
		if p.UniqueVisitors != nil {
			u = fmt.Sprint(*p.UniqueVisitors)
		}
		fmt.Fprintf(tw, "  %s\t%d\t%s\t%d\t%d\t%d\t\n", p.Start.Format(layout), p.PageViews, u, p.Declines, p.LearningClicks, p.PreviewFetches)
	}
	tw.Flush()

	if len(r.TopInvitations) > 0 {
		fmt.Fprintf(w, "\nTop %d invitations by page views\n", len(r.TopInvitations))
		tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintf(tw, "  invitation\tpage views\tdeclines\tlearning clicks\tshares\tseconds\t\n")
		for _, i := range r.TopInvitations {
			fmt.Fprintf(tw, "  %s\t%d\t%d\t%d\t%d\t%.0f\t\n", i.ID, i.PageViews, i.Declines, i.LearningClicks, i.ShareClicks, i.EngagedSeconds)
		}
		tw.Flush()
	}
}
