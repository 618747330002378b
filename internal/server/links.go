package server

import (
	"net/url"

	"github.com/sharecard/sharecard/internal/card"
)

// Links builds the public URLs of an invitation from the base URL.
type Links struct {
	Base string // absolute, no trailing slash
}

// Page is the invitation page.
func (l Links) Page(token string) string { return l.Base + "/i/" + token }

// Image is the versioned image URL: the template version in the query makes
// a design change give new URLs, and the old URLs keep answering.
func (l Links) Image(token, variant string, f card.Format, version string) string {
	return l.Base + ImagePath(token, variant, f, version)
}

// ImagePath is Image without the base URL.
func ImagePath(token, variant string, f card.Format, version string) string {
	return "/i/" + token + "/" + variant + "." + string(f) + "?v=" + url.QueryEscape(version)
}

// DownloadPath is the image served as an attachment (the page's
// "Hent til Instagram" links).
func DownloadPath(token, variant string, f card.Format, version string) string {
	return "/i/" + token + "/download/" + variant + "." + string(f) + "?v=" + url.QueryEscape(version)
}

// Share is the LinkedIn button's URL (a redirect through the service, so
// the click is counted).
func (l Links) Share(token string) string { return l.Base + "/i/" + token + "/share" }

// PublishedFormat is the format a variant's link uses: JPEG for the og
// preview (what platforms expect, and small), PNG for the Instagram sizes
// (sharp type when Instagram re-encodes).
func PublishedFormat(variant string) card.Format {
	if variant == "og" {
		return card.JPEG
	}
	return card.PNG
}

// LinkedInShare is LinkedIn's share-offsite URL for page.
func LinkedInShare(page string) string {
	return "https://www.linkedin.com/sharing/share-offsite/?url=" + url.QueryEscape(page)
}
