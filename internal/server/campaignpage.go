package server

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/sharecard/sharecard/internal/campaign"
	"github.com/sharecard/sharecard/internal/invite"
	"github.com/sharecard/sharecard/internal/share"
)

type formLabels struct{ Name, Title, Org, Optional string }

// campaignData is what campaign.html shows.
type campaignData struct {
	Lang, Locale, Title, Description, URL string
	SiteName, ImageAlt                    string
	AltLocales                            []string
	Languages                             []langLink
	Chrome                                chromeWords
	Words                                 campaignWords
	PageImage, PortraitImage              string // the og card, and the portrait for narrow screens
	PortraitWidth, PortraitHeight         int
	OGImage, OGImageSecure, OGImageType   string
	OGWidth, OGHeight                     int
	StyleURL                              string
	FontsScriptURL                        string
	Event, Date, Heading, Body            string
	SelfService                           bool
	Closed                                bool // self-service, but outside its dates
	FormURL, Button, Error                string
	Labels                                formLabels
	Form                                  invite.Row
	// The live preview: the campaign's card until a name is typed.
	PreviewURL, PreviewImage, ScriptURL string
	PreviewWidth, PreviewHeight         int
	Footer                              footer
}

// labels are the form's words: the campaign's, else the page's own in
// lang.
func labels(t campaign.Texts, lang string) formLabels {
	w := wordsFor(campaignText, lang)
	return formLabels{
		Name:     orText(t.LabelName, w.Name),
		Title:    orText(t.LabelTitle, w.Title),
		Org:      orText(t.LabelOrg, w.Org),
		Optional: orText(t.LabelOptional, w.Optional),
	}
}

func (a *app) campaignOf(c echo.Context) (*campaign.Campaign, error) {
	camp, ok := a.share.Campaigns().Lookup(c.Param("campaign"))
	if !ok {
		return nil, echo.NewHTTPError(http.StatusNotFound, "no such campaign")
	}
	return camp, nil
}

// renderCampaign renders campaign.html; camp is in the page's language
// (from inLanguage).
func (a *app) renderCampaign(c echo.Context, status int, camp *campaign.Campaign, form invite.Row, formErr string) error {
	t := camp.Texts
	preview := camp.CampaignPreview()
	lg := camp.Lang()
	d := campaignData{
		Lang: lg, Locale: camp.LocaleOf(lg), SiteName: camp.SiteName(), AltLocales: alternateLocales(camp),
		Languages: languageSwitch("/c/"+camp.ID, camp.Languages(), lg),
		Chrome:    wordsFor(chromeText, lg), Words: wordsFor(campaignText, lg),
		Title: preview.Title, Description: preview.Description,
		URL: a.links.Campaign(camp.ID) + langSuffix(camp), StyleURL: a.assets.styleURL(camp), FontsScriptURL: a.assets.fontsScriptURL(),
		Event: t.Event, Date: t.Date, Heading: orText(t.SelfServiceTitle, t.Event), Body: t.SelfServiceBody,
		SelfService: camp.SelfService && a.share.OpenNow(camp), Closed: camp.SelfService && !a.share.OpenNow(camp), FormURL: "/c/" + camp.ID + navLang(camp), Button: orText(t.SelfServiceButton, wordsFor(campaignText, lg).Button),
		Error: formErr, Labels: labels(t, lg), Form: form,
	}
	d.Footer = footerFor(camp, d.Lang, "")
	if addr, ok := a.share.CampaignImage(camp); ok {
		if d.SelfService {
			w, h := addr.Size()
			d.PreviewURL, d.ScriptURL = "/c/"+camp.ID+"/preview.jpg", a.assets.previewScriptURL()
			d.PreviewImage = share.CampaignImagePath(camp.ID, addr.Ref, addr.Version) + share.LangQuery(camp)
			d.PreviewWidth, d.PreviewHeight = share.DraftWidth, h*share.DraftWidth/w
		}
		d.OGImage = a.links.CampaignImage(camp.ID, addr.Ref, addr.Version) + share.LangQuery(camp)
		d.PageImage = share.CampaignImagePath(camp.ID, addr.Ref, addr.Version) + share.LangQuery(camp)
		d.OGImageSecure, d.OGImageType = secureURL(d.OGImage), addr.Ref.Format.ContentType()
		d.OGWidth, d.OGHeight = addr.Size()
		d.ImageAlt = camp.Expand(t.ImageAlt, camp.GenericFields())
	}
	if addr, ok := a.share.CampaignCard(camp, share.CampaignPortraitRef); ok && d.PageImage != "" {
		d.PortraitImage = share.CampaignImagePath(camp.ID, addr.Ref, addr.Version) + share.LangQuery(camp)
		d.PortraitWidth, d.PortraitHeight = addr.Size()
	}
	var buf bytes.Buffer
	if err := a.pages.ExecuteTemplate(&buf, "campaign.html", d); err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.HTMLBlob(status, buf.Bytes())
}

func orText(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// campaignPage serves GET /c/:campaign: the public page, with the
// self-service form where the campaign file allows it.
func (a *app) campaignPage() echo.HandlerFunc {
	return func(c echo.Context) error {
		camp, err := a.campaignOf(c)
		if err != nil {
			return err
		}
		return a.renderCampaign(c, http.StatusOK, inLanguage(c, camp), invite.Row{}, "")
	}
}

// selfService serves POST /c/:campaign: a visitor mints their own
// invitation and is sent to it. A refused name re-renders the form with the
// reason (422), keeping what was typed, escaped.
func (a *app) selfService() echo.HandlerFunc {
	return func(c echo.Context) error {
		camp, err := a.campaignOf(c)
		if err != nil {
			return err
		}
		// FormValue alone would drop a body-limit error (413) and answer
		// as if the form were empty.
		if _, err := c.FormParams(); err != nil {
			return formError(err)
		}
		row := invite.Row{Name: c.FormValue("name"), Title: c.FormValue("title"), Org: c.FormValue("org")}
		camp = inLanguage(c, camp)
		token, err := a.share.MintPublic(camp, row)
		if msg, ok := refusal(err, camp.Lang()); ok {
			return a.renderCampaign(c, http.StatusUnprocessableEntity, camp, row, msg)
		}
		if errors.Is(err, share.ErrCampaignClosed) {
			// The page says the campaign is closed, and makes nothing.
			return a.renderCampaign(c, http.StatusForbidden, camp, invite.Row{}, "")
		}
		if err != nil {
			return err
		}
		return c.Redirect(http.StatusSeeOther, "/i/"+token+"/send"+navLang(camp))
	}
}

// refusal says in lang what is wrong with a self-service entry, when err
// is a refusal of one of its fields: the same words on the form and in
// the live preview.
func refusal(err error, lang string) (string, bool) {
	var fe *invite.FieldError
	var be *share.BlockedError
	switch {
	case errors.As(err, &be):
		w := wordsFor(campaignText, lang)
		if msg, ok := w.Blocked[be.Field]; ok {
			return msg, true
		}
		return w.Blocked["name"], true
	case errors.As(err, &fe):
		return fieldLabel(fe, lang), true
	case errors.Is(err, share.ErrWithdrawn):
		return wordsFor(campaignText, lang).Withdrawn, true
	}
	return "", false
}

// draft serves GET/HEAD /c/:campaign/preview.jpg?name=&title=&org=: the
// campaign page's live preview. A refused entry is 422 with the form's
// own message as JSON ({"error": ...}) for the page's script to show.
// The draft may be kept by the visitor's browser for a minute (the
// script fetches it, then shows it from that cache), never by a shared
// cache, and never by the service.
func (a *app) draft() echo.HandlerFunc {
	return func(c echo.Context) error {
		camp, err := a.campaignOf(c)
		if err != nil {
			return err
		}
		row := invite.Row{Name: c.QueryParam("name"), Title: c.QueryParam("title"), Org: c.QueryParam("org")}
		// In the language of lang= (the page's), else the default.
		camp = camp.In(c.QueryParam("lang"))
		body, err := a.share.Draft(c.Request().Context(), camp, row)
		h := c.Response().Header()
		h.Set("X-Robots-Tag", "noindex")
		if msg, ok := refusal(err, camp.Lang()); ok {
			h.Set("Cache-Control", "no-store")
			return c.JSON(http.StatusUnprocessableEntity, map[string]string{"error": msg})
		}
		if err != nil {
			return err
		}
		h.Set("Cache-Control", "private, max-age=60")
		return c.Blob(http.StatusOK, "image/jpeg", body)
	}
}

// fieldLabel says in the campaign's language what is wrong with a
// self-service field.
func fieldLabel(fe *invite.FieldError, lang string) string {
	if lang == "en" {
		return fieldLabelEnglish(fe)
	}
	what := map[string]string{"name": "Navnet", "title": "Titlen", "org": "Organisationen"}[fe.Field]
	if what == "" {
		return fe.Error()
	}
	switch fe.Code {
	case invite.Required:
		return "Skriv et navn."
	case invite.TooLong:
		long := "lang" // titlen, organisationen
		if fe.Field == "name" {
			long = "langt" // navnet
		}
		return fmt.Sprintf("%s er for %s: højst %d tegn.", what, long, fe.Limit)
	case invite.NotAllowed:
		return fmt.Sprintf("%s kan ikke indeholde tegnet »%c«. Brug bogstaver, mellemrum, bindestreg, apostrof og punktum.", what, fe.Char)
	case invite.Invisible:
		return fmt.Sprintf("%s indeholder et usynligt tegn eller et tegn, der vender skriveretningen (U+%04X).", what, fe.Char)
	case invite.Marks:
		return fmt.Sprintf("%s har for mange accenter på ét bogstav.", what)
	case invite.Undrawable:
		return fmt.Sprintf("%s indeholder tegn, som kortet ikke kan vise: »%s«. Skriv det med andre tegn.", what, string(fe.Chars))
	case invite.NoLetter:
		return fmt.Sprintf("%s skal indeholde mindst ét bogstav.", what)
	}
	return fe.Error()
}

// fieldLabelEnglish is fieldLabel for a campaign in English.
func fieldLabelEnglish(fe *invite.FieldError) string {
	what := map[string]string{"name": "The name", "title": "The title", "org": "The organisation"}[fe.Field]
	if what == "" {
		return fe.Error()
	}
	switch fe.Code {
	case invite.Required:
		return "Please write a name."
	case invite.TooLong:
		return fmt.Sprintf("%s is too long: at most %d characters.", what, fe.Limit)
	case invite.NotAllowed:
		return fmt.Sprintf("%s cannot contain “%c”. Use letters, spaces, hyphens, apostrophes and full stops.", what, fe.Char)
	case invite.Invisible:
		return fmt.Sprintf("%s contains an invisible character or one that turns the writing direction (U+%04X).", what, fe.Char)
	case invite.Marks:
		return fmt.Sprintf("%s has too many accents on one letter.", what)
	case invite.Undrawable:
		return fmt.Sprintf("%s contains characters the card cannot show: “%s”. Please write it with other characters.", what, string(fe.Chars))
	case invite.NoLetter:
		return fmt.Sprintf("%s must contain at least one letter.", what)
	}
	return fe.Error()
}

// formError keeps a body-limit refusal (413) as it is and makes any other
// failure to read a form a 400 that says why: a malformed body (a bad
// percent-escape, a semicolon, a broken multipart boundary) is the
// client's mistake, not the server's.
func formError(err error) error {
	var he *echo.HTTPError
	if errors.As(err, &he) {
		return err
	}
	return echo.NewHTTPError(http.StatusBadRequest, "the form could not be read: "+err.Error())
}

// campaignImage serves GET/HEAD /c/:campaign/og.jpg and portrait.jpg: the
// campaign's own cards (its page's og:image, and the picture on narrow
// screens) in the language of lang=, cached as the invitations' cards are.
func (a *app) campaignImage() echo.HandlerFunc {
	return func(c echo.Context) error {
		camp, err := a.campaignOf(c)
		if err != nil {
			return err
		}
		ref, ok := share.ParseFile(c.Param("file"))
		if !ok {
			return echo.NewHTTPError(http.StatusNotFound, "no such card (the campaign's cards: og.jpg, portrait.jpg)")
		}
		// The language is the URL's alone: the same URL is the same card.
		addr, ok := a.share.CampaignCard(camp.In(c.QueryParam("lang")), ref)
		if !ok {
			return echo.NewHTTPError(http.StatusNotFound, "no such card (the campaign's cards: og.jpg, portrait.jpg)")
		}
		req := c.Request()
		h := c.Response().Header()
		if c.QueryParam("v") == addr.Version {
			h["Cache-Control"] = cacheImmutable
		} else {
			h["Cache-Control"] = cacheHour
		}
		h["Etag"] = []string{addr.ETag}
		h["Cross-Origin-Resource-Policy"] = corpCrossOrigin
		if etagMatch(req.Header.Get("If-None-Match"), addr.ETag) {
			return c.NoContent(http.StatusNotModified)
		}
		entry, err := a.share.Image(req.Context(), addr)
		if err != nil {
			return err
		}
		h.Set(echo.HeaderContentType, entry.ContentType)
		h.Set(echo.HeaderContentLength, strconv.Itoa(len(entry.Body)))
		c.Response().WriteHeader(http.StatusOK)
		if req.Method == http.MethodHead {
			return nil
		}
		_, err = c.Response().Write(entry.Body)
		return err
	}
}
