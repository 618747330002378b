// Package sharecard holds the files the binary carries: the fonts and the
// campaign assets, embedded so a single binary runs anywhere.
package sharecard

import (
	"embed"
	"io/fs"
)

//go:embed fonts assets
var files embed.FS

// Files is the one file system everything reads fonts and assets from, by
// paths like "fonts/Inter-Regular.otf" and "assets/campaigns". The server
// and the CLI can swap in os.DirFS(dir) of a checkout for live editing.
func Files() fs.FS { return files }

// CampaignDir is where the campaign files live inside Files.
const CampaignDir = "assets/campaigns"
