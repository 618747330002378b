package server

import (
	"bytes"
	"fmt"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/sharecard/sharecard/internal/campaign"
)

// prefersHTML reports whether an error should be answered with a page: a
// browser (its Accept ranks text/html above application/json) asking for
// anything outside /api/. API clients, scripts that send no Accept or
// */* (a tie), and every /api/ path keep their JSON.
func prefersHTML(r *http.Request) bool {
	if strings.HasPrefix(r.URL.Path, "/api/") {
		return false
	}
	return acceptQ(r.Header.Values("Accept"), "text", "html") > acceptQ(r.Header.Values("Accept"), "application", "json")
}

// acceptQ is the quality an Accept header gives type/sub (RFC 9110
// 12.5.1): that of the most specific range that matches it, 0 if none
// does.
func acceptQ(headers []string, typ, sub string) float64 {
	best, bestSpec := 0.0, -1
	for _, h := range headers {
		for _, part := range strings.Split(h, ",") {
			mt, params, err := mime.ParseMediaType(strings.TrimSpace(part))
			if err != nil {
				continue
			}
			t, s, _ := strings.Cut(mt, "/")
			spec := -1
			switch {
			case t == typ && s == sub:
				spec = 2
			case t == typ && s == "*":
				spec = 1
			case t == "*" && s == "*":
				spec = 0
			}
			if spec < bestSpec || spec < 0 {
				continue
			}
			q := 1.0
			if v, ok := params["q"]; ok {
				if f, err := strconv.ParseFloat(v, 64); err == nil && f >= 0 && f <= 1 {
					q = f
				}
			}
			best, bestSpec = q, spec
		}
	}
	return best
}

// errorPageData is what error.html shows.
type errorPageData struct {
	Lang, Site, Event, StyleURL string
	FontsScriptURL              string
	Languages                   []langLink
	Chrome                      chromeWords
	Heading, Body, Code         string
	Action, ActionURL           string
	Footer                      footer
}

// errorWords are an error page's words for one kind of failure.
type errorWords struct {
	Heading, Body string
}

// errorPageText is the error pages' words per language. Body may hold one
// %s: the wait, for 429 and 503.
type errorPageText struct {
	BadLink, NotFound, Gone, TooMany, Unavailable, ServerError, Refused errorWords
	// Action leads to the campaign page; Home to the service's start when
	// no campaign is known.
	Action, Home, Code string
	// Seconds words a wait of n seconds ("om 6 sekunder").
	Seconds func(n int) string
}

var errorText = map[string]errorPageText{
	"da": {
		BadLink:     errorWords{"Linket virker ikke", "Linket er ufuldstændigt eller er blevet ændret. Kopiér hele linket fra beskeden, du fik, og prøv igen."},
		NotFound:    errorWords{"Siden findes ikke", "Vi kan ikke finde den side, du leder efter. Måske er adressen skrevet forkert, eller siden er fjernet."},
		Gone:        errorWords{"Invitationen er trukket tilbage", "Denne invitation er taget ud af brug og kan ikke længere åbnes."},
		TooMany:     errorWords{"Et øjeblik", "Der er lavet mange invitationer herfra på kort tid. Prøv igen %s."},
		Unavailable: errorWords{"Der er travlt lige nu", "Vi kunne ikke nå at svare. Prøv igen %s."},
		ServerError: errorWords{"Noget gik galt hos os", "Det er ikke din skyld. Prøv igen om lidt."},
		Refused:     errorWords{"Det kunne ikke lade sig gøre", "Forespørgslen kunne ikke gennemføres."},
		Action:      "Lav din egen invitation",
		Home:        "Til forsiden",
		Code:        "Fejlkode %d",
		Seconds: func(n int) string {
			switch {
			case n <= 1:
				return "om et øjeblik"
			case n < 60:
				return fmt.Sprintf("om %d sekunder", n)
			case n < 120:
				return "om et minut"
			}
			return fmt.Sprintf("om %d minutter", (n+59)/60)
		},
	},
	"en": {
		BadLink:     errorWords{"This link does not work", "The link is incomplete or has been changed. Copy the whole link from the message you received and try again."},
		NotFound:    errorWords{"Page not found", "We cannot find the page you are looking for. The address may be mistyped, or the page has been removed."},
		Gone:        errorWords{"The invitation has been withdrawn", "This invitation has been taken out of use and can no longer be opened."},
		TooMany:     errorWords{"Just a moment", "Many invitations have been made from here in a short time. Please try again %s."},
		Unavailable: errorWords{"We are busy right now", "We could not answer in time. Please try again %s."},
		ServerError: errorWords{"Something went wrong on our side", "It is not your fault. Please try again in a little while."},
		Refused:     errorWords{"That could not be done", "The request could not be completed."},
		Action:      "Make your own invitation",
		Home:        "To the front page",
		Code:        "Error code %d",
		Seconds: func(n int) string {
			switch {
			case n <= 1:
				return "in a moment"
			case n < 60:
				return fmt.Sprintf("in %d seconds", n)
			case n < 120:
				return "in a minute"
			}
			return fmt.Sprintf("in %d minutes", (n+59)/60)
		},
	},
}

// errorCampaign is the campaign an error page is dressed in: the one the
// URL names (a campaign page, or a token that verifies even if revoked),
// else the first loaded; nil when none is loaded.
func (a *app) errorCampaign(c echo.Context) *campaign.Campaign {
	if id := c.Param("campaign"); id != "" {
		if camp, ok := a.share.Campaigns().Lookup(id); ok {
			return camp
		}
	}
	if tok := c.Param("token"); tok != "" {
		if camp, ok := a.share.CampaignOf(tok); ok {
			return camp
		}
	}
	// No campaign in the URL: the one in the visitor's language, else one
	// in the default language.
	camp, _ := a.share.Campaigns().ForLanguages(acceptedLanguages(c.Request().Header.Get("Accept-Language")))
	return camp
}

// errorPage renders the branded page for status code: in the campaign's
// look, in the visitor's language, with a way forward.
func (a *app) errorPage(c echo.Context, code int) ([]byte, error) {
	camp := a.errorCampaign(c)
	d := errorPageData{ActionURL: "/"}
	if camp != nil {
		camp = inLanguage(c, camp)
		d.Lang = camp.Lang()
		d.Languages = languageSwitch(c.Request().URL.Path, camp.Languages(), d.Lang)
	} else {
		var byHeader bool
		d.Lang, byHeader = pageLanguage(c, ownLanguages)
		if byHeader {
			c.Response().Header().Add("Vary", "Accept-Language")
		}
	}
	d.Chrome = wordsFor(chromeText, d.Lang)
	w := wordsFor(errorText, d.Lang)
	d.Action = w.Home
	if camp != nil {
		d.Site, d.Event, d.StyleURL = camp.SiteName(), camp.Texts.Event, a.assets.styleURL(camp)
		d.FontsScriptURL = a.assets.fontsScriptURL()
		d.Action, d.ActionURL = w.Action, "/c/"+camp.ID
	}
	wait := 1
	if s, err := strconv.Atoi(c.Response().Header().Get("Retry-After")); err == nil && s > 0 {
		wait = s
	}
	var words errorWords
	switch {
	case code == http.StatusNotFound && strings.HasPrefix(c.Path(), "/i/"):
		words = w.BadLink
	case code == http.StatusNotFound:
		words = w.NotFound
	case code == http.StatusGone:
		words = w.Gone
	case code == http.StatusTooManyRequests:
		words = errorWords{w.TooMany.Heading, fmt.Sprintf(w.TooMany.Body, w.Seconds(wait))}
	case code == http.StatusServiceUnavailable:
		words = errorWords{w.Unavailable.Heading, fmt.Sprintf(w.Unavailable.Body, w.Seconds(wait))}
	case code >= 500:
		words = w.ServerError
	default:
		words = w.Refused
	}
	d.Heading, d.Body, d.Code = words.Heading, words.Body, fmt.Sprintf(w.Code, code)
	d.Footer = footerFor(camp, d.Lang, "")
	var buf bytes.Buffer
	if err := a.pages.ExecuteTemplate(&buf, "error.html", d); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
