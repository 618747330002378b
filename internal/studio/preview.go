package studio

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"

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
	// Languages the draft speaks (default first) and Lang the one the
	// simulator used: the script keeps the language choice in step with
	// a draft that adds or drops one.
	Languages []langOption `json:"languages,omitempty"`
	Lang      string       `json:"lang,omitempty"`
	// Declined: the draft has an "I declined" card to preview.
	Declined bool `json:"declined"`
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
		camp, refused := inLanguage(c, d.camp)
		if refused != "" {
			return fail(c, http.StatusBadRequest, refused, nil)
		}
		s := simulate(camp, h.domain)
		out.Social = &s
		out.Languages, out.Lang, out.Declined = languageOptions(d.camp), camp.Lang(), d.camp.HasDeclinedCard()
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.JSON(http.StatusOK, out)
}

// Preview serves POST /admin/studio/:id/preview (yaml, name, variant,
// lang, kind): the draft's card for the name, as a JPEG, in the language
// chosen (see inLanguage) and of the kind asked for (see cardKind). It renders straight from the
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

// langCode is the shape of a language code the campaign file allows
// (ISO 639-1, or a code with a region): checked before the draft's
// languages, so a mangled field is refused rather than quietly answered
// in the default language.
var langCode = regexp.MustCompile(`^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$`)

// inLanguage is camp speaking the request's lang field. An empty field
// or a language the draft does not (or no longer) offer is the
// campaign's default language, as a visitor's link would be: a designer
// who drops a language from languages: keeps seeing previews. A field
// that is no language code at all is refused: refused is the message.
func inLanguage(c echo.Context, camp *campaign.Campaign) (_ *campaign.Campaign, refused string) {
	lang := c.FormValue("lang")
	if lang != "" && !langCode.MatchString(lang) {
		return nil, "Ukendt sprogkode " + strconv.Quote(lang) + " (fx da eller en)."
	}
	return camp.In(lang), ""
}

// langOption is one language of the studio's language choice.
type langOption struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

// languageNames are the choice's words: each language in itself, as the
// public pages' language switch names them.
var languageNames = map[string]string{
	"da": "Dansk", "en": "English", "sv": "Svenska", "nb": "Norsk bokmål", "nn": "Norsk nynorsk",
	"de": "Deutsch", "fr": "Français", "es": "Español", "it": "Italiano", "nl": "Nederlands",
	"fi": "Suomi", "pl": "Polski", "pt": "Português", "is": "Íslenska",
}

// languageOptions lists camp's languages, its default first.
func languageOptions(camp *campaign.Campaign) []langOption {
	var out []langOption
	for _, l := range camp.Languages() {
		name, ok := languageNames[l]
		if !ok {
			name = l
		}
		out = append(out, langOption{Code: l, Name: name})
	}
	return out
}

// cardKind reads the request's kind field: the invitation card ("" or
// "invitation") or the "I declined" card ("declined"); refused is the
// message for anything else.
func cardKind(c echo.Context) (declined bool, refused string) {
	switch k := c.FormValue("kind"); k {
	case "", "invitation":
		return false, ""
	case "declined":
		return true, ""
	default:
		return false, "Ukendt korttype " + strconv.Quote(k) + " (invitation eller declined)."
	}
}

// card renders camp's variant for name, checked as minting checks it,
// in the request's language and of its kind.
func (h *Handlers) card(c echo.Context, camp *campaign.Campaign, name, vname, etag string) error {
	declined, refused := cardKind(c)
	if refused == "" {
		camp, refused = inLanguage(c, camp)
	}
	if refused != "" {
		return fail(c, http.StatusBadRequest, refused, nil)
	}
	inv, err := invite.NormalizeWith(invite.Invitation{Campaign: camp.ID, Name: name}, invite.Rules{EmojiInNames: camp.EmojiInNames})
	if err != nil {
		return fail(c, http.StatusUnprocessableEntity, "Navnet kan ikke bruges: "+err.Error(), nil)
	}
	tpl, ok := camp.Variant(vname)
	if declined {
		if !camp.HasDeclinedCard() {
			return fail(c, http.StatusNotFound, "Kampagnen har intet afbud-kort: tilføj et declined:-afsnit til filen for at se det.", nil)
		}
		tpl, ok = camp.Declined(vname)
	}
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
	hd.Set("Content-Language", camp.Lang())
	if missing := tpl.Missing(inv.Name); len(missing) > 0 {
		// Escaped: a header is ASCII. The script says which letters no
		// font of the campaign has (minting would refuse the name).
		hd.Set("X-Missing-Letters", url.QueryEscape(string(missing)))
	}
	return c.Blob(http.StatusOK, "image/jpeg", img)
}

// Card serves GET /admin/studio/:id/card/:variant (?name=, lang=, kind=
// as the preview's fields): the published
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
