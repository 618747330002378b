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

// The event kinds. Each is counted per campaign in hourly buckets, and per
// invitation (by InvitationID) per day where the event carries a token.
const (
	// PreviewFetch is a platform's crawler fetching the page or an image;
	// it is never counted as a visit.
	PreviewFetch Kind = "preview_fetch"
	// ImageServed is an image answered, split by variant, format and
	// whether a crawler or a person asked for it.
	ImageServed Kind = "image_served"
	// ImageRendered is a cache miss: the image had to be drawn.
	ImageRendered Kind = "image_rendered"
	// PageView is a person opening an invitation page; it also feeds the
	// day's unique visitors.
	PageView Kind = "page_view"
	// Decline is the campaign's goal: the invitee declined the invitation.
	Decline Kind = "decline"
	// ShareClick is a click on the LinkedIn share button.
	ShareClick Kind = "share_click"
	// Download is an Instagram image downloaded, by variant.
	Download Kind = "download"
	// LearningClick is the redirect to the campaign's learning site.
	LearningClick Kind = "learning_click"
	// EngagedTime is a beacon reporting Seconds of visible time on a page.
	EngagedTime Kind = "engaged_time"
	// Minted is an invitation created.
	Minted Kind = "invitation_minted"
	// SelfServiceRefused is a self-service entry refused for a blocked
	// word. The event carries the campaign only: never the text, which
	// is exactly what must not be kept.
	SelfServiceRefused Kind = "self_service_refused"
)

// PerVisitor lists the kinds that count once per invitation, visitor and
// UTC day (the day's salted visitor hash, as for unique visitors): five
// declines by one person are one decline. Their raw event counts are kept
// beside them (Report.Raw).
var PerVisitor = []Kind{Decline, ShareClick, Download, LearningClick}

// PreviewWindow is how long one unfurl lasts: the preview fetches of one
// invitation by one platform within PreviewWindow of the fetch that opened
// the window (the page, then its og:image) are one preview.
const PreviewWindow = 10 * time.Minute

// Kinds lists every event kind, in funnel order where there is one.
var Kinds = []Kind{Minted, PreviewFetch, ImageServed, ImageRendered, PageView, Decline, ShareClick, Download, LearningClick, EngagedTime, SelfServiceRefused}

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

// InvitationID is the short, stable id under which an invitation's numbers
// are kept: a hash of its token, so the token (and the name in it) is not.
func InvitationID(token string) string {
	h := sha256.Sum256([]byte(token))
	return hex.EncodeToString(h[:8])
}
