package main

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sharecard/sharecard/internal/testredis"
)

const browserUA = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36"

// TestTwoReplicasShareOneRedis runs what production runs: two `sharecard
// serve` processes configured only by REDIS_URL, behind one link. 10,000
// requests spread over both, from browsers and crawlers, render the image
// once; a visit on one and
// a decline on the other add up in the numbers either reports; a link
// revoked on one is gone on the other; and when Redis dies both go on
// serving, degraded, then use it again when it is back.
func TestTwoReplicasShareOneRedis(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and starts the binary twice")
	}
	srv := testredis.StartServer(t)
	// A generous Redis timeout: CI runs other packages' tests beside this
	// one, and a lock call that times out makes a replica render on its
	// own, which is right for the service but not what is counted here.
	env := []string{"REDIS_URL=" + srv.URL(), "SHARECARD_STATS_FLUSH=100ms", "SHARECARD_REDIS_TIMEOUT=1s"}
	a, b := startBinary(t, env...), startBinary(t, env...)
	replicas := []string{a, b}
	m := mintOverAPI(t, a, `{"campaign":"ligestilling","name":"Anne-Marie Søndergaard","title":"Bestyrelsesformand"}`)
	onReplica := func(raw, base string) string {
		u, err := url.Parse(raw)
		if err != nil {
			t.Fatal(err)
		}
		return base + u.RequestURI()
	}

	// 10,000 requests for an image nobody has, from 64 clients starting at
	// once, spread over both replicas, from browsers and the platforms'
	// crawlers alike: one render.
	const total, clients = 10_000, 64
	agents := []string{browserUA, "LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)",
		"facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)", "Twitterbot/1.0",
		"Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)", "WhatsApp/2.23.20.0"}
	client := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: clients}}
	var (
		wg    sync.WaitGroup
		next  atomic.Int64
		mu    sync.Mutex
		first [sha256.Size]byte
		bad   int
	)
	start := make(chan struct{})
	for range clients {
		wg.Go(func() {
			<-start
			for i := next.Add(1) - 1; i < total; i = next.Add(1) - 1 {
				req, _ := http.NewRequest("GET", onReplica(m.Images["og"], replicas[i%2]), nil)
				req.Header.Set("User-Agent", agents[i%int64(len(agents))])
				resp, err := client.Do(req)
				if err != nil {
					t.Error(err)
					return
				}
				body, err := io.ReadAll(resp.Body)
				resp.Body.Close()
				sum := sha256.Sum256(body)
				mu.Lock()
				if first == ([sha256.Size]byte{}) {
					first = sum
				}
				if resp.StatusCode != http.StatusOK || err != nil || sum != first {
					bad++
				}
				mu.Unlock()
			}
		})
	}
	close(start)
	wg.Wait()
	if bad > 0 {
		t.Fatalf("%d of %d requests did not get 200 and the same image", bad, total)
	}
	if n := metric(t, a, "sharecard_cache_renders_total") + metric(t, b, "sharecard_cache_renders_total"); n != 1 {
		t.Errorf("the two replicas rendered %v times for %d requests, want 1", n, total)
	}

	// A visit on b, a decline on a: both replicas count into Redis.
	page := onReplica(m.URL, b)
	if resp := do(t, "GET", page, nil); resp.StatusCode != http.StatusOK {
		t.Fatalf("page on b: %d", resp.StatusCode)
	}
	if resp := do(t, "POST", onReplica(m.URL, a)+"/decline", nil); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("decline on a: %d, want 303", resp.StatusCode)
	}
	want := map[string]int64{"invitations_minted": 1, "page_views": 1, "unique_visitors": 1, "declines": 1, "images_rendered": 1}
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		got := totals(t, b)
		same := true
		for k, v := range want {
			same = same && got[k] == v
		}
		if same {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("b reports %v, want %v", got, want)
		}
	}

	// Revoked on a, gone on b once b has refreshed its copy of the list.
	del := do(t, "DELETE", a+"/api/v1/invitations/"+m.Token, map[string]string{"Authorization": "Bearer e2e-admin-token-0123456789"})
	if del.StatusCode != http.StatusOK && del.StatusCode != http.StatusNoContent {
		t.Fatalf("revoke on a: %d", del.StatusCode)
	}
	for deadline := time.Now().Add(10 * time.Second); do(t, "GET", page, nil).StatusCode != http.StatusGone; time.Sleep(200 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the link revoked on a is still served by b after 10 s")
		}
	}

	// Redis dies: a new invitation's image is still rendered and served,
	// and readiness says degraded, not down; Redis returns: ok again.
	other := mintOverAPI(t, a, `{"campaign":"ligestilling","name":"Lars Hansen"}`)
	srv.Kill()
	for _, base := range replicas {
		if resp := do(t, "GET", onReplica(other.Images["square"], base), nil); resp.StatusCode != http.StatusOK {
			t.Errorf("%s with Redis down: %d, want 200", base, resp.StatusCode)
		}
		if s, code := ready(t, base); s != "degraded" || code != http.StatusOK {
			t.Errorf("%s /readyz with Redis down: %q %d, want degraded 200", base, s, code)
		}
	}
	srv.Start()
	for _, base := range replicas {
		for deadline := time.Now().Add(15 * time.Second); ; time.Sleep(200 * time.Millisecond) {
			if s, _ := ready(t, base); s == "ok" {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s did not use Redis again within 15 s of its return", base)
			}
		}
	}
}

// do sends one request as a browser would and reads the answer, without
// following redirects.
func do(t *testing.T, method, u string, header map[string]string) *http.Response {
	t.Helper()
	req, err := http.NewRequestWithContext(context.Background(), method, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("User-Agent", browserUA)
	for k, v := range header {
		req.Header.Set(k, v)
	}
	c := &http.Client{Timeout: 10 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp
}

// metric adds up every series of a counter in the metrics of the replica
// serving base.
func metric(t *testing.T, base, name string) float64 {
	t.Helper()
	resp, err := http.Get(metricsURL(t, base))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var sum float64
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		line := sc.Text()
		if rest, ok := strings.CutPrefix(line, name); ok && (strings.HasPrefix(rest, " ") || strings.HasPrefix(rest, "{")) {
			v, err := strconv.ParseFloat(line[strings.LastIndexByte(line, ' ')+1:], 64)
			if err != nil {
				t.Fatalf("metrics line %q: %v", line, err)
			}
			sum += v
		}
	}
	return sum
}

// totals are the campaign's totals as base's stats API reports them.
func totals(t *testing.T, base string) map[string]int64 {
	t.Helper()
	req, _ := http.NewRequest("GET", base+"/api/v1/campaigns/ligestilling/stats", nil)
	req.Header.Set("Authorization", "Bearer e2e-admin-token-0123456789")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var r struct {
		Totals map[string]int64 `json:"totals"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&r); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("stats: %d %v", resp.StatusCode, err)
	}
	return r.Totals
}

// ready is base's /readyz status and HTTP code.
func ready(t *testing.T, base string) (string, int) {
	t.Helper()
	resp, err := http.Get(base + "/readyz")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var r struct {
		Status string `json:"status"`
	}
	_ = json.NewDecoder(resp.Body).Decode(&r)
	return r.Status, resp.StatusCode
}
