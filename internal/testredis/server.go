package testredis

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// Server is a redis-server a test starts on a loopback port of its own and
// stops in t.Cleanup, for what the shared server must not see: being
// killed, running as a cluster or Sentinel, or a binary's default keys.
type Server struct {
	t    testing.TB
	Port int
	Dir  string // the server's working directory, a fresh t.TempDir
	args []string
	cmd  *exec.Cmd
}

// NeedServer skips on a laptop without redis-server and fails in CI.
func NeedServer(t testing.TB) {
	t.Helper()
	if _, err := exec.LookPath("redis-server"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("redis-server not found, but CI is set: these tests must run in CI")
		}
		t.Skip("redis-server not found; skipping")
	}
}

// FreePort finds a loopback port in 7000-9999 that is free, and whose
// cluster bus port (+10000) is free too.
func FreePort(t testing.TB) int {
	t.Helper()
	for range 200 {
		p := 7000 + rand.IntN(3000)
		a, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(p))
		if err != nil {
			continue
		}
		b, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(p+10000))
		a.Close()
		if err != nil {
			continue
		}
		b.Close()
		return p
	}
	t.Fatal("no free loopback port for redis-server")
	return 0
}

// StartServer runs redis-server on a free loopback port without
// persistence; extra arguments come last, so they override the defaults.
// Tests of several packages start servers at once, so a port found free
// can be taken before the server binds it: then another port is tried.
func StartServer(t testing.TB, extra ...string) *Server {
	t.Helper()
	NeedServer(t)
	var err error
	for range 3 {
		port, dir := FreePort(t), t.TempDir()
		args := append([]string{"--port", strconv.Itoa(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
			"--dir", dir, "--logfile", filepath.Join(dir, "redis.log")}, extra...)
		s := &Server{t: t, Port: port, Dir: dir, args: args}
		if err = s.start(); err == nil {
			t.Cleanup(s.Kill)
			return s
		}
	}
	t.Fatal(err)
	return nil
}

// Run starts redis-server with exactly args, for a server that listens on
// port and logs to dir/redis.log (a Sentinel, say), and waits until it
// answers PING.
func Run(t testing.TB, port int, dir string, args ...string) *Server {
	t.Helper()
	s := &Server{t: t, Port: port, Dir: dir, args: args}
	s.Start()
	t.Cleanup(s.Kill)
	return s
}

// Addr is the server's host:port.
func (s *Server) Addr() string { return "127.0.0.1:" + strconv.Itoa(s.Port) }

// URL is the server's database 0 as a REDIS_URL.
func (s *Server) URL() string { return "redis://" + s.Addr() + "/0" }

// Start runs redis-server (again, after Kill: same port, same directory)
// and waits until it answers PING.
func (s *Server) Start() {
	s.t.Helper()
	if err := s.start(); err != nil {
		s.t.Fatal(err)
	}
}

// start runs redis-server and waits until it answers, and checks that the
// answer comes from this process: had another test's server taken the
// port, the test would otherwise share it without knowing.
func (s *Server) start() error {
	s.cmd = exec.Command("redis-server", s.args...)
	if err := s.cmd.Start(); err != nil {
		return fmt.Errorf("start redis-server: %w", err)
	}
	c := redis.NewClient(&redis.Options{Addr: s.Addr(), MaxRetries: -1})
	defer c.Close()
	deadline := time.Now().Add(5 * time.Second)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
		err := c.Ping(ctx).Err()
		cancel()
		if err == nil || strings.Contains(fmt.Sprint(err), "CLUSTERDOWN") {
			// A time of its own: on a loaded machine the PING may have
			// used up its 200 ms, and a server that answered is ours or
			// another's, not one that is still starting.
			ictx, icancel := context.WithTimeout(context.Background(), 2*time.Second)
			info, ierr := c.Info(ictx, "server").Result()
			icancel()
			ours := strconv.Itoa(s.cmd.Process.Pid)
			if pid := infoField(info, "process_id"); ierr != nil || pid != ours {
				s.Kill()
				return fmt.Errorf("redis-server on %s: the port answers for process %q, not ours (%s): %v", s.Addr(), pid, ours, ierr)
			}
			return nil
		}
		if time.Now().After(deadline) {
			log, _ := os.ReadFile(filepath.Join(s.Dir, "redis.log"))
			s.Kill()
			return fmt.Errorf("redis-server on %s does not answer: %v\n%s", s.Addr(), err, log)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// infoField is one "name:value" line of an INFO reply.
func infoField(info, name string) string {
	for _, line := range strings.Split(info, "\n") {
		if v, ok := strings.CutPrefix(strings.TrimSpace(line), name+":"); ok {
			return v
		}
	}
	return ""
}

// Kill stops the server the hard way, as a crash would.
func (s *Server) Kill() {
	if s.cmd == nil || s.cmd.Process == nil {
		return
	}
	_ = s.cmd.Process.Kill()
	_ = s.cmd.Wait()
	s.cmd = nil
}

// Client returns a client as the service builds one: context timeouts
// honoured, so a hung server costs the caller's timeout, not 3 s.
func (s *Server) Client(t testing.TB) *redis.Client {
	c := redis.NewClient(&redis.Options{Addr: s.Addr(), ContextTimeoutEnabled: true, MaxRetries: -1, DialTimeout: 100 * time.Millisecond})
	t.Cleanup(func() { c.Close() })
	return c
}

// StartCluster starts n masters on loopback ports, joins them with
// redis-cli --cluster create and waits for cluster_state:ok.
func StartCluster(t testing.TB, n int) []string {
	t.Helper()
	NeedServer(t)
	if _, err := exec.LookPath("redis-cli"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("redis-cli not found, but CI is set")
		}
		t.Skip("redis-cli not found; skipping")
	}
	var addrs []string
	for range n {
		r := StartServer(t, "--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf", "--cluster-node-timeout", "2000")
		addrs = append(addrs, r.Addr())
	}
	args := append([]string{"--cluster", "create"}, addrs...)
	args = append(args, "--cluster-replicas", "0", "--cluster-yes")
	out, err := exec.Command("redis-cli", args...).CombinedOutput()
	if err != nil {
		t.Fatalf("redis-cli --cluster create: %v\n%s", err, out)
	}
	deadline := time.Now().Add(10 * time.Second)
	for _, a := range addrs {
		c := redis.NewClient(&redis.Options{Addr: a})
		for {
			info, err := c.ClusterInfo(context.Background()).Result()
			if err == nil && strings.Contains(info, "cluster_state:ok") {
				break
			}
			if time.Now().After(deadline) {
				c.Close()
				t.Fatalf("cluster on %v not ok: %v %s", addrs, err, info)
			}
			time.Sleep(50 * time.Millisecond)
		}
		c.Close()
	}
	return addrs
}
