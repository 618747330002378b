package stats

import (
	"bytes"
	"net/http"
)

// crawlers maps a User-Agent substring (lower case) to the platform whose
// link-preview crawler sends it. Order matters: Telegram's crawler says
// "TelegramBot (like TwitterBot)", so it must be tried before Twitter's.
var crawlers = []struct {
	needle   []byte
	platform string
}{
	{[]byte("telegrambot"), "telegram"},
	{[]byte("linkedinbot"), "linkedin"},
	{[]byte("facebookexternalhit"), "facebook"},
	{[]byte("facebookcatalog"), "facebook"},
	{[]byte("meta-externalagent"), "facebook"},
	{[]byte("meta-externalfetcher"), "facebook"},
	{[]byte("twitterbot"), "twitter"},
	{[]byte("slackbot"), "slack"},
	{[]byte("slack-imgproxy"), "slack"},
	{[]byte("discordbot"), "discord"},
	{[]byte("whatsapp"), "whatsapp"},
	{[]byte("skypeuripreview"), "skype"},
	{[]byte("iframely"), "iframely"},
	{[]byte("embedly"), "embedly"},
}

// genericBots are substrings that mark other automated clients (search
// engines, feed readers, scripts). They are counted as preview fetches of
// platform "other" so that they never inflate page views. "bot" alone is
// not enough: phone models such as "CUBOT X19" contain it, so it must be
// followed by a version slash or a hyphen as bot names are.
var genericBots = [][]byte{[]byte("bot/"), []byte("bot-"), []byte("crawler"), []byte("spider"), []byte("curl/"), []byte("wget/"),
	[]byte("python-requests"), []byte("go-http-client"), []byte("okhttp"), []byte("headlesschrome/")}

// Crawler reports whether a request comes from a link-preview crawler and
// which platform; HEAD requests count as crawlers (platform "other" unless
// the User-Agent names one), and so does an empty User-Agent, which no
// browser sends.
func Crawler(method, userAgent string) (platform string, ok bool) {
	// Lower-case into a stack buffer: this runs on every page and image
	// request, and a User-Agent is rarely longer than a few hundred bytes.
	var buf [512]byte
	ua := buf[:0]
	if len(userAgent) > len(buf) {
		ua = make([]byte, 0, len(userAgent))
	}
	blank := true
	for i := 0; i < len(userAgent); i++ {
		c := userAgent[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != ' ' && c != '\t' {
			blank = false
		}
		ua = append(ua, c)
	}
	for _, c := range crawlers {
		if bytes.Contains(ua, c.needle) {
			return c.platform, true
		}
	}
	if method == http.MethodHead || blank {
		return "other", true
	}
	for _, g := range genericBots {
		if bytes.Contains(ua, g) {
			return "other", true
		}
	}
	return "", false
}
