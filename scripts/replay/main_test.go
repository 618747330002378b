package main

import (
	"os"
	"strings"
	"testing"
)

// TestReplay plays the six days embedded and, with REDIS_URL, through
// Redis: every number read back matches what was played.
func TestReplay(t *testing.T) {
	if testing.Short() {
		t.Skip("plays some 17,500 requests")
	}
	modes := [][]string{nil}
	if u := os.Getenv("REDIS_URL"); u != "" {
		modes = append(modes, []string{"-redis", u})
	} else if os.Getenv("CI") != "" {
		t.Fatal("REDIS_URL is not set, but CI is: the replay must run through Redis too")
	}
	for _, args := range modes {
		t.Run(strings.Join(append([]string{"replay"}, args...), " "), func(t *testing.T) {
			var out strings.Builder
			if err := run(args, &out); err != nil {
				t.Fatalf("%v\n%s", err, out.String())
			}
			if !strings.Contains(out.String(), "every number matches what was played") {
				t.Errorf("output:\n%s", out.String())
			}
		})
	}
}
