package server

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/sharecard/sharecard/internal/share"
	"github.com/sharecard/sharecard/internal/variant"
)

// network is one share link on the send page.
type network struct {
	Name      string
	URL       template.URL // built here from escaped parts; fb-messenger: would otherwise be refused
	NewTab    bool         // a web page opens beside the send page; an app link does not
	TouchOnly bool         // shown on phones and tablets only (CSS pointer: coarse)
}

// shareFile is a card the share sheet hands to the app chosen (Instagram
// takes files, not links).
type shareFile struct {
	URL  string `json:"url"`
	Name string `json:"name"`
}

// sendData is what send.html shows.
type sendData struct {
	Lang, SiteName, StyleURL, ScriptURL string
	Event, Date, Ready                  string
	URL, PagePath, CampaignPath         string
	ShareTitle, ShareText, FilesJSON    string
	QRSVG, QRPNG                        string
	Networks                            []network
	W                                   sendWords
	Footer                              footer
	Bar                                 langBar
}

// sendPage serves GET/HEAD /i/:token/send: the maker's page for passing
// the invitation on. It is counted nowhere (not a page view, not a
// visitor: the invitee has not seen anything yet), and kept out of
// search engines and shared caches.
func (a *app) sendPage() echo.HandlerFunc {
	return func(c echo.Context) error {
		inv, err := a.invitation(c)
		if err != nil {
			return err
		}
		camp, token := inLanguage(c, inv.Camp), inv.Token
		f := share.Fields(inv.Invitation)
		preview := camp.InvitationPreview(f)
		l := camp.Lang()
		w := wordsFor(sendText, l)
		page := a.links.Page(token)
		d := sendData{
			Lang: l, SiteName: camp.SiteName(), StyleURL: a.assets.styleURL(camp), ScriptURL: a.assets.sendScriptURL(),
			Event: camp.Expand(camp.Texts.Event, f), Date: camp.Expand(camp.Texts.Date, f),
			Ready: fmt.Sprintf(w.Ready, inv.Name), URL: page, PagePath: "/i/" + token + langSuffix(camp), CampaignPath: "/c/" + camp.ID + langSuffix(camp),
			ShareTitle: preview.Title, ShareText: preview.Title,
			QRSVG: "/i/" + token + "/qr.svg?v=" + share.QRVersion, QRPNG: "/i/" + token + "/qr.png?v=" + share.QRVersion,
			Networks: shareLinks(page, preview.Title, preview.Description, w),
			W:        w, Footer: footerFor(camp, l, token), Bar: a.langBarOf(camp, "/i/"+token+"/send"),
		}
		var files []shareFile
		for _, ref := range share.Published(inv.Invitation) {
			tpl, ok := camp.Variant(ref.Variant)
			if !ok || ref.Variant == variant.Preview {
				continue
			}
			files = append(files, shareFile{URL: share.ImagePath(token, ref, tpl.Version) + share.LangQuery(camp), Name: share.DownloadName(camp, inv.Invitation, ref).ASCII})
		}
		js, err := json.Marshal(files)
		if err != nil {
			return err
		}
		d.FilesJSON = string(js)
		var buf bytes.Buffer
		if err := a.pages.ExecuteTemplate(&buf, "send.html", d); err != nil {
			return err
		}
		h := c.Response().Header()
		h.Set("Cache-Control", "private, no-store")
		h.Set("X-Robots-Tag", "noindex, nofollow")
		return c.HTMLBlob(http.StatusOK, buf.Bytes())
	}
}

// shareLinks are the networks' documented share URLs for page. Each
// network gets the page's own link (its og: tags make the preview);
// the ones that take text get the invitation's title with it.
func shareLinks(page, title, description string, w sendWords) []network {
	q := url.QueryEscape
	return []network{
		// https://learn.microsoft.com/linkedin/consumer/integrations/self-serve/share-on-linkedin
		{Name: "LinkedIn", URL: template.URL(share.LinkedInShare(page)), NewTab: true},
		// https://developers.facebook.com/docs/sharing/reference/share-dialog (the sharer URL)
		{Name: "Facebook", URL: template.URL("https://www.facebook.com/sharer/sharer.php?u=" + q(page)), NewTab: true},
		// https://developer.x.com/en/docs/x-for-websites/tweet-button/guides/web-intent
		{Name: "X", URL: template.URL("https://twitter.com/intent/tweet?text=" + q(title) + "&url=" + q(page)), NewTab: true},
		// https://faq.whatsapp.com/5913398998672934 (wa.me/?text=)
		{Name: "WhatsApp", URL: template.URL("https://wa.me/?text=" + q(title+" "+page)), NewTab: true},
		// Messenger's web dialog needs a Facebook app id; the app's own
		// link needs none, so it is offered on phones only.
		{Name: "Messenger", URL: template.URL("fb-messenger://share?link=" + q(page)), TouchOnly: true},
		{Name: w.Email, URL: template.URL(mailto(title, description+"\r\n\r\n"+page))},
	}
}

// mailto is an RFC 6068 mailto: URI with no address, for the person to
// fill in: subject and body percent-encoded as UTF-8, spaces as %20 (a
// "+" would reach the mail as a plus sign).
func mailto(subject, body string) string {
	enc := func(s string) string { return strings.ReplaceAll(url.QueryEscape(s), "+", "%20") }
	return "mailto:?subject=" + enc(subject) + "&body=" + enc(body)
}
