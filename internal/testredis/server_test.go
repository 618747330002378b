package testredis

import (
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestAPortTakenByAnotherServerIsNoticed: a server whose port another
// server holds fails to start, and start says so rather than handing the
// test the other server.
func TestAPortTakenByAnotherServerIsNoticed(t *testing.T) {
	a := StartServer(t)
	dir := t.TempDir()
	b := &Server{t: t, Port: a.Port, Dir: dir, args: []string{"--port", strconv.Itoa(a.Port), "--bind", "127.0.0.1",
		"--save", "", "--dir", dir, "--logfile", filepath.Join(dir, "redis.log")}}
	err := b.start()
	if err == nil {
		b.Kill()
		t.Fatal("a second server on a taken port started, or the first one passed for it")
	}
	if !strings.Contains(err.Error(), "not ours") {
		t.Errorf("error %q does not say the port answers for another process", err)
	}
}
