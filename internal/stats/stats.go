// Package stats owns the campaign's numbers: events into a bounded buffer,
// counters in Redis or memory in hourly buckets, daily unique visitors by
// salted hash, and the queries behind the dashboard. It never stores an IP
// address or a User-Agent.
package stats

import (
	"crypto/sha256"
	"encoding/hex"
	"time"
)

// Kind is an event type.
type Kind string

const (
	PreviewFetch  Kind = "preview_fetch"
	ImageServed   Kind = "image_served"
	ImageRendered Kind = "image_rendered"
	PageView      Kind = "page_view"
	Decline       Kind = "decline"
	ShareClick    Kind = "share_click"
	Download      Kind = "download"
	LearningClick Kind = "learning_click"
	EngagedTime   Kind = "engaged_time"
	Minted        Kind = "invitation_minted"
)

// Event is one thing that happened. IP and UserAgent are used only to
// compute the day's visitor hash and to classify crawlers; they are never
// stored.
type Event struct {
	Kind      Kind
	Campaign  string
	Token     string // hashed before storage
	Variant   string
	Format    string
	Platform  string // crawler platform for preview_fetch
	Human     bool
	IP        string
	UserAgent string
	Seconds   float64 // engaged_time
	At        time.Time
}

// Recorder takes events without blocking the request.
type Recorder interface {
	Record(Event)
}

// Discard is a Recorder that drops everything (recording turned off).
type Discard struct{}

// Record drops e.
func (Discard) Record(Event) {}

// Crawler reports whether a request comes from a link-preview crawler and
// which platform; HEAD requests count as crawlers.
func Crawler(method, userAgent string) (platform string, ok bool) {
	if method == "HEAD" {
		return "other", true
	}
	return "", false
}

// InvitationID is the short, stable id under which an invitation's numbers
// are kept: a hash of its token, so the token (and the name in it) is not.
func InvitationID(token string) string {
	h := sha256.Sum256([]byte(token))
	return hex.EncodeToString(h[:8])
}
