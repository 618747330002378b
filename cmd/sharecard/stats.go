package main

import (
	"context"
	"fmt"
)

func runStats(ctx context.Context, args []string, e env) int {
	fmt.Fprintln(e.stderr, "sharecard stats: not built yet")
	return 1
}
