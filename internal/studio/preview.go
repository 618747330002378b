package studio

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"slices"

	"github.com/labstack/echo/v4"

	"github.com/sharecard/sharecard/internal/campaign"
	"github.com/sharecard/sharecard/internal/card"
	"github.com/sharecard/sharecard/internal/invite"
	"github.com/sharecard/sharecard/internal/variant"
)

// draft compiles yaml as a draft of campaign id (or finds it compiled).
// A file over the bound is an error of its own, never compiled.
func (h *Handlers) draft(c echo.Context, id string, yaml []byte) (*draft, error) {
	if len(yaml) > campaign.MaxFileBytes {
		return nil, &campaign.TooLargeError{What: "a campaign file", Limit: campaign.MaxFileBytes}
	}
	base := ""
	if live, ok := h.d.Library.Lookup(id); ok {
		base = live.Version
	}
	ctx := c.Request().Context()
	return h.drafts.get(ctx, draftKey(id, base, yaml), func() *draft {
		// Not the request's context: the draft is kept for the requests
		// after it, which a cancelled first one must not spoil.
		camp, warnings, err := h.d.Library.Draft(context.WithoutCancel(ctx), id, yaml)
		if warnings == nil {
			warnings = []string{}
		}
		return &draft{camp: camp, warnings: warnings, err: err}
	})
}

// fail answers a studio request that cannot be served, as JSON for the
// script: status and a message saying what to do, with the file's
// problems at their lines when that is what is wrong.
func fail(c echo.Context, status int, msg string, problems []problemJSON) error {
	if problems == nil {
		problems = []problemJSON{}
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.JSON(status, map[string]any{"message": msg, "errors": problems})
}

// draftError answers for a draft that cannot be previewed.
func draftError(c echo.Context, err error) error {
	var tl *campaign.TooLargeError
	var inv *campaign.InvalidError
	switch {
	case errors.As(err, &tl):
		return fail(c, http.StatusRequestEntityTooLarge, "Kampagnefilen er for stor: "+tl.Error(), nil)
	case errors.As(err, &inv):
		return fail(c, http.StatusUnprocessableEntity, "Kampagnefilen har fejl; se dem ved deres linjer.", problemsOf(err))
	case errors.Is(err, campaign.ErrInvalidID):
		return fail(c, http.StatusNotFound, "Ukendt kampagne.", nil)
	default:
		return err
	}
}

// checkJSON is what the script learns about a draft.
type checkJSON struct {
	OK       bool          `json:"ok"`
	Hash     string        `json:"hash"`
	Errors   []problemJSON `json:"errors"`
	Warnings []string      `json:"warnings"`
	Social   *socialView   `json:"social,omitempty"`
}

// known reports whether campaign id exists, live or archived, or is being
// made (a new campaign the studio opened from a copy names its source).
func (h *Handlers) known(c echo.Context, id string) bool {
	if !campaign.ValidID(id) {
		return false
	}
	if _, _, _, err := h.d.Library.Get(c.Request().Context(), id, ""); err == nil {
		return true
	}
	from := c.FormValue("from")
	if from == "" {
		return false
	}
	_, _, _, err := h.d.Library.Get(c.Request().Context(), from, "")
	return err == nil
}

// Check serves POST /admin/studio/:id/check (yaml): the draft's problems
// at their lines, the renderer's warnings and the share simulator's view.
func (h *Handlers) Check(c echo.Context) error {
	id := c.Param("id")
	if !h.known(c, id) {
		return fail(c, http.StatusNotFound, "Ukendt kampagne: "+id, nil)
	}
	d, err := h.draft(c, id, []byte(c.FormValue("yaml")))
	if err != nil {
		return draftError(c, err)
	}
	out := checkJSON{OK: d.err == nil, Hash: d.hash, Errors: problemsOf(d.err), Warnings: d.warnings}
	if d.err == nil {
		s := simulate(d.camp, h.domain)
		out.Social = &s
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.JSON(http.StatusOK, out)
}

// Preview serves POST /admin/studio/:id/preview (yaml, name, variant):
// the draft's card for the name, as a JPEG. It renders straight from the
// compiled draft: never through the image cache real links use, and never
// with the published version.
func (h *Handlers) Preview(c echo.Context) error {
	id := c.Param("id")
	if !h.known(c, id) {
		return fail(c, http.StatusNotFound, "Ukendt kampagne: "+id, nil)
	}
	name, vname := c.FormValue("name"), c.FormValue("variant")
	if !slices.Contains(variant.Names(), vname) {
		return fail(c, http.StatusBadRequest, "Ukendt format "+vname+" (og, square, portrait eller story).", nil)
	}
	d, err := h.draft(c, id, []byte(c.FormValue("yaml")))
	if err != nil {
		return draftError(c, err)
	}
	if d.err != nil {
		return draftError(c, d.err)
	}
	return h.card(c, d.camp, name, vname, d.hash)
}

// card renders camp's variant for name, checked as minting checks it.
func (h *Handlers) card(c echo.Context, camp *campaign.Campaign, name, vname, etag string) error {
	inv, err := invite.NormalizeWith(invite.Invitation{Campaign: camp.ID, Name: name}, invite.Rules{EmojiInNames: camp.EmojiInNames})
	if err != nil {
		return fail(c, http.StatusUnprocessableEntity, "Navnet kan ikke bruges: "+err.Error(), nil)
	}
	tpl, ok := camp.Variant(vname)
	if !ok {
		return fail(c, http.StatusNotFound, "Kampagnen har ikke formatet "+vname+".", nil)
	}
	f := card.Fields{Name: inv.Name, Title: campaign.TypicalFields.Title, Org: campaign.TypicalFields.Org}
	img, err := card.RenderBytes(tpl, f, card.JPEG, h.d.Encode)
	if err != nil {
		return err
	}
	hd := c.Response().Header()
	hd.Set("Cache-Control", "no-store")
	hd.Set("X-Draft", etag)
	if missing := tpl.Missing(inv.Name); len(missing) > 0 {
		// Escaped: a header is ASCII. The script says which letters no
		// font of the campaign has (minting would refuse the name).
		hd.Set("X-Missing-Letters", url.QueryEscape(string(missing)))
	}
	return c.Blob(http.StatusOK, "image/jpeg", img)
}

// Card serves GET /admin/studio/:id/card/:variant (?name=): the published
// version's card for a name, the page's first previews before the script
// has rendered the draft. Rendered here too, not through the links' cache:
// a designer's test names are no one's invitation.
func (h *Handlers) Card(c echo.Context) error {
	id := c.Param("id")
	camp, ok := h.d.Library.Lookup(id)
	if !ok {
		return echo.NewHTTPError(http.StatusNotFound, "campaign "+id+" is not live")
	}
	vname := c.Param("variant")
	if !slices.Contains(variant.Names(), vname) {
		return echo.NewHTTPError(http.StatusNotFound, "no variant "+vname)
	}
	return h.card(c, camp, c.QueryParam("name"), vname, camp.Version)
}
