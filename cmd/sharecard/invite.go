package main

import (
	"context"
	"fmt"
)

func runInvite(ctx context.Context, args []string, e env) int {
	fmt.Fprintln(e.stderr, "sharecard invite: not built yet")
	return 1
}
