package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// proc is a child process this program started and must stop.
type proc struct {
	name string
	cmd  *exec.Cmd
	log  string
	done chan struct{} // closed when the process has exited
}

func startProc(dir, name, bin string, env []string, args ...string) (*proc, error) {
	logPath := filepath.Join(dir, name+".log")
	f, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(bin, args...)
	cmd.Env = env
	cmd.Stdout, cmd.Stderr = f, f
	if err := cmd.Start(); err != nil {
		f.Close()
		return nil, fmt.Errorf("start %s: %w", name, err)
	}
	f.Close()
	p := &proc{name: name, cmd: cmd, log: logPath, done: make(chan struct{})}
	go func() { _ = cmd.Wait(); close(p.done) }()
	return p, nil
}

// stop asks the process to end (SIGTERM), and kills it after 5 s.
func (p *proc) stop() {
	if p == nil || p.cmd.Process == nil {
		return
	}
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(5 * time.Second):
		_ = p.cmd.Process.Kill()
		<-p.done
	}
}

func (p *proc) tail() string {
	b, _ := os.ReadFile(p.log)
	if len(b) > 2000 {
		b = b[len(b)-2000:]
	}
	return string(b)
}

// freeAddr returns a loopback address nobody listens on right now.
func freeAddr() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return l.Addr().String(), nil
}

func randomHex(n int) string {
	b := make([]byte, n/2)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// waitUp polls check until it passes, the process exits, or 15 s pass.
func waitUp(ctx context.Context, p *proc, check func(context.Context) error) error {
	deadline := time.Now().Add(15 * time.Second)
	for {
		err := check(ctx)
		if err == nil {
			return nil
		}
		select {
		case <-p.done:
			return fmt.Errorf("%s exited at start-up:\n%s", p.name, p.tail())
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%s not up after 15 s: %v\n%s", p.name, err, p.tail())
		}
	}
}

func httpOK(url string) func(context.Context) error {
	return func(ctx context.Context) error {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return err
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return fmt.Errorf("%s: %s", url, resp.Status)
		}
		return nil
	}
}

// startRedis starts a private redis-server (no persistence) for the run,
// so the measurements neither read nor leave keys in a shared Redis.
func startRedis(ctx context.Context, dir string) (*proc, string, error) {
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		return nil, "", errors.New("redis-server is not installed: install it or pass -redis redis://127.0.0.1:6379/0")
	}
	addr, err := freeAddr()
	if err != nil {
		return nil, "", err
	}
	_, port, _ := net.SplitHostPort(addr)
	p, err := startProc(dir, "redis", bin, os.Environ(), "--port", port, "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir)
	if err != nil {
		return nil, "", err
	}
	err = waitUp(ctx, p, func(ctx context.Context) error {
		c, err := net.DialTimeout("tcp", addr, 100*time.Millisecond)
		if err != nil {
			return err
		}
		defer c.Close()
		_ = c.SetDeadline(time.Now().Add(time.Second))
		if _, err := c.Write([]byte("PING\r\n")); err != nil {
			return err
		}
		line, err := bufio.NewReader(c).ReadString('\n')
		if err != nil || !strings.HasPrefix(line, "+PONG") {
			return fmt.Errorf("PING: %q %v", line, err)
		}
		return nil
	})
	if err != nil {
		p.stop()
		return nil, "", err
	}
	return p, "redis://" + addr + "/0", nil
}

type service struct {
	proc *proc
	base string
}

// metricsAt maps a started service's base URL to its metrics listener's.
var metricsAt sync.Map

// startService runs `sharecard serve` on a free loopback port, with its
// metrics on another.
func startService(ctx context.Context, bin, dir, name, secret, admin, redisURL, memory string) (*service, error) {
	addr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	maddr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	base := "http://" + addr
	metricsAt.Store(base, "http://"+maddr)
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "SHARECARD_") && !strings.HasPrefix(kv, "REDIS_") {
			env = append(env, kv)
		}
	}
	env = append(env, "SHARECARD_ADDR="+addr, "SHARECARD_METRICS_ADDR="+maddr, "SHARECARD_BASE_URL="+base, "SHARECARD_SECRET="+secret,
		"SHARECARD_ADMIN_TOKEN="+admin, "SHARECARD_DATA_DIR="+filepath.Join(dir, name+"-data"),
		"SHARECARD_CACHE_MEMORY="+memory, "SHARECARD_LOG_LEVEL=warn")
	if redisURL != "" {
		env = append(env, "REDIS_URL="+redisURL)
	}
	p, err := startProc(dir, name, bin, env, "serve")
	if err != nil {
		return nil, err
	}
	if err := waitUp(ctx, p, httpOK(base+"/healthz")); err != nil {
		p.stop()
		return nil, err
	}
	return &service{proc: p, base: base}, nil
}

// startBare runs this program's bare baseline server as a child.
func startBare(ctx context.Context, dir, name string, args ...string) (*service, error) {
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	addr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	p, err := startProc(dir, name, self, os.Environ(), append([]string{"bare", "-addr", addr}, args...)...)
	if err != nil {
		return nil, err
	}
	base := "http://" + addr
	if err := waitUp(ctx, p, httpOK(base+"/og.jpg")); err != nil {
		p.stop()
		return nil, err
	}
	return &service{proc: p, base: base}, nil
}

// mint creates an invitation through the admin API and returns the URL of
// its og image.
func mint(ctx context.Context, base, admin, name string) (string, error) {
	return mintTitled(ctx, base, admin, name, "")
}

// mintTitled is mint with a title (the card's byline) too.
func mintTitled(ctx context.Context, base, admin, name, title string) (string, error) {
	fields := map[string]string{"campaign": "ligestilling", "name": name}
	if title != "" {
		fields["title"] = title
	}
	body, _ := json.Marshal(fields)
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, base+"/api/v1/invitations", bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+admin)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return "", fmt.Errorf("POST /api/v1/invitations: %w", err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusCreated {
		return "", fmt.Errorf("POST /api/v1/invitations for %q: %s %s", name, resp.Status, b)
	}
	var out struct {
		Images map[string]string `json:"images"`
	}
	if err := json.Unmarshal(b, &out); err != nil || out.Images["og"] == "" {
		return "", fmt.Errorf("POST /api/v1/invitations: no images.og in %s", b)
	}
	return out.Images["og"], nil
}

// mintMany mints n invitations with distinct names, so each image is new.
func mintMany(ctx context.Context, base, admin string, n int) ([]string, error) {
	urls := make([]string, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	sem := make(chan struct{}, 8)
	for i := range n {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			urls[i], errs[i] = mint(ctx, base, admin, "Anna "+letters(i))
		})
	}
	wg.Wait()
	return urls, errors.Join(errs...)
}

// letters spells i in letters only (names allow no digits): 0 → "Aa".
func letters(i int) string {
	s := []byte{byte('a' + i%26)}
	for i /= 26; i > 0; i /= 26 {
		s = append([]byte{byte('a' + i%26)}, s...)
	}
	return "A" + string(s)
}

func fetch(ctx context.Context, url string) ([]byte, error) {
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET %s: %s", url, resp.Status)
	}
	return b, err
}

// scrape reads the Prometheus metrics of the service at base (from its
// metrics listener) as "name{labels}" → value.
func scrape(ctx context.Context, base string) (map[string]float64, error) {
	at, ok := metricsAt.Load(base)
	if !ok {
		return nil, fmt.Errorf("no metrics listener known for %s", base)
	}
	b, err := fetch(ctx, at.(string)+"/metrics")
	if err != nil {
		return nil, err
	}
	m := map[string]float64{}
	for _, line := range strings.Split(string(b), "\n") {
		if line == "" || line[0] == '#' {
			continue
		}
		i := strings.LastIndexByte(line, ' ')
		if i < 0 {
			continue
		}
		if v, err := strconv.ParseFloat(line[i+1:], 64); err == nil {
			m[line[:i]] = v
		}
	}
	return m, nil
}
