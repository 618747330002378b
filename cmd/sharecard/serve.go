package main

import (
	"context"
	"fmt"
)

func runServe(ctx context.Context, args []string, e env) int {
	fmt.Fprintln(e.stderr, "sharecard serve: not built yet")
	return 1
}
