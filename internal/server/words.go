package server

// The pages' own words; the campaign's copy comes from its file. There is
// one table per page, keyed by language, so adding a language is adding
// an entry, not editing a template. Danish is the fallback.
const defaultLang = "da"

// invitationWords are the invitation page's words of its own.
type invitationWords struct {
	Calendar string // the link to the calendar file
}

var invitationText = map[string]invitationWords{
	"da": {Calendar: "Sæt festen i kalenderen"},
	"en": {Calendar: "Add the party to your calendar"},
}

// wordsFor is table's entry for lang, else the default language's.
func wordsFor[T any](table map[string]T, lang string) T {
	if w, ok := table[lang]; ok {
		return w
	}
	return table[defaultLang]
}
