package server

// The pages' own words; the campaign's copy comes from its file. There is
// one table per page, keyed by language, so adding a language is adding
// an entry, not editing a template. Danish is the fallback.
const defaultLang = "da"

// invitationWords are the invitation page's words of its own.
type invitationWords struct {
	Calendar string // the link to the calendar file
	// Variants are the download buttons' words where the campaign has
	// none.
	Variants map[string]string
}

var invitationText = map[string]invitationWords{
	"da": {Calendar: "Sæt festen i kalenderen", Variants: map[string]string{"square": "Kvadrat", "portrait": "Portræt", "story": "Story"}},
	"en": {Calendar: "Add the party to your calendar", Variants: map[string]string{"square": "Square", "portrait": "Portrait", "story": "Story"}},
}

// wordsFor is table's entry for lang, else the default language's.
func wordsFor[T any](table map[string]T, lang string) T {
	if w, ok := table[lang]; ok {
		return w
	}
	return table[defaultLang]
}

// ownLanguages are the languages the service's own words are in, the
// default first: an error page that knows no campaign chooses among them.
var ownLanguages = []string{"da", "en"}

// chromeWords are the words every page shares.
type chromeWords struct {
	Languages string // the language switch's name
}

var chromeText = map[string]chromeWords{
	"da": {Languages: "Sprog"},
	"en": {Languages: "Language"},
}

// campaignWords are the campaign page's words of its own, where the
// campaign file gives none.
type campaignWords struct {
	Name, Title, Org, Optional, Button, Closed string
}

var campaignText = map[string]campaignWords{
	"da": {Name: "Navn", Title: "Titel", Org: "Organisation", Optional: "(valgfri)", Button: "Lav min invitation",
		Closed: "Kampagnen er lukket. Der kan ikke laves nye invitationer lige nu, men invitationer, der allerede er sendt, virker stadig."},
	"en": {Name: "Name", Title: "Title", Org: "Organisation", Optional: "(optional)", Button: "Make my invitation",
		Closed: "The campaign is closed. No new invitations can be made just now, but invitations already sent still work."},
}
