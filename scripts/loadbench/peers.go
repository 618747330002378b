package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"
)

// The goals of issue 9 ("Against the peers, through the service"): the
// median time of fetching a cold og image through the running service, as
// a fraction of a peer renderer's median time for the comparable card,
// measured in the same run on the same machine.
const (
	latinGoalSatori  = 0.10 // Latin names, JPEG and PNG alike, of satori's total
	latinGoalTakumi  = 0.50 // Latin names, JPEG and PNG alike, of Takumi's PNG total
	scriptGoalTakumi = 0.75 // Arabic, Chinese, Hindi, emoji titles, of Takumi's PNG total
	peerWarmUp       = 5    // the peers' bench.mjs renders five cards before timing
)

// invitee is what one invitation is minted with.
type invitee struct{ name, title string }

// peerScript is one kind of invitee, written as people of that language
// write their names: given names crossed with family names, so a run
// never asks for the same card twice.
type peerScript struct {
	id    string
	label string
	goalS float64 // of satori's total; 0: no goal
	goalT float64 // of Takumi's PNG total
	pool  func(i int) invitee
	size  int // distinct invitees pool can give
}

// cross is the i-th name of firsts × lasts (mixed radix, first names
// fastest, as the peers' personName), joined by sep.
func cross(firsts, lasts []string, sep string, i int) string {
	return firsts[i%len(firsts)] + sep + lasts[(i/len(firsts))%len(lasts)]
}

// Danish names, as the peers draw them (../shared/peers/satori/card.mjs).
var (
	daFirst  = []string{"Lars", "Mette", "Søren", "Åse", "Jørgen", "Birthe", "Kåre", "Dorthe"}
	daMiddle = []string{"Løkke", "Kærgaard", "Østergaard", "Bøgh", "Holm", "Skærbæk", "Vestergård", "Brøndum"}
	daLast   = []string{"Rasmussen", "Frederiksen", "Sørensen", "Ærenlund", "Nørgaard", "Poulsen", "Møller", "Kjærsgaard", "Thorning"}

	arFirst = []string{"محمد", "أحمد", "فاطمة", "ليلى", "عمر", "يوسف", "مريم", "خالد", "نور", "سارة", "هدى"}
	arLast  = []string{"علي", "حداد", "الحسيني", "منصور", "الخطيب", "النجار", "عبد الله", "الشامي", "البدوي", "القاسم"}

	zhFamily = []string{"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "周", "吴", "徐", "孙"}
	zhGiven  = []string{"小明", "伟", "静", "秀英", "建国", "丽娜", "嘉怡", "志强", "雨桐"}

	hiFirst = []string{"अनुष्का", "राहुल", "प्रियंका", "सचिन", "अमित", "पूजा", "विकास", "नेहा", "अर्जुन", "दीपिका", "कविता", "रोहित"}
	hiLast  = []string{"शर्मा", "वर्मा", "गुप्ता", "सिंह", "पटेल", "चोपड़ा", "द्रविड़", "जोशी", "मेहता", "रेड्डी"}

	// Names may not hold emoji by default; titles may.
	emojiTitles = []string{"Chief Happiness Officer 👩‍💼", "Raketforsker 🚀👍🏽", "Holdkaptajn 👨‍👩‍👧 🇩🇰",
		"Nummer 1️⃣ ✨", "Festarrangør 🎉", "Bæredygtighedschef 🌍🌱"}
)

// danishName is the peers' personName(i) for i below 576.
func danishName(i int) string {
	return daFirst[i%8] + " " + daMiddle[(i/8)%8] + " " + daLast[(i/64)%9]
}

var peerScripts = []peerScript{
	{id: "latin", label: "Latin names", goalS: latinGoalSatori, goalT: latinGoalTakumi, size: 8 * 8 * 9,
		pool: func(i int) invitee { return invitee{name: danishName(i)} }},
	{id: "arabic", label: "Arabic names", goalT: scriptGoalTakumi, size: len(arFirst) * len(arLast),
		pool: func(i int) invitee { return invitee{name: cross(arFirst, arLast, " ", i)} }},
	{id: "chinese", label: "Chinese names", goalT: scriptGoalTakumi, size: len(zhFamily) * len(zhGiven),
		// the family name first: i steps through family names fastest
		pool: func(i int) invitee { return invitee{name: cross(zhFamily, zhGiven, "", i)} }},
	{id: "hindi", label: "Hindi names", goalT: scriptGoalTakumi, size: len(hiFirst) * len(hiLast),
		pool: func(i int) invitee { return invitee{name: cross(hiFirst, hiLast, " ", i)} }},
	// Danish names from the far end of the peers' list, so none is a
	// Latin set's name; the emoji are in the title.
	{id: "emoji", label: "Latin names, emoji titles", goalT: scriptGoalTakumi, size: 8 * 8 * 9,
		pool: func(i int) invitee {
			return invitee{name: danishName(8*8*9 - 1 - i), title: emojiTitles[i%len(emojiTitles)]}
		}},
}

var peerFormats = []string{"jpg", "png"}

// peerSet is the cold renders of one script in one format.
type peerSet struct {
	script peerScript
	format string
	inv    []invitee // the warm-up ones first
	warm   []string  // fetched before timing, not counted
	urls   []string
	took   []time.Duration // per fetch, request sent to body read
	cpu    []time.Duration // the service's CPU time per fetch
	bytes  []int
}

func (s *peerSet) key() string { return s.script.id + "/" + s.format }

// invitees are the warm-up and the measured invitees of script in the
// fi-th format: every set gets names no other set of the run has.
func invitees(sc peerScript, fi, n, warm int) ([]invitee, error) {
	per := n + warm
	if per*len(peerFormats) > sc.size {
		return nil, fmt.Errorf("%s: %d distinct names for %d formats × (%d + %d warm-up) cards", sc.id, sc.size, len(peerFormats), n, warm)
	}
	out := make([]invitee, per)
	for i := range out {
		out[i] = sc.pool(fi*per + i)
	}
	return out, nil
}

// withFormat turns an og.jpg URL into the same image's URL in format.
func withFormat(url, format string) (string, error) {
	const jpg = "/og.jpg"
	i := strings.Index(url, jpg)
	if i < 0 {
		return "", fmt.Errorf("not an og.jpg URL: %s", url)
	}
	return url[:i] + "/og." + format + url[i+len(jpg):], nil
}

// quantile is the peers' q(a, p): the element at floor(len·p) of the
// sorted values (for 30 values the median is the 16th), so both sides
// report the same statistic.
func quantile(ds []time.Duration, p float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[min(len(s)-1, int(float64(len(s))*p))]
}

// peerResult is one peer's bench.mjs run.
type peerResult struct {
	name    string
	command string
	median  time.Duration // the "total" line's median
	header  string        // the versions line bench.mjs prints first
	stages  []string      // its per-stage lines ("png  median … cpu median …")
	skipped string        // why it was not run
	output  string
}

// parsePeerTotal reads bench.mjs's output: its first line (versions) and
// the median of the line starting with "total":
//
//	total                  median 94.51 ms  p95 120.33 ms  min 90.02 ms
func parsePeerTotal(out string) (header string, median time.Duration, err error) {
	sc := bufio.NewScanner(strings.NewReader(out))
	found := false
	for sc.Scan() {
		line := sc.Text()
		if header == "" {
			header = line
		}
		f := strings.Fields(line)
		if len(f) < 4 || f[0] != "total" || f[1] != "median" || f[3] != "ms" {
			continue
		}
		v, perr := strconv.ParseFloat(f[2], 64)
		if perr != nil || !(v > 0 && v < 1e7) { // NaN and Infinity parse too
			return header, 0, fmt.Errorf("bad total line %q", line)
		}
		median, found = time.Duration(v*float64(time.Millisecond)), true
	}
	if !found {
		return header, 0, errors.New("no \"total median X ms\" line")
	}
	return header, median, nil
}

// peerDir checks that dir/name is a peer folder ready to run, and says
// what to do when it is not.
func peerDir(root, name string) (string, string) {
	dir := filepath.Join(root, name)
	if _, err := os.Stat(filepath.Join(dir, "bench.mjs")); err != nil {
		return "", fmt.Sprintf("%s has no bench.mjs (pass -peers DIR, the folder holding satori/ and takumi/)", dir)
	}
	if _, err := os.Stat(filepath.Join(dir, "node_modules")); err != nil {
		return "", fmt.Sprintf("%s has no node_modules: copy the peers somewhere writable and run `npm ci --no-audit --no-fund` in each (cp -r ../shared/peers /tmp/peers; then -peers /tmp/peers)", dir)
	}
	return dir, ""
}

// runPeer runs node bench.mjs in the peer's folder, its PNG written to the
// run's directory rather than into the folder.
func (b *bench) runPeer(ctx context.Context, name string, extra ...string) peerResult {
	r := peerResult{name: name}
	node, err := exec.LookPath("node")
	if err != nil {
		r.skipped = "node is not installed"
		return r
	}
	dir, why := peerDir(b.o.peers, name)
	if dir == "" {
		r.skipped = why
		return r
	}
	args := append([]string{"bench.mjs", strconv.Itoa(b.o.n)}, extra...)
	r.command = "(cd " + dir + " && node " + strings.Join(args, " ") + ")"
	args = append(args, "--out", filepath.Join(b.dir, name+".png"))
	ctx, cancel := context.WithTimeout(ctx, 4*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, args...)
	cmd.Dir = dir
	b.logf("%s (load average %s)", r.command, loadAverage())
	out, err := cmd.CombinedOutput()
	r.output = string(out)
	if err != nil {
		r.skipped = fmt.Sprintf("failed: %v\n%s", err, tailString(r.output, 1500))
		return r
	}
	if r.header, r.median, err = parsePeerTotal(r.output); err != nil {
		r.skipped = fmt.Sprintf("output not understood: %v\n%s", err, tailString(r.output, 1500))
	}
	for _, line := range strings.Split(r.output, "\n") {
		if strings.Contains(line, " median ") && !strings.HasPrefix(line, "total ") {
			r.stages = append(r.stages, line)
		}
	}
	return r
}

func tailString(s string, n int) string {
	if len(s) > n {
		return s[len(s)-n:]
	}
	return s
}

// threadsCPU is the CPU time pid's threads have run, from the scheduler's
// nanosecond counters (/proc/PID/task/*/schedstat), not clock ticks.
func threadsCPU(pid int) (time.Duration, error) {
	dirs, err := os.ReadDir(fmt.Sprintf("/proc/%d/task", pid))
	if err != nil {
		return 0, err
	}
	var sum time.Duration
	for _, d := range dirs {
		b, err := os.ReadFile(fmt.Sprintf("/proc/%d/task/%s/schedstat", pid, d.Name()))
		if err != nil {
			continue // the thread ended
		}
		ns, err := schedstatRun(string(b))
		if err != nil {
			return 0, err
		}
		sum += ns
	}
	return sum, nil
}

// schedstatRun is the first field of a schedstat file: time spent running.
func schedstatRun(s string) (time.Duration, error) {
	f := strings.Fields(s)
	if len(f) == 0 {
		return 0, errors.New("empty schedstat")
	}
	ns, err := strconv.ParseInt(f[0], 10, 64)
	if err != nil {
		return 0, fmt.Errorf("schedstat: %w", err)
	}
	return time.Duration(ns), nil
}

// peers measures cold og renders through the service, then the peers.
func (b *bench) peers(ctx context.Context, w io.Writer) error {
	bin, err := b.binary(ctx)
	if err != nil {
		return err
	}
	var sets []*peerSet
	for _, sc := range peerScripts {
		for fi, f := range peerFormats {
			inv, err := invitees(sc, fi, b.o.n, b.o.warmup)
			if err != nil {
				return err
			}
			sets = append(sets, &peerSet{script: sc, format: f, inv: inv})
		}
	}
	secret, admin := randomHex(32), randomHex(16)
	svc, err := startService(ctx, bin, b.dir, "sharecard-peers", secret, admin, "", "256MiB")
	if err != nil {
		return err
	}
	b.procs = append(b.procs, svc.proc)
	pid := svc.proc.cmd.Process.Pid

	b.logf("minting %d invitations per set (%d warm-up, %d measured), %d sets", b.o.n+b.o.warmup, b.o.warmup, b.o.n, len(sets))
	for _, s := range sets {
		for j, v := range s.inv {
			u, err := mintTitled(ctx, svc.base, admin, v.name, v.title)
			if err != nil {
				return fmt.Errorf("%s: %w", s.key(), err)
			}
			if u, err = withFormat(u, s.format); err != nil {
				return err
			}
			if j < b.o.warmup {
				s.warm = append(s.warm, u)
			} else {
				s.urls = append(s.urls, u)
			}
		}
	}

	// One connection, kept alive: a fetch times the request and the
	// render, not a TCP handshake.
	client := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{
		MaxIdleConnsPerHost: 1, MaxConnsPerHost: 1, DisableCompression: true}}
	defer client.CloseIdleConnections()
	if _, _, err := timedGet(ctx, client, svc.base+"/healthz", ""); err != nil {
		return err
	}
	for _, s := range sets {
		for _, u := range s.warm {
			if _, _, err := timedGet(ctx, client, u, s.format); err != nil {
				return fmt.Errorf("warm-up %s: %w", s.key(), err)
			}
		}
	}
	loadBefore := loadAverage()
	b.logf("timing %d cold og renders per set, sequentially, the sets in turn (load average %s)", b.o.n, loadBefore)
	cpuOK := true
	for i := range b.o.n {
		for _, s := range sets {
			if err := ctx.Err(); err != nil {
				return err
			}
			c0, cerr := threadsCPU(pid)
			d, n, err := timedGet(ctx, client, s.urls[i], s.format)
			if err != nil {
				return fmt.Errorf("%s: %w", s.key(), err)
			}
			c1, cerr1 := threadsCPU(pid)
			if cerr != nil || cerr1 != nil {
				cpuOK = false
			}
			s.took, s.bytes = append(s.took, d), append(s.bytes, n)
			s.cpu = append(s.cpu, c1-c0)
		}
	}
	loadAfter := loadAverage()

	// The peers, straight after, while the service idles.
	satori := b.runPeer(ctx, "satori")
	takumi := b.runPeer(ctx, "takumi", "--formats", "png")
	loadPeers := loadAverage()

	fmt.Fprintf(w, "\nloadbench peers: %d CPUs; load average %s before the service's renders, %s after them, %s after the peers\n",
		runtime.NumCPU(), loadBefore, loadAfter, loadPeers)
	fmt.Fprintf(w, "sharecard serve (embedded, one process, %s): %d cold og renders per set (each a new invitation, fetched once), sequentially over one keep-alive connection, the sets in turn; %d uncounted warm-up renders per set before, as the peers' bench.mjs does\n\n",
		svc.base, b.o.n, b.o.warmup)
	fmt.Fprintln(w, "| set | format | median | p95 | min | service CPU, median | bytes, median |")
	fmt.Fprintln(w, "|---|---|---:|---:|---:|---:|---:|")
	for _, s := range sets {
		cpu := "-"
		if cpuOK {
			cpu = ms(quantile(s.cpu, 0.5))
		}
		fmt.Fprintf(w, "| %s | %s | %s | %s | %s | %s | %d |\n", s.script.label, s.format,
			ms(quantile(s.took, 0.5)), ms(quantile(s.took, 0.95)), ms(quantile(s.took, 0)), cpu, medianInt(s.bytes))
	}
	fmt.Fprintln(w)
	for _, p := range []peerResult{satori, takumi} {
		if p.skipped != "" {
			fmt.Fprintf(w, "%s: SKIPPED: %s\n", p.name, p.skipped)
			continue
		}
		fmt.Fprintf(w, "%s: %s\n  %s\n", p.name, p.command, p.header)
		for _, l := range p.stages {
			fmt.Fprintf(w, "  %s\n", l)
		}
		fmt.Fprintf(w, "  total median %s\n", ms(p.median))
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "| set | format | sharecard | ÷ satori (goal) | ÷ Takumi PNG (goal) | verdict |")
	fmt.Fprintln(w, "|---|---|---:|---:|---:|---|")
	for _, s := range sets {
		m := quantile(s.took, 0.5)
		rs, okS := ratioCell(m, satori, s.script.goalS)
		rt, okT := ratioCell(m, takumi, s.script.goalT)
		fmt.Fprintf(w, "| %s | %s | %s | %s | %s | %s |\n", s.script.label, s.format, ms(m), rs, rt, verdict(okS, okT))
	}
	return nil
}

// ratioCell is sharecard's median over the peer's, with the goal, and
// whether the goal is met (true when there is no goal or no peer figure).
func ratioCell(m time.Duration, p peerResult, goal float64) (string, *bool) {
	if p.skipped != "" || p.median <= 0 {
		return "-", nil
	}
	r := float64(m) / float64(p.median)
	if goal <= 0 {
		return fmt.Sprintf("%.3f×", r), nil
	}
	ok := r <= goal
	return fmt.Sprintf("%.3f× (≤ %.2f×)", r, goal), &ok
}

// verdict is "met" when every goal that was measured is met.
func verdict(checks ...*bool) string {
	measured, met := 0, 0
	for _, c := range checks {
		if c != nil {
			measured++
			if *c {
				met++
			}
		}
	}
	switch {
	case measured == 0:
		return "not measured"
	case met == measured:
		return "met"
	}
	return "MISSED"
}

func medianInt(v []int) int {
	if len(v) == 0 {
		return 0
	}
	s := slices.Clone(v)
	slices.Sort(s)
	return s[len(s)/2]
}

// timedGet fetches u and times it from the request to the body's last
// byte; the answer must be a 200 image in format ("" for any 200).
func timedGet(ctx context.Context, c *http.Client, u, format string) (time.Duration, int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return 0, 0, err
	}
	start := time.Now()
	resp, err := c.Do(req)
	if err != nil {
		return 0, 0, err
	}
	n, err := io.Copy(io.Discard, resp.Body)
	d := time.Since(start)
	resp.Body.Close()
	if err != nil {
		return 0, 0, err
	}
	if resp.StatusCode != http.StatusOK {
		return 0, 0, fmt.Errorf("GET %s: %s", u, resp.Status)
	}
	want := map[string]string{"jpg": "image/jpeg", "png": "image/png"}[format]
	if got := resp.Header.Get("Content-Type"); want != "" && got != want {
		return 0, 0, fmt.Errorf("GET %s: Content-Type %q, want %q", u, got, want)
	}
	return d, int(n), nil
}
