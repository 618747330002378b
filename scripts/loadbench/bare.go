package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"syscall"
	"time"

	"github.com/redis/go-redis/v9"
)

// runBare is the baseline server, run as a child process so it competes
// for the CPUs as the real service does: a bare net/http handler that
// answers with the bytes of -file from a variable, or, with -redis, GETs
// them from Redis on every request.
func runBare(args []string) error {
	fs := flag.NewFlagSet("loadbench bare", flag.ContinueOnError)
	addr := fs.String("addr", "127.0.0.1:0", "listen address")
	file := fs.String("file", "", "the bytes to serve")
	redisURL := fs.String("redis", "", "GET the bytes from this Redis on every request")
	key := fs.String("key", "", "the Redis key holding the bytes")
	ctype := fs.String("type", "image/jpeg", "Content-Type")
	if err := fs.Parse(args); err != nil {
		return err
	}
	body, err := os.ReadFile(*file)
	if err != nil {
		return fmt.Errorf("-file: %w", err)
	}
	var h http.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", *ctype)
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		_, _ = w.Write(body)
	})
	if *redisURL != "" {
		opt, err := redis.ParseURL(*redisURL)
		if err != nil {
			return fmt.Errorf("-redis: %w", err)
		}
		// go-redis defaults, as the service uses them.
		rc := redis.NewClient(opt)
		defer rc.Close()
		if err := rc.Set(context.Background(), *key, body, time.Hour).Err(); err != nil {
			return fmt.Errorf("store the bytes in Redis: %w", err)
		}
		h = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			ctx, cancel := context.WithTimeout(r.Context(), 100*time.Millisecond)
			b, err := rc.Get(ctx, *key).Bytes()
			cancel()
			if err != nil {
				http.Error(w, err.Error(), http.StatusBadGateway)
				return
			}
			w.Header().Set("Content-Type", *ctype)
			w.Header().Set("Content-Length", strconv.Itoa(len(b)))
			_, _ = w.Write(b)
		})
	}
	l, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() {
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		_ = srv.Shutdown(sctx)
	}()
	if err := srv.Serve(l); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
