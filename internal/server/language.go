package server

import (
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/sharecard/sharecard/internal/campaign"
)

// A page's language is, in order: ?lang= when the campaign offers it, the
// first language of the visitor's Accept-Language (by weight) that it
// offers, its default. A page chosen by the header says so with
// Vary: Accept-Language; a ?lang= link (the language switch) is the same
// for everyone.

// languageNames are the switch's words: each language in itself.
var languageNames = map[string]string{
	"da": "Dansk", "en": "English", "sv": "Svenska", "nb": "Norsk bokmål", "nn": "Norsk nynorsk",
	"de": "Deutsch", "fr": "Français", "es": "Español", "it": "Italiano", "nl": "Nederlands",
	"fi": "Suomi", "pl": "Polski", "pt": "Português", "is": "Íslenska",
}

// pageLanguage chooses the language of a page among offered (the default
// first). byHeader reports that the choice read Accept-Language.
func pageLanguage(c echo.Context, offered []string) (lang string, byHeader bool) {
	if len(offered) == 0 {
		return defaultLang, false
	}
	if q := c.QueryParam("lang"); q != "" {
		for _, l := range offered {
			if l == q {
				return l, false
			}
		}
	}
	for _, l := range acceptedLanguages(c.Request().Header.Get("Accept-Language")) {
		for _, o := range offered {
			if l == o {
				return l, true
			}
		}
	}
	return offered[0], true
}

// inLanguage is camp in the page's language, noting Vary: Accept-Language
// on the response when the header chose it.
func inLanguage(c echo.Context, camp *campaign.Campaign) *campaign.Campaign {
	lang, byHeader := pageLanguage(c, camp.Languages())
	if byHeader {
		c.Response().Header().Add("Vary", "Accept-Language")
	}
	return camp.In(lang)
}

// langLink is one entry of the language switch.
type langLink struct {
	Lang, Name, URL string
	Current         bool
}

// languageSwitch is the switch for a page at path in langs, current
// marked: a link per language to the same path with ?lang=.
func languageSwitch(path string, langs []string, current string) []langLink {
	if len(langs) < 2 {
		return nil
	}
	out := make([]langLink, 0, len(langs))
	for _, l := range langs {
		out = append(out, langLink{Lang: l, Name: orText(languageNames[l], l), URL: path + "?lang=" + url.QueryEscape(l), Current: l == current})
	}
	return out
}

// alternateLocales are og:locale:alternate: the locales of the
// campaign's other languages.
func alternateLocales(camp *campaign.Campaign) []string {
	var out []string
	for _, l := range camp.Languages() {
		if l != camp.Lang() {
			out = append(out, camp.LocaleOf(l))
		}
	}
	return out
}

// acceptedLanguages are the primary languages an Accept-Language header
// names with a weight above zero, the heaviest first and, among equals,
// in its order ("en-GB,en;q=0.8,da;q=0.9" → en, da).
func acceptedLanguages(header string) []string {
	type tagged struct {
		lang string
		q    float64
	}
	var list []tagged
	for _, part := range strings.Split(header, ",") {
		tag, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		q := 1.0
		for _, p := range strings.Split(params, ";") {
			k, v, ok := strings.Cut(strings.TrimSpace(p), "=")
			if ok && strings.TrimSpace(k) == "q" {
				f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
				if err != nil || f < 0 || f > 1 {
					f = 0
				}
				q = f
			}
		}
		if q <= 0 {
			continue
		}
		primary, _, _ := strings.Cut(strings.ToLower(strings.TrimSpace(tag)), "-")
		if primary == "" || primary == "*" {
			continue
		}
		seen := false
		for _, t := range list {
			seen = seen || t.lang == primary
		}
		if !seen {
			list = append(list, tagged{primary, q})
		}
	}
	sort.SliceStable(list, func(i, j int) bool { return list[i].q > list[j].q })
	out := make([]string, len(list))
	for i, t := range list {
		out[i] = t.lang
	}
	return out
}

// langBar is what a page shows of its language besides its words: the
// other languages in its head (hreflang), the switch at its top, and the
// script that brings in the card's fonts (templates/lang.html).
type langBar struct {
	Languages      []langLink
	Chrome         chromeWords
	FontsScriptURL string
}

// langBarOf is the bar of the page at path for camp in its language
// (camp from inLanguage).
func (a *app) langBarOf(camp *campaign.Campaign, path string) langBar {
	lg := camp.Lang()
	return langBar{Languages: languageSwitch(path, camp.Languages(), lg), Chrome: wordsFor(chromeText, lg), FontsScriptURL: a.assets.fontsScriptURL()}
}
