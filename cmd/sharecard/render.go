package main

import (
	"context"
	"fmt"
)

func runRender(ctx context.Context, args []string, e env) int {
	fmt.Fprintln(e.stderr, "sharecard render: not built yet")
	return 1
}
