package studio

import (
	"errors"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/sharecard/sharecard/internal/campaign"
	"github.com/sharecard/sharecard/internal/variant"
)

// indexView is the list of campaigns and the form for a new one.
type indexView struct {
	CSRF      string
	Campaigns []indexRow
	From      []string // campaigns a new one may start as a copy of
	NewID     string
	Error     string
}

type indexRow struct {
	ID, Version string
	Archived    bool
}

// Index serves GET /admin/studio: every campaign, and a new one.
func (h *Handlers) Index(c echo.Context) error {
	return h.index(c, http.StatusOK, "", "")
}

func (h *Handlers) index(c echo.Context, status int, newID, msg string) error {
	v := indexView{CSRF: h.d.CSRF(c), NewID: newID, Error: msg}
	heads, err := h.d.Library.List(c.Request().Context())
	if err != nil {
		return err
	}
	for _, hd := range heads {
		if hd.Current == "" {
			continue // assets uploaded for a campaign never published
		}
		v.Campaigns = append(v.Campaigns, indexRow{ID: hd.ID, Version: hd.Current, Archived: hd.Archived})
		if !hd.Archived {
			v.From = append(v.From, hd.ID)
		}
	}
	return h.render(c, status, "index", v)
}

// Create serves POST /admin/studio (id, from): a new campaign begins as
// a copy of another's current file and assets. Nothing is published: the
// assets are kept for the new id's first publish, and the studio opens on
// the copied file.
func (h *Handlers) Create(c echo.Context) error {
	ctx := c.Request().Context()
	id, from := strings.TrimSpace(c.FormValue("id")), c.FormValue("from")
	if !campaign.ValidID(id) {
		return h.index(c, http.StatusUnprocessableEntity, id, "Et kampagne-id består af 1–64 tegn: a–z, 0–9 og bindestreg.")
	}
	if hd, _, _, err := h.d.Library.Get(ctx, id, ""); err == nil {
		return h.index(c, http.StatusConflict, id, "Kampagnen "+hd.ID+" findes allerede; åbn den i listen.")
	} else if !errors.Is(err, campaign.ErrNotFound) {
		return err
	}
	_, v, _, err := h.d.Library.Get(ctx, from, "")
	if err != nil {
		return h.index(c, http.StatusUnprocessableEntity, id, "Vælg en kampagne at starte fra.")
	}
	for name := range v.Assets {
		data, err := h.d.Library.Asset(ctx, from, v, name)
		if err == nil {
			_, err = h.d.Library.PutAsset(ctx, id, name, data)
		}
		if err != nil {
			h.d.Log.Warn("studio: copy an asset for a new campaign", "campaign", id, "from", from, "asset", name, "err", err)
			return h.index(c, http.StatusServiceUnavailable, id, "Kampagnens filer kunne ikke kopieres ("+name+"). Prøv igen.")
		}
	}
	return c.Redirect(http.StatusSeeOther, "/admin/studio/"+url.PathEscape(id)+"?from="+url.QueryEscape(from))
}

// pageView is the studio page.
type pageView struct {
	ID, CSRF string
	// Base is the version the draft started from (the compare-and-set of
	// a publish); empty for a campaign not yet published.
	Base, From string
	YAML       string
	Lines      []int // the editor's line numbers, drawn before the script runs
	Names      []stressName
	Variants   []variant.Variant
	Social     *socialView
	Problems   []problemJSON
	Warnings   []string
	Versions   []versionRow
	Assets     []assetRow
	Message    string
	Error      string
	// Languages is the language choice (the draft's languages, default
	// first); Lang the one chosen, the default when the page is drawn.
	Languages []langOption
	Lang      string
	// Declined: the draft has an "I declined" card, previewed under the
	// invitation's.
	Declined bool
	// Review, when set, is the diff a plain form post asked for.
	Review *diffView
	// Reload is hot reload's last save of the campaign's file that did
	// not validate (SHARECARD_ASSETS_DIR), shown beside the live version.
	Reload *reloadView
}

type reloadView struct {
	File, At string
	Problems []problemJSON
}

type versionRow struct {
	ID, Created, Size string
	Current           bool
}

// idLine is a campaign file's own id: line, rewritten when a file is
// copied to a new campaign.
var idLine = regexp.MustCompile(`(?m)^id:[ \t]*[^\n]*$`)

// Page serves GET /admin/studio/:id.
func (h *Handlers) Page(c echo.Context) error {
	id := c.Param("id")
	v, err := h.view(c, id, nil)
	if err != nil {
		return err
	}
	switch {
	case c.QueryParam("published") != "":
		v.Message = "Version " + c.QueryParam("published") + " er udgivet og vises nu på alle links."
	case c.QueryParam("rolledback") != "":
		v.Message = "Version " + c.QueryParam("rolledback") + " er gjort aktuel igen."
	case c.QueryParam("uploaded") != "":
		v.Message = c.QueryParam("uploaded") + " er lagt op; kampagnefilen kan nu bruge den."
	case c.QueryParam("deleted") != "":
		v.Message = c.QueryParam("deleted") + " er slettet; tidligere versioner har den stadig."
	}
	return h.render(c, http.StatusOK, "studio", v)
}

// view builds the page for campaign id, with yaml as the draft (nil: the
// current version's file, or a copy's for a new campaign).
func (h *Handlers) view(c echo.Context, id string, yaml []byte) (*pageView, error) {
	ctx := c.Request().Context()
	if !campaign.ValidID(id) {
		return nil, echo.NewHTTPError(http.StatusNotFound, "no campaign "+id)
	}
	v := &pageView{ID: id, CSRF: h.d.CSRF(c), Names: stressNames(campaign.TypicalFields.Name), Variants: variant.All()}
	head, _, file, err := h.d.Library.Get(ctx, id, "")
	switch {
	case err == nil:
		v.Base = head.Current
		_, vs, err := h.d.Library.Versions(ctx, id)
		if err != nil {
			return nil, err
		}
		for _, x := range slices.Backward(vs) {
			v.Versions = append(v.Versions, versionRow{ID: x.ID, Created: x.Created.In(h.zone(id)).Format("2.1.2006 15:04"),
				Size: byteSize(x.Size), Current: x.ID == head.Current})
		}
	case errors.Is(err, campaign.ErrNotFound):
		from := c.QueryParam("from")
		if from == "" {
			from = c.FormValue("from")
		}
		if from == "" {
			return nil, echo.NewHTTPError(http.StatusNotFound, "campaign "+id+" does not exist; make it from the studio's list at /admin/studio")
		}
		_, _, src, err := h.d.Library.Get(ctx, from, "")
		if err != nil {
			return nil, echo.NewHTTPError(http.StatusNotFound, "campaign "+from+" to start from does not exist")
		}
		v.From = from
		file = idLine.ReplaceAll(src, []byte("id: "+id))
	default:
		return nil, err
	}
	if v.Assets, err = h.assetRows(c, id); err != nil {
		return nil, err
	}
	if f, ok := h.d.Library.ReloadFailed(id); ok {
		v.Reload = &reloadView{File: f.File, At: f.At.In(h.zone(id)).Format("15:04:05"), Problems: problemsOf(&campaign.InvalidError{ID: id, Problems: f.Problems})}
	}
	if yaml == nil {
		yaml = file
	}
	v.YAML = string(yaml)
	v.Lines = make([]int, strings.Count(v.YAML, "\n")+1)
	for i := range v.Lines {
		v.Lines[i] = i + 1
	}
	d, err := h.draft(c, id, yaml)
	if err != nil {
		return nil, err
	}
	if d.err != nil {
		v.Problems = problemsOf(d.err)
		// The choice still lists the published version's languages: the
		// previews are of the last draft that validated.
		if live, ok := h.d.Library.Lookup(id); ok {
			v.Languages, v.Lang, v.Declined = languageOptions(live), live.Lang(), live.HasDeclinedCard()
		}
	} else {
		s := simulate(d.camp, h.domain)
		v.Languages, v.Lang, v.Declined = languageOptions(d.camp), d.camp.Lang(), d.camp.HasDeclinedCard()
		if v.Base != "" {
			s.CardURL = "/admin/studio/" + url.PathEscape(id) + "/card/"
		}
		v.Social, v.Warnings = &s, d.warnings
	}
	return v, nil
}

// zone is the campaign's time zone for its versions' times.
func (h *Handlers) zone(id string) *time.Location {
	if c, ok := h.d.Library.Lookup(id); ok && c.TimeZone != nil {
		return c.TimeZone
	}
	return campaignZone
}

// Rollback serves POST /admin/studio/:id/rollback (version): the same
// rollback as the API's.
func (h *Handlers) Rollback(c echo.Context) error {
	id, version := c.Param("id"), c.FormValue("version")
	res, err := h.d.Library.Rollback(c.Request().Context(), id, version)
	if err != nil {
		v, verr := h.view(c, id, nil)
		if verr != nil {
			return err
		}
		v.Error = "Version " + version + " kunne ikke gøres aktuel: " + err.Error()
		return h.render(c, http.StatusUnprocessableEntity, "studio", v)
	}
	h.d.Log.Info("campaign rolled back in the studio", "campaign", id, "version", res.Version)
	return c.Redirect(http.StatusSeeOther, "/admin/studio/"+url.PathEscape(id)+"?rolledback="+url.QueryEscape(res.Version))
}
