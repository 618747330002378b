// Package testbrowser gives tests a headless Chromium driven by chromedp.
// Without a browser a test skips on a laptop and fails when CI is set, where
// .ci/run installs one, so a browser test can never pass CI unrun.
package testbrowser

import (
	"context"
	"crypto/rand"
	"fmt"
	"iter"
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
//
// The browser asks for Danish first, as the demo campaign's invitees do;
// NewLang asks for other languages.
func New(t testing.TB, w, h int, timeout time.Duration) context.Context {
	t.Helper()
	return NewLang(t, w, h, timeout, "da,en")
}

// Patience is how long to wait for what takes d in a normal build: the
// bounds that catch a hung browser or a step that never ends, stretched
// under the race detector. They are never speed checks.
func Patience(d time.Duration) time.Duration { return d * slowdown }

// Step runs actions within d (stretched by Patience), so a page that
// never shows what is awaited fails that step, by name, with where the
// browser was and what the page held, instead of using up the whole
// test's time.
func Step(t testing.TB, ctx context.Context, d time.Duration, name string, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	sctx, cancel := context.WithTimeout(ctx, Patience(d))
	defer cancel()
	if err := chromedp.Do(sctx, actions...); err != nil {
		loc, _ := chromedp.Run(ctx, chromedp.Location())
		html, _ := chromedp.Run(ctx, chromedp.OuterHTML(chromedp.CSS("body")))
		t.Fatalf("browser: %s (at %s): %v\n%.3000s", name, loc, err, html)
	}
}

// Eval is the string js evaluates to in the page (a promise awaited);
// it fails t when the page cannot say.
func Eval(t testing.TB, ctx context.Context, js string) string {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[string](js, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("%s: %v", js, err)
	}
	return v
}

// NewLang is New with the browser's Accept-Language set to langs (such as
// "en-GB,en").
func NewLang(t testing.TB, w, h int, timeout time.Duration, langs string) context.Context {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.Flag("accept-lang", langs),
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
	ctx, cancel = context.WithTimeout(ctx, Patience(timeout))
	t.Cleanup(cancel)
	return ctx
}

// Problems returns the errors, warnings and exceptions among what the page
// in ctx has said so far, read from messages (chromedp.Console, subscribed
// before the page was loaded). It logs a marker to the console and reads
// up to it: the browser sends console calls, exceptions and its own log in
// the order they happen, so the marker follows everything said before it,
// with no guess of how long the messages take to arrive. It fails the test
// if the marker does not come before messages ends.
func Problems(t testing.TB, ctx context.Context, messages iter.Seq2[chromedp.ConsoleMessage, error]) []string {
	t.Helper()
	marker := "testbrowser: end of messages " + rand.Text()
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](fmt.Sprintf("console.debug(%q)", marker))); err != nil {
		t.Fatalf("log the end-of-messages marker: %v", err)
	}
	var problems []string
	for m, err := range messages {
		if err != nil {
			t.Fatalf("the console ended before the marker: %v", err)
		}
		if m.Type == chromedp.ConsoleDebug && m.Text == marker {
			return problems
		}
		if m.Type == chromedp.ConsoleError || m.Type == chromedp.ConsoleWarning || m.IsException() {
			problems = append(problems, m.String())
		}
	}
	t.Fatal("the console ended before the marker")
	return nil
}

// Axe runs axe-core (npm's axe-core, the accessibility rules engine) on
// the page in ctx and returns its violations, one line each: rule, impact,
// what it asks and the first elements at fault. The script is read from
// $AXE_CORE (the path of axe.min.js, which .ci/run installs); without it
// the test skips on a laptop and fails under CI.
func Axe(t testing.TB, ctx context.Context) []string {
	t.Helper()
	path := os.Getenv("AXE_CORE")
	src, err := os.ReadFile(path)
	if path == "" || err != nil {
		msg := "axe-core not found: set AXE_CORE to axe.min.js (npm install axe-core)"
		if os.Getenv("CI") != "" {
			t.Fatal(msg + ", as .ci/run does")
		}
		t.Skip(msg)
	}
	// DevTools' evaluation is not subject to the page's CSP, so the pages
	// keep theirs while the rules run.
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[any](string(src)+";0")); err != nil {
		t.Fatalf("load axe-core: %v", err)
	}
	const run = `axe.run(document, {resultTypes: ["violations"]}).then(r => r.violations.map(v =>
		v.id + " (" + v.impact + "): " + v.help + " at " + v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(", ")))`
	out, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](run, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("axe.run: %v", err)
	}
	return out
}
