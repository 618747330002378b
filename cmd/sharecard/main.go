// Command sharecard renders personalized invitation cards and serves the
// share links that carry them.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args, os.Getenv, os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// env gives the process environment and streams to a subcommand, so tests
// can run the whole binary in-process.
type env struct {
	getenv func(string) string
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
}

type command struct {
	summary string
	run     func(ctx context.Context, args []string, e env) int
}

var commands = map[string]command{
	"serve":    {"run the HTTP service", runServe},
	"render":   {"render one card (or all variants) to files", runRender},
	"validate": {"check every campaign file", runValidate},
	"invite":   {"mint invitation links for a CSV of people", runInvite},
	"stats":    {"print a campaign's numbers", runStats},
	"campaign": {"list, pull and push campaigns of a running service", runCampaign},
}

// run dispatches to a subcommand and returns the process exit code:
// 0 success, 1 failure, 2 bad usage.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) int {
	e := env{getenv: getenv, stdin: stdin, stdout: stdout, stderr: stderr}
	if len(args) < 2 {
		usage(stderr)
		return 2
	}
	name := args[1]
	if name == "-h" || name == "--help" || name == "help" {
		usage(stdout)
		return 0
	}
	cmd, ok := commands[name]
	if !ok {
		fmt.Fprintf(stderr, "sharecard: unknown command %q (try: serve, render, validate, invite, stats, campaign)\n", name)
		return 2
	}
	return cmd.run(ctx, args[2:], e)
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: sharecard <command> [flags]")
	fmt.Fprintln(w)
	for _, n := range []string{"serve", "render", "validate", "invite", "stats", "campaign"} {
		fmt.Fprintf(w, "  %-9s %s\n", n, commands[n].summary)
	}
	fmt.Fprintln(w, "\nRun 'sharecard <command> -h' for its flags.")
}
