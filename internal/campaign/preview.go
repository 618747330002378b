package campaign

import (
	"fmt"
	"unicode/utf8"

	"github.com/sharecard/sharecard/internal/card"
)

// What link previews show before they cut: Facebook, LinkedIn and Google
// cut a title near 60–70 characters and a description near 155–160. The
// pages' titles and descriptions are meant to fit, with the call to
// action first.
const (
	MaxTitle       = 70
	MaxDescription = 160
)

// TypicalFields are the invitee a preview length is judged by: a common
// Danish first name and the third most common surname (16 characters),
// with a title and an organisation for texts that use them. Longer names
// are cut by the platforms; the campaign's copy must fit for most.
var TypicalFields = card.Fields{Name: "Mette Kristensen", Title: "Adm. direktør", Org: "Novo Nordisk"}

// Preview is a page's link preview text.
type Preview struct {
	Title, Description string
}

// InvitationPreview is the invitation page's title and description for f.
func (c *Campaign) InvitationPreview(f card.Fields) Preview {
	return Preview{Title: c.Expand(c.Texts.OGTitle, f), Description: c.Expand(c.Texts.OGDescription, f)}
}

// GenericFields are what the campaign's own card and page greet: its
// generic_name in place of a person.
func (c *Campaign) GenericFields() card.Fields { return card.Fields{Name: c.Texts.GenericName} }

// CampaignPreview is the campaign page's title and description.
func (c *Campaign) CampaignPreview() Preview {
	t := c.Texts
	title := t.CampaignOGTitle
	if title == "" {
		title = t.SelfServiceTitle
	}
	if title == "" || !c.SelfService && t.CampaignOGTitle == "" {
		title = t.Event
	}
	desc := t.CampaignOGDescription
	if desc == "" {
		desc = t.SelfServiceBody
	}
	f := c.GenericFields()
	return Preview{Title: c.Expand(title, f), Description: c.Expand(desc, f)}
}

// SiteName is og:site_name: the campaign's site_name, else its event.
func (c *Campaign) SiteName() string {
	if c.Texts.SiteName != "" {
		return c.Texts.SiteName
	}
	return c.Texts.Event
}

// warnPreviewLengths logs, as file:line, each preview text that is
// longer than platforms show (with TypicalFields for the invitation's).
// A warning, not a refusal: a preview that runs long is cut, not broken,
// and a designer should see it at `sharecard validate` without a
// deployment failing over a word; the tests hold the demo campaign to it.
func (st *fileState) warnPreviewLengths(c *Campaign) {
	inv, camp := c.InvitationPreview(TypicalFields), c.CampaignPreview()
	for _, w := range []struct {
		key, text string
		limit     int
	}{
		{"og_title", inv.Title, MaxTitle},
		{"og_description", inv.Description, MaxDescription},
		{"campaign_og_title", camp.Title, MaxTitle},
		{"campaign_og_description", camp.Description, MaxDescription},
		{"declined_og_title", c.Expand(c.Texts.DeclinedOGTitle, TypicalFields), MaxTitle},
		{"declined_og_description", c.Expand(c.Texts.DeclinedOGDescription, TypicalFields), MaxDescription},
	} {
		n := utf8.RuneCountInString(w.text)
		if n <= w.limit {
			continue
		}
		key := w.key
		node := st.textNodes[key]
		if node == nil { // a campaign text that defaulted
			key = map[string]string{"campaign_og_title": "self_service_title", "campaign_og_description": "self_service_body"}[key]
			node = st.textNodes[key]
		}
		line := 0
		if node != nil {
			line = node.Line
		}
		st.log.Warn(fmt.Sprintf("%s:%d: texts.%s is %d characters for a typical invitee; link previews cut it after %d", st.p.file, line, key, n, w.limit),
			"text", w.text)
	}
}
