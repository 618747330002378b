package server

import "github.com/sharecard/sharecard/internal/campaign"

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
	w, t := wordsFor(declinedText, camp.Language), camp.Texts
	return declinedWords{
		Heading: orText(t.DeclinedHeading, w.Heading), Body: orText(t.DeclinedBody, w.Body),
		Learn: orText(t.DeclinedLearn, w.Learn), ShareHeading: w.ShareHeading,
		Share: orText(t.DeclinedShare, w.Share), Download: orText(t.DeclinedDownload, w.Download),
		State: orText(t.DeclinedState, w.State), SeeCard: w.SeeCard,
		OGTitle: orText(t.DeclinedOGTitle, w.OGTitle), OGDescription: orText(t.DeclinedOGDescription, w.OGDescription),
		ImageAlt: orText(t.DeclinedImageAlt, w.ImageAlt), MakeYourOwn: orText(t.SelfServiceTitle, w.MakeYourOwn),
	}
}
