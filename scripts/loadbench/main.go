// Command loadbench measures, in one run on one machine, what the image
// cache buys: requests/s and p50/p99 latency of the real service answering
// an image (a) from its memory tier (and (a') the same on a service with
// Redis configured), (b) from its Redis tier, (c) by a cold
// render, next to (d) a bare net/http handler serving the same bytes from a
// variable and (d') a bare handler doing one Redis GET of them per request;
// (b') is (b) over many images in turn, so no two concurrent requests share
// a Redis GET. Each is measured flat out (the hit scenarios in turn, over
// -rounds rounds, median reported) and at a fixed rate below saturation.
//
//	go run ./scripts/loadbench                  # from the module root
//	scripts/loadbench/run.sh -d 5s -rounds 3    # the same, built first
//
// Two other modes measure memory instead (docs/cache.md has the figures):
//
//	scripts/loadbench/run.sh -mode rss            # peak RSS, 2,000 distinct og images, 64 MiB tier
//	scripts/loadbench/run.sh -mode redis-bytes    # Redis bytes per invitation after its og image
//
// And one compares the service with the peer renderers of ../shared/peers
// (docs/performance.md has the runs): cold og renders through the running
// service, 30 names per set in Latin (JPEG and PNG), Arabic, Chinese, Hindi
// and Latin with emoji titles, then the peers' own benchmarks straight
// after, and the ratios against issue 9's goals:
//
//	scripts/loadbench/run.sh -mode peers -peers /tmp/peers   # each peer folder after npm ci
//
// It listens and connects on loopback only, starts what it needs (the
// service twice, the two baselines, a private redis-server unless -redis is
// given) on free ports, bounds every measurement in time and count, and
// stops everything it started before it exits. Flat-out figures come from
// wrk when it is installed (the summary says which tool measured what);
// fixed-rate figures from the open-loop generator in this program.
package main

import (
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/sharecard/sharecard/internal/config"
)

func main() {
	var err error
	if len(os.Args) > 1 && os.Args[1] == "bare" {
		err = runBare(os.Args[2:])
	} else {
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		err = run(ctx, os.Args[1:], os.Stdout, os.Stderr)
		stop()
	}
	if err != nil && !errors.Is(err, flag.ErrHelp) {
		fmt.Fprintln(os.Stderr, "loadbench:", err)
		os.Exit(1)
	}
}

type options struct {
	mode      string
	n         int
	memory    string
	bin       string
	redisURL  string
	dur       time.Duration
	rateDur   time.Duration
	conns     int
	threads   int
	fraction  float64
	cold      int
	coldConns int
	maxReqs   int64
	tool      string
	rounds    int
	total     time.Duration
	scripts   bool
	peers     string
	warmup    int
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var o options
	fs := flag.NewFlagSet("loadbench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.mode, "mode", "throughput", "throughput: the hit and render scenarios; rss: peak RSS of an embedded service asked for -n distinct og images; redis-bytes: Redis memory per invitation after -n og images; peers: -n cold og renders per script and format through the service, then the peers in -peers")
	fs.IntVar(&o.n, "n", 0, "invitations for -mode rss (default 2000), redis-bytes (default 300) and peers (per set and the peers' N, default 30)")
	fs.StringVar(&o.peers, "peers", "../shared/peers", "for -mode peers: the folder holding satori/ and takumi/, each after npm ci (a peer that is not ready is skipped with the reason)")
	fs.IntVar(&o.warmup, "warmup", peerWarmUp, "for -mode peers: uncounted cold renders per set before timing (the peers' bench.mjs does 5)")
	fs.StringVar(&o.memory, "memory", "64MiB", "SHARECARD_CACHE_MEMORY for -mode rss")
	fs.BoolVar(&o.scripts, "scripts", false, "-mode rss: names in every script the fallback chain covers, so every font is loaded (default: Latin names)")
	fs.StringVar(&o.bin, "sharecard", "", "the sharecard binary (empty: go build ./cmd/sharecard into a temporary directory)")
	fs.StringVar(&o.redisURL, "redis", "", "Redis for (b), (c) and (d') (empty: start a private redis-server on a free loopback port)")
	fs.DurationVar(&o.dur, "d", 5*time.Second, "duration of each flat-out measurement")
	fs.DurationVar(&o.rateDur, "rd", 5*time.Second, "duration of each fixed-rate measurement")
	fs.IntVar(&o.conns, "c", 32, "connections for the hit measurements")
	fs.IntVar(&o.threads, "t", 2, "wrk threads")
	fs.Float64Var(&o.fraction, "rate", 0.3, "fixed rate as a fraction of flat out (0-1): of the slowest hit scenario for (a), (b), (d), (d'); of its own for (c)")
	fs.IntVar(&o.cold, "cold", 2000, "invitations minted for the cold renders (each is rendered once)")
	fs.IntVar(&o.coldConns, "cold-c", 2*runtime.NumCPU(), "connections for the cold renders, and for the memory modes' fetches")
	fs.Int64Var(&o.maxReqs, "max", 2_000_000, "most requests in one flat-out measurement of the built-in generator")
	fs.StringVar(&o.tool, "tool", "auto", "flat-out load generator: auto (wrk if installed), wrk or go")
	fs.IntVar(&o.rounds, "rounds", 3, "flat-out rounds of the hit scenarios, run in turn; the median is reported")
	fs.DurationVar(&o.total, "timeout", 10*time.Minute, "stop everything after this long")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if o.n == 0 {
		o.n = map[string]int{"rss": 2000, "redis-bytes": 300, "peers": 30}[o.mode]
	}
	switch {
	case o.mode != "throughput" && o.mode != "rss" && o.mode != "redis-bytes" && o.mode != "peers":
		return errors.New("-mode must be throughput, rss, redis-bytes or peers")
	case o.mode != "throughput" && (o.n < 10 || o.n > 100_000):
		return errors.New("-n must be 10-100000")
	case o.dur < time.Second || o.rateDur < time.Second:
		return errors.New("-d and -rd must be at least 1s")
	case o.fraction <= 0 || o.fraction > 1:
		return errors.New("-rate must be in (0, 1]")
	case o.cold < 10 || o.cold > 100_000:
		return errors.New("-cold must be 10-100000")
	case o.conns < 1 || o.coldConns < 1 || o.threads < 1 || o.conns < o.threads:
		return errors.New("-c, -cold-c and -t must be positive, -c at least -t")
	case o.mode == "peers" && o.n > 45:
		return errors.New("-mode peers: -n must be 10-45 (distinct names per set)")
	case o.warmup < 0 || o.warmup > 5:
		return errors.New("-warmup must be 0-5")
	case o.rounds < 1 || o.rounds > 9:
		return errors.New("-rounds must be 1-9")
	case o.tool != "auto" && o.tool != "wrk" && o.tool != "go":
		return errors.New("-tool must be auto, wrk or go")
	}
	if _, err := config.ParseBytes(o.memory); err != nil {
		return fmt.Errorf("-memory: %w", err)
	}
	useWrk := o.tool == "wrk"
	if _, err := exec.LookPath("wrk"); err != nil {
		if o.tool == "wrk" {
			return errors.New("-tool wrk: wrk is not installed (apt-get install wrk)")
		}
		if o.tool == "auto" && o.mode == "throughput" {
			fmt.Fprintln(stderr, "loadbench: wrk is NOT installed; flat-out figures come from the built-in Go generator, which shares the CPUs with the server and reads lower (apt-get install wrk)")
		}
	} else if o.tool == "auto" {
		useWrk = true
	}
	ctx, cancel := context.WithTimeout(ctx, o.total)
	defer cancel()

	dir, err := os.MkdirTemp("", "loadbench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	b := &bench{o: o, dir: dir, log: stderr, wrk: useWrk}
	defer b.stopAll()
	switch o.mode {
	case "rss":
		return b.peakRSS(ctx, stdout)
	case "redis-bytes":
		return b.redisBytes(ctx, stdout)
	case "peers":
		return b.peers(ctx, stdout)
	}
	if err := b.setUp(ctx); err != nil {
		return err
	}
	if err := b.measure(ctx); err != nil {
		return err
	}
	b.report(stdout)
	return nil
}

// bench is one run: the processes it started and what it measured.
type bench struct {
	o     options
	dir   string
	log   io.Writer
	wrk   bool
	procs []*proc

	redisURL              string
	memURL, redisURLImg   string // (a) and (b): the same image on two services
	memRedisURL           string // (a'): the same image, memory hit on a Redis-backed service
	bareURL, bareRedisURL string
	coldFlat, coldRate    []string
	rendered              []string // the cold images (c) rendered, for (b')
	body                  []byte
	svcRedis              string

	flat, rate  map[string]figures
	coldMetrics string
}

func (b *bench) logf(format string, args ...any) {
	fmt.Fprintf(b.log, "loadbench: "+format+"\n", args...)
}

func (b *bench) stopAll() {
	for i := len(b.procs) - 1; i >= 0; i-- {
		b.procs[i].stop()
	}
}

// binary is -sharecard, or sharecard built into the run's directory.
func (b *bench) binary(ctx context.Context) (string, error) {
	if b.o.bin != "" {
		return b.o.bin, nil
	}
	bin := filepath.Join(b.dir, "sharecard")
	b.logf("go build ./cmd/sharecard")
	cmd := exec.CommandContext(ctx, "go", "build", "-o", bin, "./cmd/sharecard")
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build ./cmd/sharecard (run from the module root): %v\n%s", err, out)
	}
	return bin, nil
}

func (b *bench) setUp(ctx context.Context) error {
	bin, err := b.binary(ctx)
	if err != nil {
		return err
	}
	b.redisURL = b.o.redisURL
	if b.redisURL == "" {
		p, url, err := startRedis(ctx, b.dir)
		if err != nil {
			return err
		}
		b.procs = append(b.procs, p)
		b.redisURL = url
	}
	secret, admin := randomHex(32), randomHex(16)
	// (a): memory only. (b), (c): Redis, and a memory tier too small to hold
	// an image, so every hit is a Redis hit.
	mem, err := startService(ctx, bin, b.dir, "sharecard-memory", secret, admin, "", "256MiB")
	if err != nil {
		return err
	}
	b.procs = append(b.procs, mem.proc)
	red, err := startService(ctx, bin, b.dir, "sharecard-redis", secret, admin, b.redisURL, "1B")
	if err != nil {
		return err
	}
	b.procs = append(b.procs, red.proc)
	b.svcRedis = red.base
	// (a'): a memory hit like (a), on a service configured with Redis, so
	// that (a') and (b) differ only in the tier that answers.
	redMem, err := startService(ctx, bin, b.dir, "sharecard-redis-memory", secret, admin, b.redisURL, "256MiB")
	if err != nil {
		return err
	}
	b.procs = append(b.procs, redMem.proc)

	inv, err := mint(ctx, mem.base, admin, "Lars Hansen")
	if err != nil {
		return err
	}
	b.memURL = inv
	b.redisURLImg = red.base + strings.TrimPrefix(inv, mem.base)
	b.memRedisURL = redMem.base + strings.TrimPrefix(inv, mem.base)
	if b.body, err = fetch(ctx, b.memURL); err != nil {
		return fmt.Errorf("warm (a): %w", err)
	}
	if _, err := fetch(ctx, b.redisURLImg); err != nil {
		return fmt.Errorf("warm (b): %w", err)
	}
	time.Sleep(300 * time.Millisecond) // the Redis write is asynchronous
	again, err := fetch(ctx, b.redisURLImg)
	if err != nil || string(again) != string(b.body) {
		return fmt.Errorf("(b) answers other bytes than (a): %v", err)
	}
	if again, err := fetch(ctx, b.memRedisURL); err != nil || string(again) != string(b.body) {
		return fmt.Errorf("(a') answers other bytes than (a): %v", err)
	}
	b.logf("image: %d bytes (og.jpg)", len(b.body))

	bodyFile := filepath.Join(b.dir, "body")
	if err := os.WriteFile(bodyFile, b.body, 0o600); err != nil {
		return err
	}
	bare, err := startBare(ctx, b.dir, "bare", "-file", bodyFile)
	if err != nil {
		return err
	}
	b.procs = append(b.procs, bare.proc)
	b.bareURL = bare.base + "/og.jpg"
	bareRedis, err := startBare(ctx, b.dir, "bare-redis", "-file", bodyFile, "-redis", b.redisURL, "-key", "loadbench:"+randomHex(8)+":og")
	if err != nil {
		return err
	}
	b.procs = append(b.procs, bareRedis.proc)
	b.bareRedisURL = bareRedis.base + "/og.jpg"

	b.logf("minting %d invitations for the cold renders", b.o.cold)
	cold, err := mintMany(ctx, red.base, admin, b.o.cold)
	if err != nil {
		return err
	}
	b.coldFlat, b.coldRate = cold[:len(cold)/2], cold[len(cold)/2:]
	return nil
}

// scenarios in report order.
var scenarios = []struct{ id, name string }{
	{"d", "(d)  bare net/http, bytes from a variable"},
	{"a", "(a)  sharecard, memory-tier hit"},
	{"a'", "(a') sharecard with Redis, memory-tier hit"},
	{"d'", "(d') bare net/http + one Redis GET"},
	{"b", "(b)  sharecard, Redis-tier hit, one image"},
	{"b'", "(b') sharecard, Redis-tier hit, many images in turn"},
	{"c", "(c)  sharecard, cold render (og.jpg)"},
}

// measureOrder runs (c) first: (b') asks for the images (c) made. The hit
// scenarios then run in turn, -rounds times, so a neighbour's burst on a
// shared machine hits all of them rather than one.
var measureOrder = []string{"d", "a", "a'", "d'", "b", "b'"}

func (b *bench) measure(ctx context.Context) error {
	b.flat, b.rate = map[string]figures{}, map[string]figures{}
	hitURL := map[string]string{"d": b.bareURL, "a": b.memURL, "a'": b.memRedisURL, "d'": b.bareRedisURL, "b": b.redisURLImg}
	before, _ := scrape(ctx, b.svcRedis)
	names := map[string]string{}
	for _, s := range scenarios {
		names[s.id] = s.name
	}
	cold := &urlList{list: b.coldFlat}
	b.logf("%s: flat out, %d connections, at most %d renders", names["c"], b.o.coldConns, len(b.coldFlat))
	b.flat["c"] = flatOut(ctx, cold, b.o.coldConns, b.o.dur, int64(len(b.coldFlat)))
	// (b') asks for the images rendered here, now in Redis, in turn: no
	// two concurrent requests share a key, so each is a Redis GET of its
	// own (for one image, concurrent memory misses share one GET).
	b.rendered = b.coldFlat[:min(int(cold.i.Load()), len(b.coldFlat))]
	time.Sleep(time.Second) // the Redis writes are asynchronous
	rounds := map[string][]figures{}
	for round := range b.o.rounds {
		for _, id := range measureOrder {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			f, err := b.flatOut(ctx, id, names[id], hitURL[id], round)
			if err != nil {
				return err
			}
			rounds[id] = append(rounds[id], f)
			time.Sleep(500 * time.Millisecond) // let the CPUs settle
		}
	}
	for id, fs := range rounds {
		b.flat[id] = median(fs)
	}
	// The hit scenarios share one rate, a fraction of the slowest one's
	// flat-out rate, so their latencies compare at the same load; the cold
	// renders get the same fraction of their own.
	hitRate := b.flat["d"].ReqPerS
	for _, id := range []string{"a", "a'", "d'", "b", "b'"} {
		hitRate = min(hitRate, b.flat[id].ReqPerS)
	}
	for _, s := range scenarios {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		rate := max(1, hitRate*b.o.fraction)
		var u urls = sameURL(hitURL[s.id])
		conns := b.o.conns * 4
		if s.id == "b'" {
			u = &cycle{list: b.rendered}
		}
		if s.id == "c" {
			rate = max(1, b.flat["c"].ReqPerS*b.o.fraction)
			u, conns = &urlList{list: b.coldRate}, b.o.coldConns*4
		}
		b.logf("%s: fixed rate %.0f/s for %s", s.name, rate, b.o.rateDur)
		b.rate[s.id] = fixedRate(ctx, u, rate, b.o.rateDur, conns)
		time.Sleep(500 * time.Millisecond)
	}
	after, err := scrape(ctx, b.svcRedis)
	if err == nil {
		d := func(name string) float64 { return after[name] - before[name] }
		b.coldMetrics = fmt.Sprintf("Redis-backed service during the run: %.0f Redis hits, %.0f Redis misses, %.0f renders, %.0f Redis errors, %.0f calls skipped by the breaker, %.0f writes dropped",
			d(`sharecard_cache_hits_total{tier="redis"}`), d(`sharecard_cache_misses_total{tier="redis"}`), d("sharecard_cache_renders_total"),
			sumPrefix(after, "sharecard_cache_redis_errors_total")-sumPrefix(before, "sharecard_cache_redis_errors_total"),
			d("sharecard_cache_redis_skipped_total"), d("sharecard_cache_redis_writes_dropped_total"))
	}
	return nil
}

func sumPrefix(m map[string]float64, prefix string) float64 {
	var n float64
	for k, v := range m {
		if strings.HasPrefix(k, prefix) {
			n += v
		}
	}
	return n
}

// flatOut measures one hit scenario flat out.
func (b *bench) flatOut(ctx context.Context, id, name, url string, round int) (figures, error) {
	tag := fmt.Sprintf("round %d/%d", round+1, b.o.rounds)
	switch {
	case b.wrk && id == "b'":
		b.logf("%s: flat out (wrk -t%d -c%d -d%s, %d paths), %s", name, b.o.threads, b.o.conns, b.o.dur, len(b.rendered), tag)
		return wrkFlatOut(ctx, b.dir, b.svcRedis+"/", b.paths(b.rendered), b.o.threads, b.o.conns, b.o.dur)
	case b.wrk:
		b.logf("%s: flat out (wrk -t%d -c%d -d%s), %s", name, b.o.threads, b.o.conns, b.o.dur, tag)
		return wrkFlatOut(ctx, b.dir, url, nil, b.o.threads, b.o.conns, b.o.dur)
	}
	b.logf("%s: flat out (Go generator, %d connections), %s", name, b.o.conns, tag)
	var u urls = sameURL(url)
	if id == "b'" {
		u = &cycle{list: b.rendered}
	}
	return flatOut(ctx, u, b.o.conns, b.o.dur, b.o.maxReqs), nil
}

// median is the round with the median rate, noting the spread.
func median(fs []figures) figures {
	sorted := slices.Clone(fs)
	slices.SortFunc(sorted, func(x, y figures) int { return cmp.Compare(x.ReqPerS, y.ReqPerS) })
	m := sorted[len(sorted)/2]
	if len(sorted) > 1 {
		m.Note = strings.TrimSpace(fmt.Sprintf("median of %d rounds, req/s %.0f-%.0f; %s", len(sorted), sorted[0].ReqPerS, sorted[len(sorted)-1].ReqPerS, m.Note))
	}
	return m
}

func (b *bench) report(w io.Writer) {
	load, _ := os.ReadFile("/proc/loadavg")
	fmt.Fprintf(w, "\nloadbench: %d CPUs, load average %s, image %d bytes, Redis %s\n",
		runtime.NumCPU(), strings.Join(strings.Fields(string(load))[:min(3, len(strings.Fields(string(load))))], " "), len(b.body), b.redisURL)
	if b.coldMetrics != "" {
		fmt.Fprintln(w, b.coldMetrics)
	}
	table := func(title string, m map[string]figures) {
		fmt.Fprintf(w, "\n%s\n\n", title)
		fmt.Fprintln(w, "| scenario | tool | conns | target/s | req/s (200) | p50 | p99 | non-200 | errors |")
		fmt.Fprintln(w, "|---|---|---:|---:|---:|---:|---:|---:|---:|")
		for _, s := range scenarios {
			f := m[s.id]
			target := "flat out"
			if f.Rate > 0 {
				target = fmt.Sprintf("%.0f", f.Rate)
			}
			fmt.Fprintf(w, "| %s | %s | %d | %s | %.0f | %s | %s | %d | %d |\n", s.name, f.Tool, f.Conns, target, f.ReqPerS, ms(f.P50), ms(f.P99), f.Non200, f.Errors)
		}
		for _, s := range scenarios {
			if n := m[s.id].Note; n != "" {
				fmt.Fprintf(w, "\n%s: %s\n", s.id, n)
			}
		}
	}
	table("Flat out", b.flat)
	table(fmt.Sprintf("Fixed rate (hits: %.0f %% of the slowest hit scenario's flat-out rate, the same for every hit scenario; cold: %.0f %% of its own; latency from each request's scheduled start)", 100*b.o.fraction, 100*b.o.fraction), b.rate)
	ratio := func(name, x, y string, goal float64) {
		r := b.flat[x].ReqPerS / b.flat[y].ReqPerS
		verdict := "met"
		if r < goal {
			verdict = "MISSED"
		}
		fmt.Fprintf(w, "%s: (%s)/(%s) = %.0f %% (goal ≥ %.0f %%: %s)\n", name, x, y, 100*r, 100*goal, verdict)
	}
	fmt.Fprintln(w)
	ratio("memory-tier hit vs bare handler", "a", "d", 0.80)
	ratio("memory-tier hit (service with Redis) vs bare handler", "a'", "d", 0.80)
	ratio("Redis-tier hit (one image) vs bare handler + Redis GET", "b", "d'", 0.70)
	ratio("Redis-tier hit (many images) vs bare handler + Redis GET", "b'", "d'", 0.70)
}

// paths strips the service's base from urls.
func (b *bench) paths(urls []string) []string {
	var out []string
	for _, u := range urls {
		out = append(out, strings.TrimPrefix(u, b.svcRedis))
	}
	return out
}

func ms(d time.Duration) string {
	if d == 0 {
		return "-"
	}
	return fmt.Sprintf("%.2f ms", float64(d)/float64(time.Millisecond))
}
