package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuffer is a bytes.Buffer safe for the server's log writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func TestServeAnswersAndDrainsOnCancel(t *testing.T) {
	addr := freeAddr(t)
	ctx, cancel := context.WithCancel(context.Background())
	var logs syncBuffer
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"sharecard", "serve"}, cliEnv(t, map[string]string{"SHARECARD_ADDR": addr}), strings.NewReader(""), io.Discard, &logs)
	}()
	var resp *http.Response
	var err error
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if resp, err = http.Get("http://" + addr + "/healthz"); err == nil {
			break
		}
	}
	if err != nil {
		cancel()
		t.Fatalf("the service never answered: %v\n%s", err, logs.String())
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Errorf("/healthz %d", resp.StatusCode)
	}
	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Errorf("exit %d after shutdown; logs:\n%s", code, logs.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not stop after its context ended")
	}
	if !strings.Contains(logs.String(), "drained") {
		t.Errorf("no drain in the log:\n%s", logs.String())
	}
}

func TestServeRefusesProductionWithoutAdminToken(t *testing.T) {
	getenv := cliEnv(t, map[string]string{"SHARECARD_ENV": "production", "SHARECARD_BASE_URL": "https://invitation.example.dk"})
	code, _, stderr := runCLI(t, getenv, "", "serve")
	if code != 2 || !strings.Contains(stderr, "SHARECARD_ADMIN_TOKEN is required in production") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
	// The CLI mints without one.
	code, _, stderr = runCLI(t, getenv, "name\nLars\n", "invite", "--campaign", "ligestilling", "--csv", "-", "--quiet")
	if code != 0 {
		t.Errorf("invite in production without an admin token: exit %d, %s", code, stderr)
	}
}

func TestServeRefusesProductionWithoutSecret(t *testing.T) {
	code, _, stderr := runCLI(t, cliEnv(t, map[string]string{"SHARECARD_ENV": "production", "SHARECARD_SECRET": ""}), "", "serve")
	if code != 2 || !strings.Contains(stderr, "SHARECARD_SECRET is required in production") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
}

func TestServeDrainsInFlightRequests(t *testing.T) {
	addr := freeAddr(t)
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel) // when the test stops early
	var logs syncBuffer
	done := make(chan int, 1)
	getenv := cliEnv(t, map[string]string{"SHARECARD_ADDR": addr, "SHARECARD_ADMIN_TOKEN": "drain-test-admin-token"})
	go func() {
		done <- run(ctx, []string{"sharecard", "serve"}, getenv, strings.NewReader(""), io.Discard, &logs)
	}()
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		if resp, err := http.Get("http://" + addr + "/healthz"); err == nil {
			resp.Body.Close()
			break
		}
		if time.Now().After(deadline) {
			cancel()
			t.Fatalf("the service never answered:\n%s", logs.String())
		}
	}
	// A request whose body is still to come when shutdown begins. With
	// Expect: 100-continue the server says "100 Continue" when the handler
	// starts reading the body: from then on the request is in flight.
	body := `{"campaign":"ligestilling","name":"Lars Hansen"}`
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if err := conn.SetDeadline(time.Now().Add(20 * time.Second)); err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(conn, "POST /api/v1/invitations HTTP/1.1\r\nHost: %s\r\nAuthorization: Bearer drain-test-admin-token\r\n"+
		"Content-Type: application/json\r\nContent-Length: %d\r\nExpect: 100-continue\r\n\r\n", addr, len(body))
	answers := bufio.NewReader(conn)
	if resp, err := http.ReadResponse(answers, nil); err != nil || resp.StatusCode != http.StatusContinue {
		cancel()
		t.Fatalf("the handler never asked for the body: %v %v\n%s", resp, err, logs.String())
	}

	// A second connection, answered and now idle. Shutdown closes idle
	// connections from its drain loop, after closing the listener: its end
	// of file says the drain has begun and found the first request busy.
	idle := idleConn(t, addr)

	cancel() // SIGTERM
	if n, err := idle.Read(make([]byte, 1)); err != io.EOF {
		t.Fatalf("the idle connection was not closed by a shutdown: read %d bytes, %v\n%s", n, err, logs.String())
	}
	select {
	case code := <-done:
		t.Fatalf("serve exited (%d) with a request in flight", code)
	default:
	}
	if _, err := io.WriteString(conn, body); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(answers, nil)
	if err != nil {
		t.Fatalf("the in-flight request got no answer: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != 201 {
		t.Errorf("the in-flight request got %d, want 201", resp.StatusCode)
	}
	// A server that is shutting down closes the connection after its
	// answer; one that answered before shutdown began would keep it.
	if !resp.Close {
		t.Error("the answer came without Connection: close, so not during shutdown")
	}
	select {
	case code := <-done:
		if code != 0 {
			t.Errorf("exit %d", code)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not exit after draining")
	}
}

// idleConn opens a keep-alive connection to addr and has one request
// answered on it, so the server holds it as idle. It is closed when the
// test ends.
func idleConn(t *testing.T, addr string) net.Conn {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	if err := conn.SetDeadline(time.Now().Add(10 * time.Second)); err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(conn, "GET /healthz HTTP/1.1\r\nHost: %s\r\n\r\n", addr)
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	_, err = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if err != nil || resp.StatusCode != 200 || resp.Close {
		t.Fatalf("GET /healthz on a keep-alive connection: %d, close %v, %v", resp.StatusCode, resp.Close, err)
	}
	return conn
}
