package stats

import (
	"net/http"
	"strings"
)

// crawlers maps a User-Agent substring (lower case) to the platform whose
// link-preview crawler sends it. Order matters: Telegram's crawler says
// "TelegramBot (like TwitterBot)", so it must be tried before Twitter's.
var crawlers = []struct{ needle, platform string }{
	{"telegrambot", "telegram"},
	{"linkedinbot", "linkedin"},
	{"facebookexternalhit", "facebook"},
	{"facebookcatalog", "facebook"},
	{"meta-externalagent", "facebook"},
	{"meta-externalfetcher", "facebook"},
	{"twitterbot", "twitter"},
	{"slackbot", "slack"},
	{"slack-imgproxy", "slack"},
	{"discordbot", "discord"},
	{"whatsapp", "whatsapp"},
	{"skypeuripreview", "skype"},
	{"iframely", "iframely"},
	{"embedly", "embedly"},
}

// genericBots are substrings that mark other automated clients (search
// engines, feed readers, scripts). They are counted as preview fetches of
// platform "other" so that they never inflate page views. "bot" alone is
// not enough: phone models such as "CUBOT X19" contain it, so it must be
// followed by a version slash or a hyphen as bot names are.
var genericBots = []string{"bot/", "bot-", "crawler", "spider", "curl/", "wget/", "python-requests", "go-http-client", "okhttp", "headlesschrome/"}

// Crawler reports whether a request comes from a link-preview crawler and
// which platform; HEAD requests count as crawlers (platform "other" unless
// the User-Agent names one), and so does an empty User-Agent, which no
// browser sends.
func Crawler(method, userAgent string) (platform string, ok bool) {
	ua := strings.ToLower(userAgent)
	for _, c := range crawlers {
		if strings.Contains(ua, c.needle) {
			return c.platform, true
		}
	}
	if method == http.MethodHead || strings.TrimSpace(ua) == "" {
		return "other", true
	}
	for _, g := range genericBots {
		if strings.Contains(ua, g) {
			return "other", true
		}
	}
	return "", false
}
