package studio

import (
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/pmezard/go-difflib/difflib"

	"github.com/sharecard/sharecard/internal/campaign"
)

// diffView is a draft against the current version, as a unified diff.
type diffView struct {
	Base    string     `json:"base"` // the version compared with; empty for a new campaign
	Lines   []diffLine `json:"lines"`
	Changed bool       `json:"changed"`
	YAML    string     `json:"-"`
}

type diffLine struct {
	Kind string `json:"kind"` // "add", "del", "hunk" or "same"
	Text string `json:"text"`
}

// diff compares the current version's file (empty for a new campaign)
// with the draft, three lines of context, as `diff -u` would.
func diff(base string, cur, draft []byte) (diffView, error) {
	text, err := difflib.GetUnifiedDiffString(difflib.UnifiedDiff{
		A: difflib.SplitLines(string(cur)), B: difflib.SplitLines(string(draft)),
		FromFile: "aktuel " + base, ToFile: "kladde", Context: 3,
	})
	if err != nil {
		return diffView{}, err
	}
	v := diffView{Base: base, Lines: []diffLine{}, Changed: text != "", YAML: string(draft)}
	for _, l := range strings.Split(strings.TrimSuffix(text, "\n"), "\n") {
		if l == "" && text == "" {
			break
		}
		kind := "same"
		switch {
		case strings.HasPrefix(l, "+++"), strings.HasPrefix(l, "---"), strings.HasPrefix(l, "@@"):
			kind = "hunk"
		case strings.HasPrefix(l, "+"):
			kind = "add"
		case strings.HasPrefix(l, "-"):
			kind = "del"
		}
		v.Lines = append(v.Lines, diffLine{Kind: kind, Text: l})
	}
	return v, nil
}

// current is campaign id's current version and file ("", nil for one
// not yet published).
func (h *Handlers) current(c echo.Context, id string) (string, []byte, error) {
	head, _, yaml, err := h.d.Library.Get(c.Request().Context(), id, "")
	if errors.Is(err, campaign.ErrNotFound) {
		return "", nil, nil
	}
	return head.Current, yaml, err
}

// Diff serves POST /admin/studio/:id/diff (yaml): what publishing the
// draft would change. The script asks for JSON; a plain form post gets
// the page with the diff and a button to confirm.
func (h *Handlers) Diff(c echo.Context) error {
	id := c.Param("id")
	if !h.known(c, id) {
		return fail(c, http.StatusNotFound, "Ukendt kampagne: "+id, nil)
	}
	yaml := []byte(c.FormValue("yaml"))
	if len(yaml) > campaign.MaxFileBytes {
		return draftError(c, &campaign.TooLargeError{What: "a campaign file", Limit: campaign.MaxFileBytes})
	}
	base, cur, err := h.current(c, id)
	if err != nil {
		return err
	}
	d, err := diff(base, cur, yaml)
	if err != nil {
		return err
	}
	if wantsJSON(c) {
		c.Response().Header().Set("Cache-Control", "no-store")
		return c.JSON(http.StatusOK, d)
	}
	v, err := h.view(c, id, yaml)
	if err != nil {
		return err
	}
	v.Review = &d
	return h.render(c, http.StatusOK, "studio", v)
}

// Publish serves POST /admin/studio/:id/publish (yaml, base): the draft
// becomes the current version through the same compare-and-set publish as
// PUT /api/v1/campaigns/{id}. base is the version the designer saw the
// diff against: if someone published since, nothing is published and
// the answer says so.
func (h *Handlers) Publish(c echo.Context) error {
	id := c.Param("id")
	if !h.known(c, id) {
		return fail(c, http.StatusNotFound, "Ukendt kampagne: "+id, nil)
	}
	yaml, base := []byte(c.FormValue("yaml")), c.FormValue("base")
	ctx := c.Request().Context()
	cur, _, err := h.current(c, id)
	if err != nil {
		return err
	}
	if base == "" && cur != "" {
		// A new campaign that someone else created meanwhile.
		err = campaign.ErrVersionMismatch
	} else {
		var res campaign.Result
		if res, err = h.d.Library.Publish(ctx, id, yaml, base); err == nil {
			h.d.Log.Info("campaign published in the studio", "campaign", id, "version", res.Version)
			if wantsJSON(c) {
				return c.JSON(http.StatusOK, res)
			}
			return c.Redirect(http.StatusSeeOther, "/admin/studio/"+url.PathEscape(id)+"?published="+url.QueryEscape(res.Version))
		}
	}
	status, msg, problems := http.StatusInternalServerError, "", []problemJSON(nil)
	var inv *campaign.InvalidError
	var tl *campaign.TooLargeError
	switch {
	case errors.Is(err, campaign.ErrVersionMismatch), errors.Is(err, campaign.ErrConflict):
		now, _, _ := h.current(c, id)
		status = http.StatusConflict
		msg = "Nogen har udgivet version " + now + ", mens du arbejdede. Intet er udgivet. Se forskellen mod den nye version, og udgiv igen, hvis din kladde stadig skal ud."
	case errors.As(err, &inv):
		status, msg, problems = http.StatusUnprocessableEntity, "Kampagnefilen har fejl; intet er udgivet. Se fejlene ved deres linjer.", problemsOf(err)
	case errors.As(err, &tl):
		status, msg = http.StatusRequestEntityTooLarge, "Kampagnefilen er for stor: "+tl.Error()
	default:
		h.d.Log.Error("studio: publish", "campaign", id, "err", err)
		msg = "Udgivelsen mislykkedes (" + err.Error() + "). Intet er udgivet; prøv igen."
	}
	return h.refused(c, id, yaml, status, msg, problems)
}
