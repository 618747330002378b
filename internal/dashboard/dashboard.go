// Package dashboard owns the campaign manager's pages: admin login with a
// session cookie, the stats API and the dashboard with server-side charts.
// The pages run no script and load nothing from elsewhere: charts are
// inline SVG drawn here, and the page refreshes itself with a meta tag.
package dashboard

import (
	"crypto/sha256"
	"io/fs"
	"log/slog"
	"time"

	sharecard "github.com/sharecard/sharecard"
	"github.com/sharecard/sharecard/internal/admin"
	"github.com/sharecard/sharecard/internal/campaign"
	"github.com/sharecard/sharecard/internal/report"
	"github.com/sharecard/sharecard/internal/revoke"
	"github.com/sharecard/sharecard/internal/stats"
)

// Campaigns are the campaigns the dashboard knows: a *campaign.Set, or
// the live *campaign.Library whose campaigns a publish changes.
type Campaigns interface {
	Lookup(id string) (*campaign.Campaign, bool)
	IDs() []string
}

// Deps are what the dashboard needs.
type Deps struct {
	// Stats answers the queries; the recorder (*stats.Buffered) is one, and
	// in embedded mode the only one that holds the numbers.
	Stats         stats.Reader
	Campaigns     Campaigns // nil accepts any well-formed campaign id
	AdminToken    string    // empty: nobody can log in
	SecureCookies bool      // set the Secure flag (behind HTTPS)
	Log           *slog.Logger
	Now           func() time.Time // default time.Now
	// Ended holds the sessions ended by logging out, shared by the
	// replicas (the service's revocation list); nil: this process only.
	Ended revoke.List
	// Gate checks the token at login and throttles failures; the service
	// shares one with the bearer API. nil: one for AdminToken.
	Gate *admin.Gate
	// Reports are the take-down reports the campaign page lists; nil:
	// none are shown.
	Reports report.Store
	// Revoker takes a reported link out of service; nil: the page cannot.
	Revoker Revoker
	// Files holds the fonts the reports are drawn in (the embedded assets);
	// nil: the embedded copy.
	Files fs.FS
}

// Handlers serve the admin pages and the stats API.
type Handlers struct {
	d           Deps
	key         []byte // session signing key, derived from the admin token
	reportFonts reportFonts
}

// sessionLife is how long a login lasts.
const sessionLife = 12 * time.Hour

// New builds the handlers.
func New(d Deps) *Handlers {
	if d.Log == nil {
		d.Log = slog.New(slog.DiscardHandler)
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Stats == nil {
		d.Stats = stats.NewStore(stats.Options{}) // an empty store: zeros, not a crash
	}
	if d.Ended == nil {
		d.Ended = revoke.NewMemory()
	}
	if d.Files == nil {
		d.Files = sharecard.Files()
	}
	if d.Gate == nil {
		d.Gate = admin.New(d.AdminToken, admin.Options{})
	}
	// Sessions are signed with a key derived from the admin token: any
	// replica can check them, and changing the token ends every session.
	k := sha256.Sum256([]byte("sharecard dashboard session\x00" + d.AdminToken))
	return &Handlers{d: d, key: k[:]}
}
