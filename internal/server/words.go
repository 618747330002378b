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

// sendWords are the send page's words: what the maker of an invitation
// sees after making it.
type sendWords struct {
	Title, Ready, Intro               string
	LinkLabel, Copy, Copied, Selected string
	ShareSheet, ShareOn, Email        string
	QR, QRAlt, QRDownload             string
	Open, OpenHint, Another           string
	ShareFailed                       string
}

var sendText = map[string]sendWords{
	"da": {
		Title: "Send invitationen", Ready: "Invitationen til %s er klar.",
		Intro:     "Send linket til den, du inviterer, eller del det, hvor de ser det.",
		LinkLabel: "Linket til invitationen", Copy: "Kopiér linket", Copied: "Linket er kopieret.",
		Selected:   "Linket er markeret: kopiér det med Ctrl+C eller ⌘C.",
		ShareSheet: "Del …", ShareOn: "Del på", Email: "E-mail",
		QR: "QR-kode", QRAlt: "QR-kode med linket til invitationen", QRDownload: "Hent QR-koden (PNG)",
		Open: "Åbn invitationen", OpenHint: "Se den, som modtageren ser den.", Another: "Lav en invitation mere",
		ShareFailed: "Delingen lykkedes ikke. Kopiér linket i stedet.",
	},
	"en": {
		Title: "Send the invitation", Ready: "The invitation for %s is ready.",
		Intro:     "Send the link to the person you are inviting, or share it where they will see it.",
		LinkLabel: "The invitation's link", Copy: "Copy the link", Copied: "The link is copied.",
		Selected:   "The link is selected: copy it with Ctrl+C or ⌘C.",
		ShareSheet: "Share …", ShareOn: "Share on", Email: "Email",
		QR: "QR code", QRAlt: "QR code with the invitation's link", QRDownload: "Download the QR code (PNG)",
		Open: "Open the invitation", OpenHint: "See it as the person you invite will.", Another: "Make another invitation",
		ShareFailed: "Sharing did not work. Copy the link instead.",
	},
}

// campaignWords are the campaign page's words of its own: the live
// preview and the refusal of a blocked word.
type campaignWords struct {
	// The form's words where the campaign file gives none, and the
	// page's note when the campaign is closed.
	Name, Title, Org, Optional, Button, Closed string
	Preview, PreviewAlt, PreviewFor            string
	Busy                                       string
	// Blocked is the neutral refusal, by field; it never repeats what
	// was typed.
	Blocked map[string]string
}

var campaignText = map[string]campaignWords{
	"da": {
		Name: "Navn", Title: "Titel", Org: "Organisation", Optional: "(valgfri)", Button: "Lav min invitation",
		Closed:  "Kampagnen er lukket. Der kan ikke laves nye invitationer lige nu, men invitationer, der allerede er sendt, virker stadig.",
		Preview: "Sådan ser kortet ud", PreviewAlt: "Kampagnens kort", PreviewFor: "Kortet til %s",
		Busy: "Forhåndsvisningen holder en kort pause. Prøv igen om et øjeblik.",
		Blocked: map[string]string{
			"name":  "Navnet kan ikke bruges på kampagnens kort. Skriv et andet.",
			"title": "Titlen kan ikke bruges på kampagnens kort. Skriv en anden.",
			"org":   "Organisationen kan ikke bruges på kampagnens kort. Skriv en anden.",
		},
	},
	"en": {
		Name: "Name", Title: "Title", Org: "Organisation", Optional: "(optional)", Button: "Make my invitation",
		Closed:  "The campaign is closed. No new invitations can be made just now, but invitations already sent still work.",
		Preview: "How the card looks", PreviewAlt: "The campaign's card", PreviewFor: "The card for %s",
		Busy: "The preview is taking a short break. Try again in a moment.",
		Blocked: map[string]string{
			"name":  "The name cannot be used on the campaign's card. Please write another.",
			"title": "The title cannot be used on the campaign's card. Please write another.",
			"org":   "The organisation cannot be used on the campaign's card. Please write another.",
		},
	},
}
