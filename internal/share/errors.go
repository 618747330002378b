package share

import (
	"errors"
	"strings"
)

// The share core's refusals; the server maps each to its status in one
// place (invite.ErrInvalidToken, *invite.FieldError and
// invite.ErrTooManyRows come from package invite).
var (
	// ErrRevoked means the invitation was taken out of service.
	ErrRevoked = errors.New("this invitation has been withdrawn")
	// ErrWithdrawn refuses a self-service entry whose details make a
	// link that was revoked: the same details make the same link, and a
	// card taken down stays down.
	ErrWithdrawn = errors.New("a card with exactly these details was withdrawn and cannot be made again")
	// ErrCampaignGone means a valid token names a campaign that is not
	// loaded.
	ErrCampaignGone = errors.New("the campaign of this invitation no longer exists")
	// ErrCampaignArchived means a valid token names a campaign that was
	// archived: its links are gone for good.
	ErrCampaignArchived = errors.New("the campaign of this invitation has ended")
	// ErrCampaignClosed means the campaign takes no self-service sign-ups
	// now (outside its opens:/closes: dates); links already made work.
	ErrCampaignClosed = errors.New("this campaign is closed for new invitations")
	// ErrNoSelfService means the campaign does not let visitors mint.
	ErrNoSelfService = errors.New("this campaign does not offer self-service invitations")
	// ErrBusy means the render queue is full; try again in a moment.
	ErrBusy = errors.New("busy rendering: try again in a second")
	// ErrNoEvent means the campaign has no event for a calendar.
	ErrNoEvent = errors.New("this campaign has no event to put in a calendar")
	// ErrTimeout means an image could not be had within the miss timeout.
	ErrTimeout = errors.New("the request took too long")
)

// BlockedError means a self-service entry holds a word the campaign's
// blocked_words refuse. It names the field, never the word or the text:
// the answer to the visitor is neutral, and nothing about it is kept.
type BlockedError struct {
	Field string // name, title or org
}

func (e *BlockedError) Error() string {
	return e.Field + ": this cannot be used on the campaign's card"
}

// NoSuchImageError means the invitation has no image by that file name.
type NoSuchImageError struct {
	Names []string // the file names it does have
}

func (e *NoSuchImageError) Error() string {
	if len(e.Names) == 0 {
		return "no such image: this campaign has no card of that kind"
	}
	return "no such image: use one of " + strings.Join(e.Names, ", ")
}
