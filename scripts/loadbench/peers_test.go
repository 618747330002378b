package main

import (
	"strings"
	"testing"
	"time"

	"github.com/sharecard/sharecard/internal/invite"
)

// Every set of a run mints names no other set has, each accepted by the
// service's validation unchanged (so no two normalise to one card), and
// the emoji set carries its emoji in the title, not the name.
func TestInviteesAreDistinctValidAndCold(t *testing.T) {
	const n, warm = 45, 5 // the largest run -mode peers allows
	seen := map[string]string{}
	for _, sc := range peerScripts {
		for fi, f := range peerFormats {
			inv, err := invitees(sc, fi, n, warm)
			if err != nil {
				t.Fatal(err)
			}
			if len(inv) != n+warm {
				t.Fatalf("%s/%s: %d invitees, want %d", sc.id, f, len(inv), n+warm)
			}
			for _, v := range inv {
				key := v.name + "\x00" + v.title
				if other, dup := seen[key]; dup {
					t.Errorf("%s/%s repeats %q of %s", sc.id, f, v.name, other)
				}
				seen[key] = sc.id + "/" + f
				if prev, dup := seen[v.name]; dup && !strings.HasPrefix(prev, sc.id+"/") {
					t.Errorf("%q is in %s and %s/%s", v.name, prev, sc.id, f)
				}
				seen[v.name] = sc.id + "/" + f
				got, err := invite.Normalize(invite.Invitation{Campaign: "ligestilling", Name: v.name, Title: v.title})
				if err != nil {
					t.Errorf("%s/%s: %q / %q refused: %v", sc.id, f, v.name, v.title, err)
					continue
				}
				if got.Name != v.name || got.Title != v.title {
					t.Errorf("%s/%s: %q / %q normalised to %q / %q", sc.id, f, v.name, v.title, got.Name, got.Title)
				}
				if (sc.id == "emoji") != (v.title != "") {
					t.Errorf("%s/%s: title %q", sc.id, f, v.title)
				}
			}
		}
	}
	if _, err := invitees(peerScripts[1], 0, 60, 5); err == nil {
		t.Error("a set larger than its script's names was accepted")
	}
}

func TestLatinNamesAreThePeers(t *testing.T) {
	// card.mjs: personName(0) is the reference name; the radix is 8, 8, 9.
	for i, want := range map[int]string{0: "Lars Løkke Rasmussen", 9: "Mette Kærgaard Rasmussen", 575: "Dorthe Brøndum Thorning"} {
		if got := danishName(i); got != want {
			t.Errorf("danishName(%d) = %q, want %q", i, got, want)
		}
	}
}

func TestWithFormat(t *testing.T) {
	u := "http://127.0.0.1:1/i/tok.en/og.jpg?v=3"
	if got, _ := withFormat(u, "png"); got != "http://127.0.0.1:1/i/tok.en/og.png?v=3" {
		t.Errorf("withFormat png = %q", got)
	}
	if got, _ := withFormat(u, "jpg"); got != u {
		t.Errorf("withFormat jpg = %q", got)
	}
	if _, err := withFormat("http://127.0.0.1:1/i/tok/square.jpg", "png"); err == nil {
		t.Error("a URL of another variant was accepted")
	}
}

// The peers' q(a, 0.5) on 30 values is the 16th smallest; ours must be too.
func TestQuantileIsThePeers(t *testing.T) {
	var ds []time.Duration
	for i := 30; i >= 1; i-- {
		ds = append(ds, time.Duration(i)*time.Millisecond)
	}
	for _, c := range []struct {
		p    float64
		want time.Duration
	}{{0.5, 16 * time.Millisecond}, {0.95, 29 * time.Millisecond}, {0, time.Millisecond}, {1, 30 * time.Millisecond}} {
		if got := quantile(ds, c.p); got != c.want {
			t.Errorf("quantile(%v) = %v, want %v", c.p, got, c.want)
		}
	}
	if ds[0] != 30*time.Millisecond {
		t.Error("quantile sorted its argument")
	}
	if quantile(nil, 0.5) != 0 {
		t.Error("quantile of nothing is not 0")
	}
}

const takumiOutput = `@takumi-rs/core 2.16.3, @takumi-rs/helpers 2.16.3, node v20.20.2; 1200x630, bg gradient, N=30 (+5 warm-up) per format, formats png, quality 90, UV_THREADPOOL_SIZE=default
png                    median 8.75 ms  p95 12.02 ms  min 7.90 ms  cpu median 8.61 ms
bytes: png 69680  (Kære Lars Løkke Rasmussen)  wrote /tmp/x/takumi.png
total                  median 8.75 ms  p95 12.02 ms  min 7.90 ms
`

func TestParsePeerTotal(t *testing.T) {
	header, m, err := parsePeerTotal(takumiOutput)
	if err != nil {
		t.Fatal(err)
	}
	if m != 8750*time.Microsecond {
		t.Errorf("median = %v, want 8.75ms", m)
	}
	if !strings.HasPrefix(header, "@takumi-rs/core 2.16.3") {
		t.Errorf("header = %q", header)
	}
	for _, bad := range []string{
		"Error: Cannot find module 'satori'\n",
		"satori 0.63.2\ntotal                  median NaN ms  p95 1 ms\n",
		"satori 0.63.2\ntotals median 3 ms\n",
	} {
		if _, _, err := parsePeerTotal(bad); err == nil {
			t.Errorf("accepted %q", bad)
		}
	}
}

func TestRatiosAndVerdicts(t *testing.T) {
	peer := peerResult{median: 10 * time.Millisecond}
	cell, ok := ratioCell(4*time.Millisecond, peer, 0.5)
	if cell != "0.400× (≤ 0.50×)" || ok == nil || !*ok {
		t.Errorf("0.4 against 0.5: %q %v", cell, ok)
	}
	cell, ok = ratioCell(6*time.Millisecond, peer, 0.5)
	if ok == nil || *ok {
		t.Errorf("0.6 against 0.5 met: %q", cell)
	}
	if cell, ok = ratioCell(6*time.Millisecond, peer, 0); cell != "0.600×" || ok != nil {
		t.Errorf("no goal: %q %v", cell, ok)
	}
	if cell, ok = ratioCell(6*time.Millisecond, peerResult{skipped: "node is not installed"}, 0.5); cell != "-" || ok != nil {
		t.Errorf("skipped peer: %q %v", cell, ok)
	}
	yes, no := true, false
	for _, c := range []struct {
		checks []*bool
		want   string
	}{
		{[]*bool{&yes, &yes}, "met"},
		{[]*bool{&yes, nil}, "met"},
		{[]*bool{&yes, &no}, "MISSED"},
		{[]*bool{nil, &no}, "MISSED"},
		{[]*bool{nil, nil}, "not measured"},
	} {
		if got := verdict(c.checks...); got != c.want {
			t.Errorf("verdict(%v) = %q, want %q", c.checks, got, c.want)
		}
	}
}

func TestSchedstatRun(t *testing.T) {
	d, err := schedstatRun("123456789 5000 42\n")
	if err != nil || d != 123456789*time.Nanosecond {
		t.Errorf("schedstatRun = %v, %v", d, err)
	}
	if _, err := schedstatRun(""); err == nil {
		t.Error("empty schedstat accepted")
	}
}
