package server

import (
	"bytes"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/sharecard/sharecard/internal/campaign"
	"github.com/sharecard/sharecard/internal/share"
	"github.com/sharecard/sharecard/internal/stats"
	"github.com/sharecard/sharecard/internal/variant"
)

// The declined cookie remembers, on one device, which invitations were
// declined there, so the invitation page can say so instead of offering
// the decline again. It holds no name and no token: only a mark per
// invitation, 12 hex digits of the hash its numbers are kept under.
const (
	declinedCookie = "sharecard_declined"
	// declinedMarks bounds the invitations one cookie remembers (the
	// newest first): 20 marks are 259 bytes.
	declinedMarks = 20
	markLen       = 12
	// declinedAge is how long a device remembers: past the campaign's
	// weeks of sharing, short of for ever.
	declinedAge = 180 * 24 * 60 * 60
)

// declinedMark is what the cookie keeps of an invitation.
func declinedMark(token string) string { return stats.InvitationID(token)[:markLen] }

// validMark reports whether m looks like a mark (a cookie is the
// client's to change).
func validMark(m string) bool {
	if len(m) != markLen {
		return false
	}
	for i := 0; i < len(m); i++ {
		if c := m[i]; !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

// declinedHere reports whether this device declined the invitation.
func declinedHere(r *http.Request, token string) bool {
	ck, err := r.Cookie(declinedCookie)
	if err != nil {
		return false
	}
	mark := declinedMark(token)
	for _, m := range strings.Split(ck.Value, ".") {
		if m == mark {
			return true
		}
	}
	return false
}

// rememberDecline adds the invitation to the device's declined cookie,
// newest first, dropping the oldest past declinedMarks.
func (a *app) rememberDecline(c echo.Context, token string) {
	marks := []string{declinedMark(token)}
	if old, err := c.Request().Cookie(declinedCookie); err == nil {
		for _, m := range strings.Split(old.Value, ".") {
			if len(marks) == declinedMarks {
				break
			}
			if validMark(m) && m != marks[0] {
				marks = append(marks, m)
			}
		}
	}
	http.SetCookie(c.Response(), &http.Cookie{
		Name: declinedCookie, Value: strings.Join(marks, "."), Path: "/i/", MaxAge: declinedAge,
		HttpOnly: true, SameSite: http.SameSiteLaxMode,
		Secure: c.Scheme() == "https" || strings.HasPrefix(a.links.Base, "https://"),
	})
}

// declinedData is what declined.html shows.
type declinedData struct {
	Lang, Locale, SiteName              string
	Title, Description, URL, ImageAlt   string
	OGImage, OGImageSecure, OGImageType string
	OGWidth, OGHeight                   int
	StyleURL                            string
	Event, Date                         string
	Mine                                bool // the decliner, on the device they declined on
	Heading, Body                       string
	LearnURL, Learn                     string
	Card                                *declinedCard // nil: the campaign has no "I declined" card
	MakeURL, MakeYourOwn                string        // a visitor's way to make their own
	Footer                              footer
	Bar                                 langBar
}

// declinedCard is the "I declined" card as the page shows and offers it.
type declinedCard struct {
	Image, Portrait                    string
	Width, Height, PWidth, PHeight     int
	Heading, ShareURL, Share, Download string
	Downloads                          []download
}

// declinedPage serves GET/HEAD /i/:token/declined: to the decliner, the
// thanks, the learning site as the one primary action and their "I
// declined" card to share; to anyone they shared it with (no cookie for
// this invitation), what the card says, the way to learn, and the way to
// make an invitation of their own. Its link preview is the card.
func (a *app) declinedPage() echo.HandlerFunc {
	return func(c echo.Context) error {
		inv, err := a.invitation(c)
		if err != nil {
			return err
		}
		camp, token := inLanguage(c, inv.Camp), inv.Token
		req := c.Request()
		mine := declinedHere(req, token)
		// The decline was counted when it was made: the decliner's own
		// view of the thanks is not a page view. A visitor the card was
		// shared with is one, and a platform unfurling the shared link a
		// preview.
		if platform, bot := stats.Crawler(req.Method, req.UserAgent()); bot {
			a.stats.Record(stats.Event{Kind: stats.PreviewFetch, Campaign: camp.ID, Token: token, Platform: platform, At: a.now()})
		} else if !mine {
			a.stats.Record(stats.Event{Kind: stats.PageView, Campaign: camp.ID, Token: token, Human: true, IP: c.RealIP(), UserAgent: req.UserAgent(), At: a.now()})
		}
		body, err := a.buildDeclined(inv, camp, mine)
		if err != nil {
			return err
		}
		h := c.Response().Header()
		// Two pages at one address, told apart by the cookie: no shared
		// cache may keep either.
		h.Set("Cache-Control", "private, no-store")
		h.Add("Vary", "Cookie")
		return c.HTMLBlob(http.StatusOK, body)
	}
}

func (a *app) buildDeclined(inv share.Invitation, camp *campaign.Campaign, mine bool) ([]byte, error) {
	token := inv.Token
	lg, lq := camp.Lang(), share.LangQuery(camp)
	f := share.Fields(inv.Invitation)
	w := declinedFor(camp)
	d := declinedData{
		Lang: lg, Locale: camp.LocaleOf(lg), SiteName: camp.SiteName(),
		Title: camp.Expand(w.OGTitle, f), Description: camp.Expand(w.OGDescription, f),
		URL: a.links.Declined(token) + langSuffix(camp), StyleURL: a.assets.styleURL(camp),
		Event: camp.Expand(camp.Texts.Event, f), Date: camp.Expand(camp.Texts.Date, f),
		Mine: mine, LearnURL: share.LearnPath(token) + navLang(camp), Learn: camp.Expand(w.Learn, f),
	}
	d.Footer = footerFor(camp, d.Lang, token)
	d.Bar = a.langBarOf(camp, share.DeclinedPath(token))
	if mine {
		d.Heading, d.Body = camp.Expand(w.Heading, f), camp.Expand(w.Body, f)
	} else {
		d.Heading, d.Body = d.Title, d.Description
		if camp.SelfService && a.share.OpenNow(camp) {
			d.MakeURL, d.MakeYourOwn = "/c/"+camp.ID+navLang(camp), camp.Expand(w.MakeYourOwn, f)
		}
	}
	if card, og, ok := a.declinedCardOf(inv, camp, w); ok {
		d.Card = card
		d.OGImage = a.links.Image(token, og.Ref, og.Version) + lq
		d.OGWidth, d.OGHeight = og.Size()
		d.OGImageType = og.Ref.Format.ContentType()
		d.ImageAlt = camp.Expand(w.ImageAlt, f)
	} else {
		// No card of its own: the preview shows the invitation, as its
		// own page does (the link-preview variant, else its first).
		for _, ref := range share.Published(inv.Invitation) {
			if tpl, ok := camp.Variant(ref.Variant); ok {
				d.OGImage = a.links.Image(token, ref, tpl.Version) + lq
				d.OGWidth, d.OGHeight = tpl.Width, tpl.Height
				d.OGImageType = ref.Format.ContentType()
				d.ImageAlt = camp.Expand(camp.Texts.ImageAlt, f)
				break
			}
		}
	}
	d.OGImageSecure = secureURL(d.OGImage)
	var buf bytes.Buffer
	if err := a.pages.ExecuteTemplate(&buf, "declined.html", d); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// declinedCardOf is the invitation's "I declined" card for its pages,
// and the address of its link preview; ok is false when the campaign has
// no such card.
func (a *app) declinedCardOf(inv share.Invitation, camp *campaign.Campaign, w declinedWords) (*declinedCard, share.Address, bool) {
	token, lq := inv.Token, share.LangQuery(camp)
	og, ok := a.share.Address(camp, inv.Invitation, share.DeclinedRef(variant.Preview))
	if !ok {
		return nil, share.Address{}, false
	}
	f := share.Fields(inv.Invitation)
	card := &declinedCard{
		Image: share.ImagePath(token, og.Ref, og.Version) + lq, Heading: camp.Expand(w.ShareHeading, f),
		ShareURL: share.DeclinedSharePath(token) + langSuffix(camp), Share: camp.Expand(w.Share, f), Download: camp.Expand(w.Download, f),
	}
	card.Width, card.Height = og.Size()
	for _, v := range variant.All() {
		if v.Name == variant.Preview {
			continue
		}
		addr, ok := a.share.Address(camp, inv.Invitation, share.DeclinedRef(v.Name))
		if !ok {
			continue
		}
		if v.Name == "portrait" {
			card.Portrait = share.ImagePath(token, addr.Ref, addr.Version) + lq
			card.PWidth, card.PHeight = addr.Size()
		}
		card.Downloads = append(card.Downloads, download{
			URL:   share.DownloadPath(token, addr.Ref, addr.Version) + lq,
			Label: variantLabel(camp.Texts, camp.Lang(), v.Name), Size: strconv.Itoa(v.Width) + "×" + strconv.Itoa(v.Height),
		})
	}
	return card, og, true
}

// learn serves GET/HEAD /i/:token/learn: counts the way on to the
// learning site from sharecard's own pages (the decline confirmation, a
// declined invitation) and sends the visitor there, UTM-tagged as the
// direct decline's redirect is.
func (a *app) learn() echo.HandlerFunc {
	return func(c echo.Context) error {
		inv, err := a.invitation(c)
		if err != nil {
			return err
		}
		camp, token := inv.Camp, inv.Token
		req := c.Request()
		if _, bot := stats.Crawler(req.Method, req.UserAgent()); !bot {
			a.stats.Record(stats.Event{Kind: stats.LearningClick, Campaign: camp.ID, Token: token, Human: true,
				IP: c.RealIP(), UserAgent: req.UserAgent(), At: a.now()})
		}
		dest, err := share.LearningURL(camp, token)
		if err != nil {
			return err
		}
		c.Response().Header().Set("Cache-Control", "no-store")
		return c.Redirect(http.StatusSeeOther, dest)
	}
}

// declinedState is what the invitation page shows, on the device that
// declined, in place of the decline button.
type declinedState struct {
	State, LearnURL, Learn, CardURL, SeeCard string
}

func declinedStateOf(camp *campaign.Campaign, inv share.Invitation) *declinedState {
	w, f := declinedFor(camp), share.Fields(inv.Invitation)
	s := &declinedState{State: camp.Expand(w.State, f), LearnURL: share.LearnPath(inv.Token) + navLang(camp), Learn: camp.Expand(w.Learn, f)}
	if camp.HasDeclinedCard() {
		s.CardURL, s.SeeCard = share.DeclinedPath(inv.Token)+navLang(camp), camp.Expand(w.SeeCard, f)
	}
	return s
}
