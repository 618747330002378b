package server

import (
	"github.com/sharecard/sharecard/internal/campaign"
)

// footer is what every public page's footer (templates/footer.html)
// shows: the campaign's privacy page and, on an invitation's pages, the
// way to report the card.
type footer struct {
	PrivacyURL, Privacy string
	ReportURL, Report   string
}

type footerWords struct{ Privacy, Report string }

var footerText = map[string]footerWords{
	"da": {Privacy: "Privatliv og cookies", Report: "Rapportér / fjern dette kort"},
	"en": {Privacy: "Privacy and cookies", Report: "Report / remove this card"},
}

// footerFor is the footer of a page of camp in language lang; token, when
// not empty, adds the report link for that invitation. Without a campaign
// there is no privacy page to link, and the footer is empty.
func footerFor(camp *campaign.Campaign, lang, token string) footer {
	if camp == nil {
		return footer{}
	}
	w := wordsFor(footerText, lang)
	f := footer{PrivacyURL: privacyPath(camp.ID), Privacy: w.Privacy}
	if token != "" {
		f.ReportURL, f.Report = reportPath(token), w.Report
	}
	return f
}

func privacyPath(campaignID string) string { return "/c/" + campaignID + "/privacy" }
func reportPath(token string) string       { return "/i/" + token + "/report" }
