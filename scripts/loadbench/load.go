package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// figures are what one measurement reports.
type figures struct {
	Tool     string
	Conns    int
	Rate     float64 // target rate; 0 = flat out
	ReqPerS  float64 // answered 200 per second
	P50, P99 time.Duration
	Non200   int64
	Errors   int64
	Requests int64
	Note     string
}

// urls hands out the URLs to request: the same one for hits, a new one per
// request for cold renders (ok is false once they run out).
type urls interface{ next() (string, bool) }

type sameURL string

func (u sameURL) next() (string, bool) { return string(u), true }

type urlList struct {
	list []string
	i    atomic.Int64
}

func (u *urlList) next() (string, bool) {
	i := u.i.Add(1) - 1
	if i >= int64(len(u.list)) {
		return "", false
	}
	return u.list[i], true
}

// cycle hands out its URLs in turn, forever: many keys, each a hit.
type cycle struct {
	list []string
	i    atomic.Int64
}

func (u *cycle) next() (string, bool) {
	return u.list[(u.i.Add(1)-1)%int64(len(u.list))], true
}

func newClient(conns int) *http.Client {
	return &http.Client{
		Timeout: 10 * time.Second,
		Transport: &http.Transport{
			MaxIdleConns: conns, MaxIdleConnsPerHost: conns, MaxConnsPerHost: conns,
			DisableCompression: true, IdleConnTimeout: 30 * time.Second,
		},
	}
}

// get fetches u and reports whether the answer was a 200.
func get(c *http.Client, u string) (int, error) {
	resp, err := c.Get(u)
	if err != nil {
		return 0, err
	}
	_, err = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode, err
}

// recorder collects latencies of one measurement.
type recorder struct {
	mu       sync.Mutex
	lat      []time.Duration
	non200   atomic.Int64
	errs     atomic.Int64
	firstErr atomic.Value
}

func (r *recorder) record(d time.Duration, status int, err error) {
	switch {
	case err != nil:
		r.errs.Add(1)
		r.firstErr.CompareAndSwap(nil, err.Error())
		return
	case status != http.StatusOK:
		r.non200.Add(1)
		return
	}
	r.mu.Lock()
	r.lat = append(r.lat, d)
	r.mu.Unlock()
}

func (r *recorder) figures(tool string, conns int, rate float64, elapsed time.Duration) figures {
	slices.Sort(r.lat)
	f := figures{Tool: tool, Conns: conns, Rate: rate, Non200: r.non200.Load(), Errors: r.errs.Load()}
	f.Requests = int64(len(r.lat)) + f.Non200 + f.Errors
	f.ReqPerS = float64(len(r.lat)) / elapsed.Seconds()
	if n := len(r.lat); n > 0 {
		f.P50 = r.lat[n*50/100]
		f.P99 = r.lat[min(n-1, n*99/100)]
	}
	if e, ok := r.firstErr.Load().(string); ok {
		f.Note = "first error: " + e
	}
	return f
}

// flatOut runs conns closed-loop workers for d or until max requests or
// the URLs run out, whichever comes first.
func flatOut(ctx context.Context, u urls, conns int, d time.Duration, max int64) figures {
	c := newClient(conns)
	defer c.CloseIdleConnections()
	var rec recorder
	var sent atomic.Int64
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	start := time.Now()
	var wg sync.WaitGroup
	for range conns {
		wg.Go(func() {
			for ctx.Err() == nil && sent.Add(1) <= max {
				url, ok := u.next()
				if !ok {
					return
				}
				t0 := time.Now()
				status, err := get(c, url)
				rec.record(time.Since(t0), status, err)
			}
		})
	}
	wg.Wait()
	return rec.figures("go", conns, 0, time.Since(start))
}

// fixedRate sends requests on a schedule (open loop), rate per second for
// d, and measures each latency from its scheduled start, so a stall counts
// against every request it delays (no coordinated omission).
func fixedRate(ctx context.Context, u urls, rate float64, d time.Duration, maxInFlight int) figures {
	c := newClient(maxInFlight)
	defer c.CloseIdleConnections()
	var rec recorder
	var late atomic.Int64
	sem := make(chan struct{}, maxInFlight)
	interval := time.Duration(float64(time.Second) / rate)
	start := time.Now()
	n := int64(d.Seconds() * rate)
	var wg sync.WaitGroup
	for i := range n {
		at := start.Add(time.Duration(i) * interval)
		if w := time.Until(at); w > 0 {
			select {
			case <-time.After(w):
			case <-ctx.Done():
				i = n
			}
		}
		if ctx.Err() != nil {
			break
		}
		url, ok := u.next()
		if !ok {
			break
		}
		select {
		case sem <- struct{}{}:
		default:
			late.Add(1) // every connection busy: counted, then waited for
			sem <- struct{}{}
		}
		wg.Go(func() {
			defer func() { <-sem }()
			status, err := get(c, url)
			rec.record(time.Since(at), status, err)
		})
	}
	wg.Wait()
	f := rec.figures("go", maxInFlight, rate, time.Since(start))
	if l := late.Load(); l > 0 {
		f.Note = strings.TrimSpace(fmt.Sprintf("%d sends found all %d connections busy; %s", l, maxInFlight, f.Note))
	}
	return f
}

// wrkFlatOut runs wrk against one URL, or against the paths in turn when
// there are some (each thread starting at its own share of the list), and
// reads its summary.
func wrkFlatOut(ctx context.Context, dir, url string, paths []string, threads, conns int, d time.Duration) (figures, error) {
	args := []string{"-t" + strconv.Itoa(threads), "-c" + strconv.Itoa(conns),
		"-d" + strconv.Itoa(int(d.Seconds())) + "s", "--latency", "--timeout", "10s"}
	if len(paths) > 0 {
		var lua strings.Builder
		lua.WriteString("local paths = {\n")
		for _, p := range paths {
			fmt.Fprintf(&lua, "  %q,\n", p)
		}
		fmt.Fprintf(&lua, `}
local threads = 0
function setup(thread) thread:set("id", threads); threads = threads + 1 end
local i = 0
function init(args) i = math.floor(id * #paths / %d) end
function request() i = (i %% #paths) + 1; return wrk.format(nil, paths[i]) end
`, threads)
		script := filepath.Join(dir, "paths.lua")
		if err := os.WriteFile(script, []byte(lua.String()), 0o600); err != nil {
			return figures{}, err
		}
		args = append(args, "-s", script)
	}
	cmd := exec.CommandContext(ctx, "wrk", append(args, url)...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		return figures{}, fmt.Errorf("wrk: %v\n%s", err, out)
	}
	return parseWrk(string(out), conns)
}

var (
	wrkRate   = regexp.MustCompile(`Requests/sec:\s+([0-9.]+)`)
	wrkPct    = regexp.MustCompile(`(?m)^\s+(50|99)%\s+([0-9.]+)(us|ms|s)\s*$`)
	wrkNon2xx = regexp.MustCompile(`Non-2xx or 3xx responses:\s+(\d+)`)
	wrkReqs   = regexp.MustCompile(`(\d+) requests in`)
	wrkErrs   = regexp.MustCompile(`Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)`)
)

func parseWrk(out string, conns int) (figures, error) {
	f := figures{Tool: "wrk", Conns: conns}
	m := wrkRate.FindStringSubmatch(out)
	if m == nil {
		return f, fmt.Errorf("no Requests/sec in wrk output:\n%s", out)
	}
	f.ReqPerS, _ = strconv.ParseFloat(m[1], 64)
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		if m := wrkPct.FindStringSubmatch(sc.Text()); m != nil {
			v, _ := strconv.ParseFloat(m[2], 64)
			unit := map[string]time.Duration{"us": time.Microsecond, "ms": time.Millisecond, "s": time.Second}[m[3]]
			d := time.Duration(v * float64(unit))
			if m[1] == "50" {
				f.P50 = d
			} else {
				f.P99 = d
			}
		}
	}
	if m := wrkReqs.FindStringSubmatch(out); m != nil {
		f.Requests, _ = strconv.ParseInt(m[1], 10, 64)
	}
	if m := wrkNon2xx.FindStringSubmatch(out); m != nil {
		f.Non200, _ = strconv.ParseInt(m[1], 10, 64)
		// wrk counts non-2xx in Requests/sec; report answered 200s only.
		if f.Requests > 0 {
			f.ReqPerS *= float64(f.Requests-f.Non200) / float64(f.Requests)
		}
	}
	if m := wrkErrs.FindStringSubmatch(out); m != nil {
		for _, s := range m[1:] {
			n, _ := strconv.ParseInt(s, 10, 64)
			f.Errors += n
		}
	}
	return f, nil
}
