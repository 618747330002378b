package main

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestMetricsHaveTheirOwnListener: /metrics answers on
// SHARECARD_METRICS_ADDR and not on the public port; a metrics address
// that cannot be bound stops the service with the variable's name.
func TestMetricsHaveTheirOwnListener(t *testing.T) {
	addr, maddr := freeAddr(t), freeAddr(t)
	ctx, cancel := context.WithCancel(context.Background())
	var logs syncBuffer
	done := make(chan int, 1)
	go func() {
		env := cliEnv(t, map[string]string{"SHARECARD_ADDR": addr, "SHARECARD_METRICS_ADDR": maddr})
		done <- run(ctx, []string{"sharecard", "serve"}, env, strings.NewReader(""), io.Discard, &logs)
	}()
	t.Cleanup(func() {
		cancel()
		<-done
	})
	get := func(u string) (int, string) {
		resp, err := http.Get(u)
		if err != nil {
			return 0, err.Error()
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		if code, _ := get("http://" + addr + "/healthz"); code == 200 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the service never answered:\n%s", logs.String())
		}
	}
	if code, _ := get("http://" + addr + "/metrics"); code != 404 {
		t.Errorf("/metrics on the public port: %d, want 404", code)
	}
	code, body := get("http://" + maddr + "/metrics")
	if code != 200 || !strings.Contains(body, "sharecard_http_requests_total") || !strings.Contains(body, "go_goroutines") {
		t.Errorf("/metrics on the metrics port: %d %.200s", code, body)
	}
	if resp, err := http.Head("http://" + maddr + "/metrics"); err != nil || resp.StatusCode != 200 {
		t.Errorf("HEAD /metrics: %v %v", resp, err)
	}

	// The same metrics address again cannot be bound.
	code2, _, stderr := runCLI(t, cliEnv(t, map[string]string{"SHARECARD_ADDR": freeAddr(t), "SHARECARD_METRICS_ADDR": maddr}), "", "serve")
	if code2 != 1 || !strings.Contains(stderr, "SHARECARD_METRICS_ADDR="+maddr) {
		t.Errorf("a taken metrics address: exit %d, %s", code2, stderr)
	}
}
