package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/sharecard/sharecard/internal/testbrowser"
)

// metricsAt maps a started binary's base URL to its metrics listener.
var metricsAt sync.Map

// metricsURL is where the binary serving base answers /metrics.
func metricsURL(t *testing.T, base string) string {
	t.Helper()
	m, ok := metricsAt.Load(base)
	if !ok {
		t.Fatalf("no metrics listener known for %s", base)
	}
	return m.(string) + "/metrics"
}

// startBinary builds sharecard and runs `sharecard serve` on a free
// loopback port (metrics on another); the process gets SIGTERM when the
// test ends, and must exit 0.
func startBinary(t *testing.T, env ...string) (base string) {
	t.Helper()
	dir := t.TempDir()
	bin := filepath.Join(dir, "sharecard")
	build := exec.Command("go", "build", "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	addr, maddr := freeAddr(t), freeAddr(t)
	base = "http://" + addr
	metricsAt.Store(base, "http://"+maddr)
	cmd := exec.Command(bin, "serve")
	cmd.Env = append([]string{
		"PATH=" + os.Getenv("PATH"),
		"SHARECARD_ADDR=" + addr,
		"SHARECARD_METRICS_ADDR=" + maddr,
		"SHARECARD_BASE_URL=" + base,
		"SHARECARD_SECRET=e2e-secret-0123456789abcdefghijklmnop",
		"SHARECARD_ADMIN_TOKEN=e2e-admin-token-0123456789",
		"SHARECARD_DATA_DIR=" + filepath.Join(dir, "data"),
	}, env...)
	var logs syncBuffer
	cmd.Stdout, cmd.Stderr = &logs, &logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() {
		_ = cmd.Process.Signal(os.Interrupt)
		select {
		case err := <-exited:
			if err != nil {
				t.Errorf("sharecard serve exited with %v after SIGINT; log:\n%s", err, logs.String())
			}
		case <-time.After(15 * time.Second):
			_ = cmd.Process.Kill()
			t.Errorf("sharecard serve did not stop within 15 s")
		}
		if t.Failed() {
			t.Logf("server log:\n%s", logs.String())
		}
	})
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		resp, err := http.Get(base + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return base
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("the service never became ready: %v\n%s", err, logs.String())
		}
	}
}

type minted struct {
	Token  string            `json:"token"`
	URL    string            `json:"url"`
	Images map[string]string `json:"images"`
}

func mintOverAPI(t *testing.T, base, body string) minted {
	t.Helper()
	req, _ := http.NewRequest("POST", base+"/api/v1/invitations", strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer e2e-admin-token-0123456789")
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 201 {
		t.Fatalf("mint: %d %s", resp.StatusCode, raw)
	}
	var m minted
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// TestEndToEnd starts the real binary, mints an invitation over the API,
// loads the page in headless Chromium, checks the OG tags, the image and
// the three actions, clicks decline and follows the redirect to the
// learning site with its UTM parameters. The browser resolves no host but
// loopback, so the final request to the learning site fails harmlessly;
// it is observed in the network events. SHARECARD_SCREENSHOTS=dir keeps
// phone and laptop screenshots.
func TestEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and starts the binary and a browser")
	}
	base := startBinary(t)
	m := mintOverAPI(t, base, `{"campaign":"ligestilling","name":"Lars Hansen","title":"Adm. direktør","org":"Novo Nordisk"}`)

	// The og:image a crawler would fetch.
	resp, err := http.Get(m.Images["og"])
	if err != nil {
		t.Fatal(err)
	}
	img, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "image/jpeg" || !bytes.HasPrefix(img, []byte{0xff, 0xd8}) {
		t.Fatalf("og image: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}

	ctx := testbrowser.New(t, 390, 844, 60*time.Second)

	var mu sync.Mutex
	var requested []string
	if err := chromedp.Listen(ctx, func(ev any) {
		if e, ok := ev.(*network.EventRequestWillBeSent); ok {
			mu.Lock()
			requested = append(requested, e.Request.URL)
			mu.Unlock()
		}
	}); err != nil {
		t.Fatal(err)
	}
	cctx, stopConsole := context.WithCancel(ctx)
	defer stopConsole()
	messages := chromedp.Console(cctx)

	if err := chromedp.Do(ctx, chromedp.Navigate(m.URL), chromedp.WaitVisible(chromedp.CSS(".card img"))); err != nil {
		t.Fatalf("load the page: %v", err)
	}

	// The head, in order, as the browser parsed it.
	metas, err := chromedp.Run(ctx, chromedp.Evaluate[[][]string](
		`[...document.head.querySelectorAll('meta[property], meta[name]')].map(m => [m.getAttribute('property') || m.getAttribute('name'), m.content])`))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"og:title", "og:description", "og:url", "og:image", "og:image:width", "og:image:height", "og:image:alt", "og:type", "og:locale", "twitter:card"}
	got := map[string]string{}
	for i, kv := range metas {
		if i < len(want) && kv[0] != want[i] {
			t.Errorf("meta %d is %s, want %s", i, kv[0], want[i])
		}
		got[kv[0]] = kv[1]
	}
	if got["og:url"] != m.URL || got["og:image"] != m.Images["og"] || got["og:image:width"] != "1200" || got["og:image:height"] != "630" ||
		got["og:locale"] != "da_DK" || got["twitter:card"] != "summary_large_image" || !strings.Contains(got["og:title"], "Lars Hansen") {
		t.Errorf("OG tags: %v", got)
	}

	// The card image really loaded at its size: on a phone, the portrait.
	width, err := chromedp.Run(ctx, chromedp.Evaluate[int](`(() => { const i = document.querySelector('.card img'); return i.complete ? i.naturalWidth : 0 })()`))
	if err != nil || width != 1080 {
		t.Errorf("card image natural width %d (%v), want 1080 (the portrait card at 390 px)", width, err)
	}

	// The three actions.
	actions, err := chromedp.Run(ctx, chromedp.Evaluate[map[string]any](`({
		decline: document.querySelector('form[action*="/decline?lang="] button')?.textContent.trim(),
		share: document.querySelector('a[href$="/share"]')?.textContent.trim(),
		downloads: [...document.querySelectorAll('.downloads a[download]')].map(a => a.getAttribute('href')),
	})`))
	if err != nil {
		t.Fatal(err)
	}
	if actions["decline"] != "Afslå invitationen" || actions["share"] != "Del på LinkedIn" {
		t.Errorf("actions: %v", actions)
	}
	if dl, _ := actions["downloads"].([]any); len(dl) != 3 {
		t.Errorf("downloads: %v", actions["downloads"])
	}

	if dir := os.Getenv("SHARECARD_SCREENSHOTS"); dir != "" {
		screenshot(t, ctx, filepath.Join(dir, "invitation-phone.png"))
		if err := chromedp.Do(ctx, chromedp.EmulateViewport(1366, 900)); err == nil {
			screenshot(t, ctx, filepath.Join(dir, "invitation-laptop.png"))
		}
	}

	// What the browser complained about before leaving the page (a CSP
	// violation, a failed resource, an exception).
	for _, p := range testbrowser.Problems(t, ctx, messages) {
		t.Errorf("browser console: %s", p)
	}

	// Decline: a form POST answered 303 to the thanks, whose one primary
	// action leads on to the learning site. Leaving a
	// page that was visible for a second or more sends the engagement
	// beacon (allowed by connect-src 'self'), so first wait until the
	// page's own clock says so. The beacon script is deferred and starts
	// counting when it runs, before DOMContentLoaded; the margin covers the
	// wall clock it reads being a different clock from performance.now.
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`document.visibilityState === "visible" &&
		performance.now() - performance.getEntriesByType("navigation")[0].domContentLoadedEventStart >= 1050`,
		chromedp.WithPollingInterval(10*time.Millisecond), chromedp.WithPollingTimeout(10*time.Second))); err != nil {
		t.Fatalf("the page was never visible for a second: %v", err)
	}
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`form[action*="/decline?lang="] button`))); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.WaitVisible(chromedp.CSS(".next a.btn.primary"))); err != nil {
		t.Fatalf("no thanks after the decline: %v", err)
	}
	thanks, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("h1")))
	if err != nil || thanks != "Tak, fordi du takkede nej" {
		t.Fatalf("after the decline the page says %q (%v), not the thanks", thanks, err)
	}
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(".next a.btn.primary"))); err != nil {
		t.Fatal(err)
	}
	var learning *url.URL
	for deadline := time.Now().Add(15 * time.Second); learning == nil && time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		mu.Lock()
		for _, r := range requested {
			if u, err := url.Parse(r); err == nil && u.Host == "www.ligestillingitoppen.dk" {
				learning = u
			}
		}
		mu.Unlock()
	}
	if learning == nil {
		mu.Lock()
		t.Fatalf("the browser never went to the learning site; requests: %q", requested)
	}
	// The beacon leaves with the unloading page, out of sight of the
	// page's network events; the service's metrics show it arrived.
	beacon := `sharecard_http_requests_total{method="POST",route="/i/:token/beacon",status="204"} 1`
	for deadline := time.Now().Add(15 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		resp, err := http.Get(metricsURL(t, base))
		if err != nil {
			t.Fatal(err)
		}
		metrics, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if strings.Contains(string(metrics), beacon) {
			break
		}
		if time.Now().After(deadline) {
			t.Errorf("leaving the page sent no engagement beacon (no %s in /metrics)", beacon)
			break
		}
	}
	q := learning.Query()
	if learning.Path != "/laer" || q.Get("utm_source") != "sharecard" || q.Get("utm_medium") != "invitation" ||
		q.Get("utm_campaign") != "ligestilling" || q.Get("utm_content") == "" {
		t.Errorf("learning-site URL %s lacks the UTM parameters", learning)
	}
	loc, _ := chromedp.Run(ctx, chromedp.Location())
	t.Logf("after decline the browser is at %s (the learning site itself is unreachable here)", loc)
}

func screenshot(t *testing.T, ctx context.Context, path string) {
	t.Helper()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(90))
	if err != nil {
		t.Errorf("screenshot: %v", err)
		return
	}
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Error(err)
	}
	fmt.Fprintln(os.Stderr, "screenshot:", path)
}
