// Package testbrowser gives tests a headless Chromium driven by chromedp.
// Without a browser a test skips on a laptop and fails when CI is set, where
// .ci/run installs one, so a browser test can never pass CI unrun.
package testbrowser

import (
	"context"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// Path returns the Chromium binary: $CHROMIUM, else the first of the usual
// names on PATH.
func Path(t testing.TB) string {
	t.Helper()
	for _, p := range []string{os.Getenv("CHROMIUM"), "/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome"} {
		if p == "" {
			continue
		}
		if bin, err := exec.LookPath(p); err == nil {
			return bin
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatal("chromium not found, but CI is set: browser tests must run in CI")
	}
	t.Skip("chromium not found; skipping the browser test")
	return ""
}

// New starts a headless Chromium with a window of w×h pixels that can reach
// only loopback (every other host fails to resolve: the machine has no
// network, and a page must not need one). The browser is stopped when the
// test ends; the context also ends after timeout.
func New(t testing.TB, w, h int, timeout time.Duration) context.Context {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(Path(t)),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("host-resolver-rules", "MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"),
		chromedp.WindowSize(w, h),
	)
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancel)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(cancel)
	ctx, cancel = context.WithTimeout(ctx, timeout)
	t.Cleanup(cancel)
	return ctx
}
