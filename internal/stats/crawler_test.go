package stats

import (
	"strings"
	"testing"
)

func TestCrawler(t *testing.T) {
	tests := []struct {
		name, method, ua string
		platform         string
		bot              bool
	}{
		{"LinkedIn's preview crawler is LinkedIn", "GET", "LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)", "linkedin", true},
		{"Facebook's external hit is Facebook", "GET", "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)", "facebook", true},
		{"Meta's external agent is Facebook", "GET", "meta-externalagent/1.1 (+https://developers.facebook.com/docs/sharing/webmasters/crawler)", "facebook", true},
		{"Twitterbot is Twitter", "GET", "Twitterbot/1.0", "twitter", true},
		{"Slack's link expander is Slack", "GET", "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)", "slack", true},
		{"Slack's image proxy is Slack", "GET", "Slack-ImgProxy (+https://api.slack.com/robots)", "slack", true},
		{"Discordbot is Discord", "GET", "Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)", "discord", true},
		{"WhatsApp's preview fetch is WhatsApp", "GET", "WhatsApp/2.23.20.0 A", "whatsapp", true},
		{"Telegram's bot is Telegram although it names Twitter", "GET", "TelegramBot (like TwitterBot)", "telegram", true},
		{"Skype's preview is Skype", "GET", "Mozilla/5.0 (Windows NT 6.1; WOW64) SkypeUriPreview Preview/0.5 skype-url-preview@microsoft.com", "skype", true},
		{"Iframely is Iframely", "GET", "Iframely/1.3.1 (+https://iframely.com/docs/about) Atlassian", "iframely", true},
		{"Embedly is Embedly", "GET", "Mozilla/5.0 (compatible; Embedly/0.2; +http://support.embed.ly/)", "embedly", true},
		{"a HEAD request from a browser UA is a bot of platform other", "HEAD", "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15", "other", true},
		{"a HEAD request from LinkedIn keeps its platform", "HEAD", "LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)", "linkedin", true},
		{"Googlebot is a bot of platform other", "GET", "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", "other", true},
		{"curl is a bot of platform other", "GET", "curl/8.5.0", "other", true},
		{"an empty User-Agent is a bot of platform other", "GET", "", "other", true},
		{"Chrome on Windows is a person", "GET", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36", "", false},
		{"Safari on iPhone is a person", "GET", "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1", "", false},
		{"LinkedIn's in-app browser is a person", "GET", "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 [LinkedInApp]/9.29.1", "", false},
		{"Facebook's in-app browser is a person", "GET", "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 [FBAN/FBIOS;FBAV/460.0.0.35.109;FBBV/577452045]", "", false},
		{"Instagram's in-app browser is a person", "GET", "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/124.0.6367.82 Mobile Safari/537.36 Instagram 330.0.0.40.92 Android", "", false},
		{"a very long User-Agent is still read to the end", "GET", strings.Repeat("Mozilla/5.0 ", 60) + "LinkedInBot/1.0", "linkedin", true},
		{"a blank User-Agent is a bot of platform other", "GET", "   ", "other", true},
		{"a CUBOT phone is a person, not a bot", "GET", "Mozilla/5.0 (Linux; Android 9; CUBOT X19) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, ok := Crawler(tt.method, tt.ua)
			if p != tt.platform || ok != tt.bot {
				t.Errorf("Crawler(%q, %q) = %q, %v; want %q, %v", tt.method, tt.ua, p, ok, tt.platform, tt.bot)
			}
		})
	}
}
