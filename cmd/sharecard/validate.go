package main

import (
	"context"
	"fmt"
)

func runValidate(ctx context.Context, args []string, e env) int {
	fmt.Fprintln(e.stderr, "sharecard validate: not built yet")
	return 1
}
