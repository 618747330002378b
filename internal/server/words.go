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
	Preview, PreviewAlt, PreviewFor string
	Busy                            string
	// Blocked is the neutral refusal, by field; it never repeats what
	// was typed.
	Blocked map[string]string
}

var campaignText = map[string]campaignWords{
	"da": {
		Preview: "Sådan ser kortet ud", PreviewAlt: "Kampagnens kort", PreviewFor: "Kortet til %s",
		Busy: "Forhåndsvisningen holder en kort pause. Prøv igen om et øjeblik.",
		Blocked: map[string]string{
			"name":  "Navnet kan ikke bruges på kampagnens kort. Skriv et andet.",
			"title": "Titlen kan ikke bruges på kampagnens kort. Skriv en anden.",
			"org":   "Organisationen kan ikke bruges på kampagnens kort. Skriv en anden.",
		},
	},
	"en": {
		Preview: "How the card looks", PreviewAlt: "The campaign's card", PreviewFor: "The card for %s",
		Busy: "The preview is taking a short break. Try again in a moment.",
		Blocked: map[string]string{
			"name":  "The name cannot be used on the campaign's card. Please write another.",
			"title": "The title cannot be used on the campaign's card. Please write another.",
			"org":   "The organisation cannot be used on the campaign's card. Please write another.",
		},
	},
}
