package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/sharecard/sharecard/internal/campaign"
)

func runValidate(ctx context.Context, args []string, e env) int {
	fl := flag.NewFlagSet("sharecard validate", flag.ContinueOnError)
	fl.SetOutput(io.Discard)
	assets := fl.String("assets", "", "check the campaign files under assets/ in this directory (with its fonts/) instead of the campaign store")
	if err := fl.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(e.stdout, "usage: sharecard validate [--assets DIR]")
			fl.SetOutput(e.stdout)
			fl.PrintDefaults()
			return 0
		}
		fmt.Fprintf(e.stderr, "sharecard validate: %v (see sharecard validate -h)\n", err)
		return 2
	}
	if fl.NArg() > 0 {
		fmt.Fprintf(e.stderr, "sharecard validate: unexpected argument %q\n", fl.Arg(0))
		return 2
	}
	set, err := loadCampaigns(ctx, *assets, e)
	if err != nil {
		// One problem per line, each file:line: what is wrong.
		fmt.Fprintln(e.stderr, err)
		n := strings.Count(err.Error(), "\n") + 1
		fmt.Fprintf(e.stderr, "sharecard validate: %d problem(s)\n", n)
		return 1
	}
	ids := set.IDs()
	fmt.Fprintf(e.stdout, "ok: %d campaign(s) (%s), %d variants each\n", len(ids), strings.Join(ids, ", "), len(campaign.VariantNames))
	return 0
}
