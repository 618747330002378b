package server

import (
	"bytes"
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/sharecard/sharecard/internal/dashboard"
	"github.com/sharecard/sharecard/internal/report"
	"github.com/sharecard/sharecard/internal/stats"
)

// policySection is one heading of the privacy page and its paragraphs;
// Items, when present, follow the paragraphs as a list.
type policySection struct {
	Heading string
	Paras   []string
	Items   []string
}

// privacyWords are the privacy page's words. The page says what the code
// does; a change to what is stored or which cookies are set changes this
// text too (privacy_test.go checks it against the code's own names).
type privacyWords struct {
	Title, Heading, Intro string
	Sections              []policySection
	// Removal is the last section, on asking for a card to be removed;
	// Contact words the campaign's address, when it has one.
	RemovalHeading, Removal, Contact, NoContact string
	Back                                        string
}

var privacyText = map[string]privacyWords{
	"da": {
		Title:   "Privatliv og cookies",
		Heading: "Privatliv og cookies",
		Intro:   "Her står, hvilke oplysninger %s behandler, når du åbner en invitation, laver en invitation eller rapporterer et kort – og hvordan du får et kort fjernet.",
		Sections: []policySection{
			{Heading: "Navne står i selve linket", Paras: []string{
				"Et invitationslink indeholder navnet på den, der er inviteret, og eventuelt titel og organisation. Oplysningerne står i linket selv, underskrevet så ingen kan ændre dem, og de gemmes ikke i en database. Alle, der har linket, kan se navnet.",
				"Billedet af kortet tegnes ud fra linket og ligger en tid i vores mellemlager, så det kan vises hurtigt igen. Et link virker, indtil kampagnens team trækker det tilbage.",
			}},
			{Heading: "Ingen IP-adresser eller browser-id'er gemmes", Paras: []string{
				"Vi tæller, hvor mange der åbner invitationerne, takker nej, deler dem og går videre til læringssiden. I tallene gemmes hverken IP-adresser, browseroplysninger (User-Agent), navne eller cookies, og vi bruger ingen analyseværktøjer, skrifttyper eller scripts fra andre.",
				"For at tælle unikke besøgende pr. dag laver vi en kode ud fra IP-adresse og browser blandet med et tilfældigt tal, der skiftes hver dag og slettes senest dagen efter. Koden kan ikke regnes tilbage, og når dagens tal er slettet, kan heller ikke vi koble den til en adresse.",
				"Sender din browser Do Not Track eller Global Privacy Control, måler vi ikke, hvor længe siden er åben.",
			}},
			{Heading: "Cookies", Paras: []string{
				"Vi sætter ingen cookies til måling eller reklame. Der findes kun disse:",
			}, Items: []string{
				declinedCookie + ": når du takker nej til en invitation, husker den på denne enhed, at du har takket nej, så siden viser det næste gang. Den indeholder et kort mærke pr. invitation (ikke navnet), ingen personoplysninger, sendes kun til denne tjeneste og udløber efter 180 dage.",
				dashboard.SessionCookie + " sættes kun for kampagnens team, når de logger ind på kontrolpanelet. Den holder dem logget ind i højst 12 timer.",
			}},
			{Heading: "Hvor længe vi gemmer", Items: []string{
				fmt.Sprintf("Tællinger pr. dag: %d dage.", int(stats.DefaultRetention.Hours()/24)),
				"Dagens tilfældige tal til de unikke besøgende: til senest dagen efter.",
				"Billeder af kortene: en begrænset tid i mellemlageret; de tegnes igen ud fra linket, når der er brug for dem.",
				fmt.Sprintf("Rapporter om kort, med den kontaktoplysning, der eventuelt er skrevet: til kampagnens team har behandlet dem, og derefter som dokumentation blandt de %s seneste behandlede.", danishThousands(report.MaxHandled)),
			}},
		},
		RemovalHeading: "Få et kort fjernet",
		Removal:        "Står du på et kort, du ikke vil stå på, eller bliver et kort misbrugt, så brug linket »Rapportér / fjern dette kort« nederst på invitationens side. Kampagnens team kan derefter trække linket tilbage, så det ikke længere viser kortet – heller ikke for dem, der allerede har fået det. Vi gemmer intet om dig, der rapporterer.",
		Contact:        "Du kan også skrive til kampagnens team:",
		NoContact:      "Har du ikke linket til kortet, så skriv til den organisation, der står bag kampagnen.",
		Back:           "Til kampagnens side",
	},
	"en": {
		Title:   "Privacy and cookies",
		Heading: "Privacy and cookies",
		Intro:   "This page says what information %s processes when you open an invitation, make one or report a card – and how to have a card removed.",
		Sections: []policySection{
			{Heading: "Names are inside the link itself", Paras: []string{
				"An invitation link holds the name of the person invited and, if given, their title and organisation. They are written into the link itself, signed so nobody can change them, and are not stored in a database. Anyone who has the link can see the name.",
				"The picture of the card is drawn from the link and kept for a while in our cache so it can be shown again quickly. A link works until the campaign team withdraws it.",
			}},
			{Heading: "No IP addresses or browser identifiers are stored", Paras: []string{
				"We count how many people open the invitations, decline, share them and go on to the learning site. The counts hold no IP addresses, browser details (User-Agent), names or cookies, and we use no analytics, fonts or scripts from anyone else.",
				"To count unique visitors per day we make a code from the IP address and browser mixed with a random number that changes every day and is deleted by the next day at the latest. The code cannot be reversed, and once the day's number is deleted, not even we can link it to an address.",
				"If your browser sends Do Not Track or Global Privacy Control, we do not measure how long the page is open.",
			}},
			{Heading: "Cookies", Paras: []string{
				"We set no cookies for measurement or advertising. These are the only ones:",
			}, Items: []string{
				declinedCookie + ": when you decline an invitation, it remembers on this device that you declined, so the page shows it next time. It holds a short mark per invitation (not the name), no personal data, is sent only to this service and expires after 180 days.",
				dashboard.SessionCookie + " is set only for the campaign team when they log in to the dashboard. It keeps them logged in for at most 12 hours.",
			}},
			{Heading: "How long we keep things", Items: []string{
				fmt.Sprintf("Counts per day: %d days.", int(stats.DefaultRetention.Hours()/24)),
				"The day's random number for unique visitors: until the next day at the latest.",
				"Pictures of the cards: a limited time in the cache; they are drawn again from the link when needed.",
				fmt.Sprintf("Reports about cards, with the contact details given, if any: until the campaign team has handled them, and after that as a record among the latest %s handled.", englishThousands(report.MaxHandled)),
			}},
		},
		RemovalHeading: "Having a card removed",
		Removal:        "If you are named on a card you do not want to be on, or a card is being misused, use the link “Report / remove this card” at the bottom of the invitation's page. The campaign team can then withdraw the link, so it no longer shows the card – not even to people who already have it. We store nothing about you as the reporter.",
		Contact:        "You can also write to the campaign team:",
		NoContact:      "If you do not have the link to the card, write to the organisation behind the campaign.",
		Back:           "To the campaign page",
	},
}

// privacyData is what privacy.html shows.
type privacyData struct {
	Lang, Title, StyleURL, Event, Heading, Intro string
	Sections                                     []policySection
	RemovalHeading, Removal                      string
	Contact, ContactLine, NoContact              string
	BackURL, Back, URL                           string
	Footer                                       footer
	Bar                                          langBar
}

// privacyPage serves GET /c/:campaign/privacy: what sharecard processes
// for this campaign, in the page's language.
func (a *app) privacyPage() echo.HandlerFunc {
	return func(c echo.Context) error {
		camp, err := a.campaignOf(c)
		if err != nil {
			return err
		}
		camp = inLanguage(c, camp)
		lg := camp.Lang()
		w := wordsFor(privacyText, lg)
		site := camp.SiteName()
		d := privacyData{
			Lang: lg, Title: w.Title + " – " + site, StyleURL: a.assets.styleURL(camp), Event: camp.Texts.Event,
			Heading: w.Heading, Intro: fmt.Sprintf(w.Intro, site), Sections: w.Sections,
			RemovalHeading: w.RemovalHeading, Removal: w.Removal,
			Contact: camp.Contact, ContactLine: w.Contact, NoContact: w.NoContact,
			BackURL: "/c/" + camp.ID + navLang(camp), Back: w.Back, URL: a.links.Base + privacyPath(camp.ID) + langSuffix(camp),
			Footer: footerFor(camp, lg, ""), Bar: a.langBarOf(camp, privacyPath(camp.ID)),
		}
		var buf bytes.Buffer
		if err := a.pages.ExecuteTemplate(&buf, "privacy.html", d); err != nil {
			return err
		}
		c.Response().Header().Set("Cache-Control", "public, max-age=300")
		return c.HTMLBlob(http.StatusOK, buf.Bytes())
	}
}
