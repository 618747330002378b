package share

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/sharecard/sharecard/internal/campaign"
	"github.com/sharecard/sharecard/internal/invite"
	"github.com/sharecard/sharecard/internal/stats"
	"github.com/sharecard/sharecard/internal/variant"
)

// MaxBatchRows bounds one batch request.
const MaxBatchRows = 10000

// Result is one minted invitation as the API and `sharecard invite` report
// it. A row that failed has only Line, Name and Error.
type Result struct {
	Line         int               `json:"line,omitempty"`
	Name         string            `json:"name,omitempty"`
	Token        string            `json:"token,omitempty"`
	URL          string            `json:"url,omitempty"`
	Images       map[string]string `json:"images,omitempty"`
	InvitationID string            `json:"invitation_id,omitempty"`
	// Lang is the language of the link's page and cards.
	Lang  string `json:"lang,omitempty"`
	Error string `json:"error,omitempty"`
}

// CSVHeader is the header of batch CSV output; CSVRecord gives a row.
var CSVHeader = []string{"line", "name", "url", "token", variant.Preview + "_image", "invitation_id", "error"}

// CSVRecord is r as a CSV row under CSVHeader.
func (r Result) CSVRecord() []string {
	line := ""
	if r.Line > 0 {
		line = strconv.Itoa(r.Line)
	}
	return []string{line, csvSafe(r.Name), r.URL, r.Token, r.Images[variant.Preview], r.InvitationID, r.Error}
}

// csvSafe defuses spreadsheet formulas in names echoed back into CSV
// (only validated names reach here, but the error rows echo raw input).
func csvSafe(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// Campaign finds a campaign named in a request; an empty or unknown id is
// a *invite.FieldError that lists the known ones.
func (s *Service) Campaign(id string) (*campaign.Campaign, error) {
	if id == "" {
		return nil, &invite.FieldError{Field: "campaign", Reason: "is required (known: " + strings.Join(s.Campaigns().IDs(), ", ") + ")"}
	}
	set := s.Campaigns()
	camp, ok := set.Lookup(id)
	if !ok {
		return nil, &invite.FieldError{Field: "campaign", Reason: fmt.Sprintf("unknown campaign %q (known: %s)", id, strings.Join(set.IDs(), ", "))}
	}
	return camp, nil
}

// Mint validates inv for camp (NFC, allowed characters, lengths; variants
// the campaign has; every character drawable by the campaign's fonts and
// the fallback chain), signs it and counts it. Refusals are
// *invite.FieldError.
func (s *Service) Mint(camp *campaign.Campaign, inv invite.Invitation) (string, invite.Invitation, error) {
	inv, err := s.validate(camp, inv)
	if err != nil {
		return "", inv, err
	}
	return s.sign(camp, inv)
}

// validate is Mint's checks, without signing anything.
func (s *Service) validate(camp *campaign.Campaign, inv invite.Invitation) (invite.Invitation, error) {
	inv.Campaign = camp.ID
	inv, err := invite.NormalizeWith(inv, invite.Rules{EmojiInNames: camp.EmojiInNames})
	if err != nil {
		return inv, err
	}
	for _, f := range fieldsOf(inv) {
		if missing := camp.Missing(f.text); len(missing) > 0 {
			return inv, invite.UndrawableError(f.name, missing)
		}
	}
	for _, v := range inv.Variants {
		if _, ok := camp.Variant(v); !ok {
			return inv, &invite.FieldError{Field: "variants", Reason: "campaign " + camp.ID + " has no variant " + v}
		}
	}
	return inv, nil
}

func fieldsOf(inv invite.Invitation) []struct{ name, text string } {
	return []struct{ name, text string }{{"name", inv.Name}, {"title", inv.Title}, {"org", inv.Org}}
}

// sign makes the token of a validated invitation and counts it.
func (s *Service) sign(camp *campaign.Campaign, inv invite.Invitation) (string, invite.Invitation, error) {
	token, err := s.signer.Encode(inv)
	if err != nil {
		return "", inv, err
	}
	s.stats.Record(stats.Event{Kind: stats.Minted, Campaign: camp.ID, Token: token, At: s.now()})
	return token, inv, nil
}

// MintPublic mints a visitor's own invitation from a campaign's public
// page: ErrNoSelfService where the campaign does not allow it,
// ErrCampaignClosed outside its dates, ErrWithdrawn for details whose
// card was revoked, a *BlockedError (counted, without
// the text) for a blocked word in any field, else Mint's refusals.
func (s *Service) MintPublic(camp *campaign.Campaign, row invite.Row) (string, error) {
	inv, err := s.CheckPublic(camp, row)
	var be *BlockedError
	if errors.As(err, &be) {
		s.stats.Record(stats.Event{Kind: stats.SelfServiceRefused, Campaign: camp.ID, At: s.now()})
	}
	if err != nil {
		return "", err
	}
	token, _, err := s.sign(camp, inv)
	return token, err
}

// CheckPublic is MintPublic's checks without minting or counting: what
// the campaign page's live preview draws is refused exactly as the
// invitation it previews would be. The invitation it returns is
// normalized, ready to draw.
func (s *Service) CheckPublic(camp *campaign.Campaign, row invite.Row) (invite.Invitation, error) {
	if !camp.SelfService {
		return invite.Invitation{}, ErrNoSelfService
	}
	if !s.OpenNow(camp) {
		return invite.Invitation{}, ErrCampaignClosed
	}
	inv, err := s.validate(camp, invite.Invitation{Name: row.Name, Title: row.Title, Org: row.Org})
	if err != nil {
		return inv, err
	}
	// Checked on the normalized text, so the check sees what the card
	// would show.
	for _, f := range fieldsOf(inv) {
		if _, blocked := camp.Blocked.Blocked(f.text); blocked {
			return inv, &BlockedError{Field: f.name}
		}
	}
	// The same details make the same link: one that was taken down
	// (after a report, say) must not come back through the form.
	if s.revoked.Revoked(inv.Fingerprint()) {
		return inv, ErrWithdrawn
	}
	return inv, nil
}

// OpenNow reports whether camp takes self-service sign-ups now.
func (s *Service) OpenNow(camp *campaign.Campaign) bool { return camp.OpenAt(s.now()) }

// MintRow mints one batch row; a bad row gets its own error.
func (s *Service) MintRow(camp *campaign.Campaign, row invite.Row) Result {
	camp, err := InLanguage(camp, row.Lang)
	if err != nil {
		return Result{Line: row.Line, Name: row.Name, Error: err.Error()}
	}
	token, inv, err := s.Mint(camp, invite.Invitation{Name: row.Name, Title: row.Title, Org: row.Org})
	if err != nil {
		return Result{Line: row.Line, Name: row.Name, Error: err.Error()}
	}
	r := s.Result(camp, inv, token)
	r.Line = row.Line
	return r
}

// Result describes a minted token: its page, its images and its stats
// id, in camp's language (camp from InLanguage): a link in a language
// other than the campaign's default says so in its address, so the page,
// its link preview and the cards are in the invitee's language whatever
// browser or crawler opens it.
func (s *Service) Result(camp *campaign.Campaign, inv invite.Invitation, token string) Result {
	r := Result{Name: inv.Name, Token: token, URL: s.links.Page(token) + PageLangQuery(camp), Lang: camp.Lang(),
		Images: map[string]string{}, InvitationID: stats.InvitationID(token)}
	for _, ref := range Published(inv) {
		if tpl, ok := camp.Variant(ref.Variant); ok {
			r.Images[ref.Variant] = s.links.Image(token, ref, tpl.Version) + LangQuery(camp)
		}
	}
	return r
}

// InLanguage is camp in lang, for a link minted in that language: ""
// keeps camp as it is; a language the campaign does not offer is a
// *invite.FieldError that names the ones it does.
func InLanguage(camp *campaign.Campaign, lang string) (*campaign.Campaign, error) {
	if lang == "" {
		return camp, nil
	}
	if !camp.Offers(lang) {
		return nil, &invite.FieldError{Field: "lang", Reason: fmt.Sprintf("campaign %s does not offer the language %q (languages: %s)",
			camp.ID, lang, strings.Join(camp.Languages(), ", "))}
	}
	return camp.In(lang), nil
}
