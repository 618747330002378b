package share

import (
	"net/url"

	"github.com/sharecard/sharecard/internal/campaign"
	"github.com/sharecard/sharecard/internal/stats"
)

// Links builds the public URLs of an invitation from the base URL.
type Links struct {
	Base string // absolute, no trailing slash
}

// Page is the invitation page.
func (l Links) Page(token string) string { return l.Base + "/i/" + token }

// Campaign is the campaign's public page.
func (l Links) Campaign(id string) string { return l.Base + "/c/" + id }

// Image is the versioned image URL: the template version in the query makes
// a design change give new URLs, and the old URLs keep answering.
func (l Links) Image(token string, ref ImageRef, version string) string {
	return l.Base + ImagePath(token, ref, version)
}

// ImagePath is Image without the base URL: /i/{token}/og.jpg for the
// invitation, /i/{token}/declined/og.jpg for the "I declined" card.
func ImagePath(token string, ref ImageRef, version string) string {
	return "/i/" + token + "/" + ref.dir() + ref.File() + "?v=" + url.QueryEscape(version)
}

// DownloadPath is the image served as an attachment (the page's
// "Hent til Instagram" links): /i/{token}/download/story.png, and
// /i/{token}/declined/download/story.png for the "I declined" card.
func DownloadPath(token string, ref ImageRef, version string) string {
	return "/i/" + token + "/" + ref.dir() + "download/" + ref.File() + "?v=" + url.QueryEscape(version)
}

// DeclinedPath is the decline confirmation, the page that thanks the
// decliner and that their "I declined" share links to.
func DeclinedPath(token string) string { return "/i/" + token + "/declined" }

// Declined is DeclinedPath with the base URL.
func (l Links) Declined(token string) string { return l.Base + DeclinedPath(token) }

// DeclinedSharePath is the decline confirmation's LinkedIn button (a
// redirect through the service, so the click is counted).
func DeclinedSharePath(token string) string { return DeclinedPath(token) + "/share" }

// LearnPath is the counted way to the learning site from sharecard's own
// pages: it answers with a redirect to LearningURL.
func LearnPath(token string) string { return "/i/" + token + "/learn" }

// Share is the LinkedIn button's URL (a redirect through the service, so
// the click is counted).
func (l Links) Share(token string) string { return l.Base + "/i/" + token + "/share" }

// LinkedInShare is LinkedIn's share-offsite URL for page.
func LinkedInShare(page string) string {
	return "https://www.linkedin.com/sharing/share-offsite/?url=" + url.QueryEscape(page)
}

// LearningURL is the campaign's learning site with utm_source=sharecard,
// utm_medium=invitation, utm_campaign=<campaign id> and utm_content=<the
// invitation's stats id> (never the token, which carries the name).
func LearningURL(camp *campaign.Campaign, token string) (string, error) {
	u, err := url.Parse(camp.LearningURL)
	if err != nil {
		return "", err
	}
	q := u.Query()
	q.Set("utm_source", "sharecard")
	q.Set("utm_medium", "invitation")
	q.Set("utm_campaign", camp.ID)
	q.Set("utm_content", stats.InvitationID(token))
	u.RawQuery = q.Encode()
	return u.String(), nil
}

// CampaignImagePath is the campaign's own card (its page's og:image) at
// a template version.
func CampaignImagePath(id string, ref ImageRef, version string) string {
	return "/c/" + id + "/" + ref.File() + "?v=" + url.QueryEscape(version)
}

// CampaignImage is CampaignImagePath with the base URL.
func (l Links) CampaignImage(id string, ref ImageRef, version string) string {
	return l.Base + CampaignImagePath(id, ref, version)
}

// PageLangQuery is what a page's URL adds to say camp's language:
// "?lang=en" for a language other than the campaign's default, "" for the
// default.
func PageLangQuery(camp *campaign.Campaign) string {
	if camp.Lang() == camp.Language {
		return ""
	}
	return "?lang=" + url.QueryEscape(camp.Lang())
}

// LangQuery is what a URL of camp's cards adds to say their language:
// "&lang=en" for a language other than the campaign's default (camp from
// Campaign.In), "" for the default, whose URLs stay as they were.
func LangQuery(camp *campaign.Campaign) string {
	if camp.Lang() == camp.Language {
		return ""
	}
	return "&lang=" + url.QueryEscape(camp.Lang())
}
