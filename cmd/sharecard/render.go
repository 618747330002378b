package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"github.com/sharecard/sharecard"
	"github.com/sharecard/sharecard/internal/campaign"
	"github.com/sharecard/sharecard/internal/card"
	"github.com/sharecard/sharecard/internal/config"
)

// assetsFS is the embedded files, or a directory laid out like the
// repository root (fonts/, assets/) when --assets is given.
func assetsFS(dir string) (fs.FS, error) {
	if dir == "" {
		return sharecard.Files(), nil
	}
	st, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("--assets: %w", err)
	}
	if !st.IsDir() {
		return nil, fmt.Errorf("--assets %s: not a directory", dir)
	}
	return os.DirFS(dir), nil
}

// loadCampaigns loads the campaign files of --assets (a checkout being
// edited) when it is given; else the campaigns in the store serve uses
// (Redis when REDIS_URL or its siblings are set, else SHARECARD_DATA_DIR),
// seeded as serve seeds it. Renderer warnings (missing glyphs) go to
// stderr.
func loadCampaigns(ctx context.Context, assets string, e env) (*campaign.Set, error) {
	log := slog.New(slog.NewTextHandler(e.stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	if assets != "" {
		fsys, err := assetsFS(assets)
		if err != nil {
			return nil, err
		}
		return campaign.Load(fsys, sharecard.CampaignDir, log)
	}
	cfg, err := config.Load(flag.NewFlagSet("env", flag.ContinueOnError), nil, e.getenv)
	if err != nil {
		return nil, err
	}
	files, err := assetFiles(cfg)
	if err != nil {
		return nil, err
	}
	rdb, err := redisClient(cfg)
	if err != nil {
		return nil, err
	}
	if rdb != nil {
		defer rdb.Close()
	}
	lib, err := openLibrary(ctx, cfg, files, rdb, log)
	if err != nil {
		return nil, err
	}
	if err := lib.Check(ctx); err != nil {
		return nil, err
	}
	return lib.Current(), nil
}

// sampleName is drawn when no --name is given.
const sampleName = "Lars Hansen"

func runRender(ctx context.Context, args []string, e env) int {
	fl := flag.NewFlagSet("sharecard render", flag.ContinueOnError)
	fl.SetOutput(io.Discard)
	var (
		campaignID = fl.String("campaign", "ligestilling", "campaign id")
		variant    = fl.String("variant", "og", "variant: "+strings.Join(campaign.VariantNames, ", "))
		name       = fl.String("name", "", "the invitee's name (default: a sample name)")
		title      = fl.String("title", "", "the invitee's job title")
		org        = fl.String("org", "", "the invitee's organisation")
		out        = fl.String("out", "", "output file; .png or .jpg decides the format; - writes to stdout")
		format     = fl.String("format", "", "png or jpg: the format for --out - and --all-variants (default png)")
		all        = fl.Bool("all-variants", false, "render every variant into --out-dir")
		declined   = fl.Bool("declined", false, `render the campaign's "I declined" card instead of the invitation`)
		outDir     = fl.String("out-dir", "", "directory for --all-variants")
		quality    = fl.Int("quality", card.DefaultJPEGQuality, "JPEG quality 1-100")
		assets     = fl.String("assets", "", "read fonts/ and assets/ from this directory instead of the embedded files")
		lang       = fl.String("lang", "", "the card's language, one the campaign offers (default: the campaign's)")
	)
	usage := func() {
		fmt.Fprintln(e.stderr, "usage: sharecard render [--name NAME] [--title T] [--org O] [--campaign ID] [--lang LANG] [--declined] (--variant V --out FILE | --all-variants --out-dir DIR)")
		fl.SetOutput(e.stderr)
		fl.PrintDefaults()
	}
	bad := func(format string, a ...any) int {
		fmt.Fprintf(e.stderr, "sharecard render: "+format+"\n", a...)
		return 2
	}
	if err := fl.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			usage()
			return 0
		}
		return bad("%v (see sharecard render -h)", err)
	}
	if fl.NArg() > 0 {
		return bad("unexpected argument %q (quote a name with spaces: --name \"Lars Hansen\")", fl.Arg(0))
	}
	nameSet := false
	fl.Visit(func(f *flag.Flag) { nameSet = nameSet || f.Name == "name" })
	switch {
	case !nameSet:
		// "sharecard render --all-variants --out-dir cards" shows the design.
		// The note waits until the flags are known to be good, so a usage
		// error stays one line.
		*name = sampleName
	case strings.TrimSpace(*name) == "":
		return bad("--name is empty")
	}
	if *quality < 1 || *quality > 100 {
		return bad("--quality %d: must be 1-100", *quality)
	}
	var fmtFlag card.Format
	if *format != "" {
		f, ok := card.ParseFormat(*format)
		if !ok {
			return bad("--format %q: want png or jpg", *format)
		}
		fmtFlag = f
	}
	if *all {
		if *outDir == "" {
			return bad("--all-variants needs --out-dir DIR")
		}
		if *out != "" {
			return bad("--all-variants writes into --out-dir; drop --out")
		}
	} else {
		if *outDir != "" {
			return bad("--out-dir goes with --all-variants; for one variant use --out FILE")
		}
		if *out == "" {
			return bad("--out is required (a .png or .jpg file, or - for stdout)")
		}
		if *out != "-" {
			f, ok := card.ParseFormat(filepath.Ext(*out))
			if !ok {
				return bad("--out %s: the extension must be .png, .jpg or .jpeg", *out)
			}
			if fmtFlag != "" && fmtFlag != f {
				return bad("--format %s contradicts --out %s", *format, *out)
			}
			fmtFlag = f
		}
	}
	if fmtFlag == "" {
		fmtFlag = card.PNG
	}

	set, err := loadCampaigns(ctx, *assets, e)
	if err != nil {
		fmt.Fprintln(e.stderr, err)
		fmt.Fprintln(e.stderr, "sharecard render: the campaign files have errors (run sharecard validate)")
		return 1
	}
	c, ok := set.Lookup(*campaignID)
	if !ok {
		return bad("unknown campaign %q (campaigns: %s)", *campaignID, strings.Join(set.IDs(), ", "))
	}
	if *lang != "" {
		if !c.Offers(*lang) {
			return bad("--lang %q: campaign %s offers %s", *lang, c.ID, strings.Join(c.Languages(), ", "))
		}
		c = c.In(*lang)
	}
	template, prefix := c.Variant, ""
	if *declined {
		if !c.HasDeclinedCard() {
			return bad("campaign %q has no \"I declined\" card (a declined: section)", *campaignID)
		}
		template, prefix = c.Declined, "declined-"
	}
	variants := []string{*variant}
	if *all {
		variants = campaign.VariantNames
	} else if _, ok := template(*variant); !ok {
		return bad("unknown variant %q (variants: %s)", *variant, strings.Join(campaign.VariantNames, ", "))
	}
	if !nameSet {
		fmt.Fprintf(e.stderr, "sharecard render: no --name given; using %q\n", sampleName)
	}
	fields := card.Fields{Name: *name, Title: *title, Org: *org}
	opts := card.EncodeOptions{JPEGQuality: *quality}
	if *all {
		if err := os.MkdirAll(*outDir, 0o755); err != nil {
			fmt.Fprintf(e.stderr, "sharecard render: %v\n", err)
			return 1
		}
	}
	for _, v := range variants {
		if err := ctx.Err(); err != nil {
			fmt.Fprintf(e.stderr, "sharecard render: %v\n", err)
			return 1
		}
		t, _ := template(v)
		data, err := card.RenderBytes(t, fields, fmtFlag, opts)
		if err != nil {
			fmt.Fprintf(e.stderr, "sharecard render: %s: %v\n", v, err)
			return 1
		}
		dst := *out
		if *all {
			dst = filepath.Join(*outDir, prefix+v+"."+string(fmtFlag))
		}
		if dst == "-" {
			if _, err := io.Copy(e.stdout, bytes.NewReader(data)); err != nil {
				fmt.Fprintf(e.stderr, "sharecard render: write stdout: %v\n", err)
				return 1
			}
			continue
		}
		if err := os.WriteFile(dst, data, 0o644); err != nil {
			fmt.Fprintf(e.stderr, "sharecard render: %v\n", err)
			return 1
		}
		fmt.Fprintf(e.stderr, "wrote %s (%s %d×%d, %d bytes)\n", dst, v, t.Width, t.Height, len(data))
	}
	return 0
}
