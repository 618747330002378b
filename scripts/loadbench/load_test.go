package main

import (
	"testing"
	"time"
)

const wrkOutput = `Running 5s test @ http://127.0.0.1:40000/og.jpg
  2 threads and 32 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     4.10ms    5.02ms  98.12ms   91.20%
    Req/Sec     3.95k   512.33     5.01k    70.00%
  Latency Distribution
     50%    2.81ms
     75%    4.50ms
     90%    8.02ms
     99%   59.12ms
  39355 requests in 5.00s, 3.54GB read
  Socket errors: connect 0, read 2, write 0, timeout 1
  Non-2xx or 3xx responses: 355
Requests/sec:   7871.00
Transfer/sec:    724.12MB
`

func TestParseWrk(t *testing.T) {
	f, err := parseWrk(wrkOutput, 32)
	if err != nil {
		t.Fatal(err)
	}
	checks := []struct {
		name      string
		got, want any
	}{
		{"the median latency is read", f.P50, 2810 * time.Microsecond},
		{"the 99th percentile is read", f.P99, 59120 * time.Microsecond},
		{"the request count is read", f.Requests, int64(39355)},
		{"non-2xx answers are counted", f.Non200, int64(355)},
		{"socket errors are summed", f.Errors, int64(3)},
		{"the rate counts 200s only", int(f.ReqPerS), int(7871.0 * 39000 / 39355)},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s: got %v, want %v", c.name, c.got, c.want)
		}
	}
	if _, err := parseWrk("wrk: connection refused", 32); err == nil {
		t.Error("output without a rate was accepted")
	}
}

func TestLettersAreDistinctNames(t *testing.T) {
	seen := map[string]int{}
	for i := range 5000 {
		s := letters(i)
		for _, r := range s {
			if r < 'A' || r > 'z' {
				t.Fatalf("letters(%d) = %q has a non-letter", i, s)
			}
		}
		if j, dup := seen[s]; dup {
			t.Fatalf("letters(%d) = letters(%d) = %q", i, j, s)
		}
		seen[s] = i
	}
}

func TestStatusField(t *testing.T) {
	const status = "Name:\tsharecard\nVmPeak:\t 1900000 kB\nVmHWM:\t  229632 kB\nVmRSS:\t  201000 kB\nThreads:\t9\n"
	tests := []struct {
		name  string
		field string
		want  int64
		ok    bool
	}{
		{"the peak resident set is read in bytes", "VmHWM", 229632 << 10, true},
		{"the current resident set is read in bytes", "VmRSS", 201000 << 10, true},
		{"a field that is not a size is refused", "Threads", 0, false},
		{"a missing field is refused", "VmSwap", 0, false},
	}
	for _, tt := range tests {
		got, err := statusField(status, tt.field)
		if got != tt.want || (err == nil) != tt.ok {
			t.Errorf("%s: got %d, %v; want %d, ok=%v", tt.name, got, err, tt.want, tt.ok)
		}
	}
}

func TestRebaseKeepsPathAndQuery(t *testing.T) {
	got := rebase([]string{"http://127.0.0.1:1/i/tok/og.jpg?v=1"}, "http://127.0.0.1:2")
	if want := "http://127.0.0.1:2/i/tok/og.jpg?v=1"; got[0] != want {
		t.Errorf("rebase = %q, want %q", got[0], want)
	}
}
