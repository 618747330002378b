package server

import "github.com/sharecard/sharecard/internal/campaign"

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
	// Withdrawn refuses details whose card was taken down.
	Withdrawn string
}

var campaignText = map[string]campaignWords{
	"da": {
		Name: "Navn", Title: "Titel", Org: "Organisation", Optional: "(valgfri)", Button: "Lav min invitation",
		Closed:  "Kampagnen er lukket. Der kan ikke laves nye invitationer lige nu, men invitationer, der allerede er sendt, virker stadig.",
		Preview: "Sådan ser kortet ud", PreviewAlt: "Kampagnens kort", PreviewFor: "Kortet til %s",
		Busy:      "Forhåndsvisningen holder en kort pause. Prøv igen om et øjeblik.",
		Withdrawn: "Et kort med præcis disse oplysninger er trukket tilbage og kan ikke laves igen.",
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
		Busy:      "The preview is taking a short break. Try again in a moment.",
		Withdrawn: "A card with exactly these details has been withdrawn and cannot be made again.",
		Blocked: map[string]string{
			"name":  "The name cannot be used on the campaign's card. Please write another.",
			"title": "The title cannot be used on the campaign's card. Please write another.",
			"org":   "The organisation cannot be used on the campaign's card. Please write another.",
		},
	},
}

// declinedWords are the decline confirmation's and the declined
// invitation page's defaults: a campaign's texts (declined_heading, …)
// replace each. {{name}} and the other placeholders are expanded.
type declinedWords struct {
	Heading       string // to the decliner
	Body          string
	Learn         string // the one primary action
	ShareHeading  string // over the "I declined" card
	Share         string // LinkedIn
	Download      string // the Instagram downloads
	State         string // the invitation page, once declined here
	SeeCard       string // the invitation page's link to the card
	OGTitle       string // the page's link preview (and, to anyone else, its heading)
	OGDescription string
	ImageAlt      string
	MakeYourOwn   string // to a visitor of a shared confirmation, when self-service is open
}

var declinedText = map[string]declinedWords{
	"da": {
		Heading:       "Tak, fordi du takkede nej",
		Body:          "Dit nej er talt med. Gå videre og lær, hvad der skal til – og fortæl andre, at du har takket nej.",
		Learn:         "Lær mere",
		ShareHeading:  "Fortæl, at du har takket nej",
		Share:         "Del på LinkedIn",
		Download:      "Hent dit kort til Instagram",
		State:         "Du har takket nej – tak",
		SeeCard:       "Se og del dit kort",
		OGTitle:       "{{name}} har takket nej",
		OGDescription: "{{name}} har takket nej til invitationen. Gør som {{name}}: lær, hvad der skal til.",
		ImageAlt:      "{{name}} har takket nej til invitationen.",
		MakeYourOwn:   "Send en invitation",
	},
	"en": {
		Heading:       "Thank you for declining",
		Body:          "Your no has been counted. Go on and learn what it takes – and tell others that you declined.",
		Learn:         "Learn more",
		ShareHeading:  "Tell others you declined",
		Share:         "Share on LinkedIn",
		Download:      "Download your card for Instagram",
		State:         "You declined – thank you",
		SeeCard:       "See and share your card",
		OGTitle:       "{{name}} has declined",
		OGDescription: "{{name}} has declined the invitation. Do as {{name}} did: learn what it takes.",
		ImageAlt:      "{{name}} has declined the invitation.",
		MakeYourOwn:   "Send an invitation",
	},
}

// declinedFor is the campaign's decline words, each defaulting to the
// service's own in the campaign's language; not yet expanded.
func declinedFor(camp *campaign.Campaign) declinedWords {
	w, t := wordsFor(declinedText, camp.Lang()), camp.Texts
	return declinedWords{
		Heading: orText(t.DeclinedHeading, w.Heading), Body: orText(t.DeclinedBody, w.Body),
		Learn: orText(t.DeclinedLearn, w.Learn), ShareHeading: w.ShareHeading,
		Share: orText(t.DeclinedShare, w.Share), Download: orText(t.DeclinedDownload, w.Download),
		State: orText(t.DeclinedState, w.State), SeeCard: w.SeeCard,
		OGTitle: orText(t.DeclinedOGTitle, w.OGTitle), OGDescription: orText(t.DeclinedOGDescription, w.OGDescription),
		ImageAlt: orText(t.DeclinedImageAlt, w.ImageAlt), MakeYourOwn: orText(t.SelfServiceTitle, w.MakeYourOwn),
	}
}
