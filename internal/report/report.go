// Package report owns take-down reports: a visitor's word that a card is
// offensive, about them, or misused. A report holds the invitation it is
// about (its revocation fingerprint and token), the reason and what the
// reporter chose to write, and never anything about the reporter: no IP
// address, browser, cookie or account. Stores keep the reports of each
// campaign, bounded, for the campaign team to revoke or dismiss.
package report

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/mail"
	"regexp"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Reason is why a card is reported.
type Reason string

// The reasons a reporter chooses between, in the form's order.
const (
	Offensive Reason = "offensive" // hateful, insulting or obscene
	AboutMe   Reason = "about-me"  // the person named wants it removed
	Misuse    Reason = "misuse"    // impersonation, or the campaign turned against someone
	Other     Reason = "other"
)

// Reasons lists every reason, in the order the form offers them.
var Reasons = []Reason{Offensive, AboutMe, Misuse, Other}

// Valid reports whether r is one of Reasons.
func (r Reason) Valid() bool {
	for _, x := range Reasons {
		if r == x {
			return true
		}
	}
	return false
}

// Status is where a report stands.
type Status string

const (
	Open      Status = "open"
	Revoked   Status = "revoked"   // the link was taken out of service
	Dismissed Status = "dismissed" // looked at; no action needed
)

// Bounds on what a reporter may write, in characters.
const (
	MaxDetail  = 1000
	MaxContact = 200
)

// Report is one take-down request.
type Report struct {
	ID       string `json:"id"`
	Campaign string `json:"campaign"`
	// Fingerprint is the invitation's id on the revocation list.
	Fingerprint string `json:"invitation_id"`
	// Token is the reported link's token, so the team can see the card
	// and revoke it; it names the invitee, never the reporter.
	Token     string     `json:"token"`
	Reason    Reason     `json:"reason"`
	Detail    string     `json:"detail,omitempty"`
	Contact   string     `json:"contact,omitempty"`
	Status    Status     `json:"status"`
	CreatedAt time.Time  `json:"created_at"`
	HandledAt *time.Time `json:"handled_at,omitempty"`
}

// Input is what the form sends.
type Input struct {
	Reason, Detail, Contact string
}

// Problem names what is wrong with a field of the form.
type Problem string

const (
	NoReason     Problem = "reason"        // none chosen, or not one of Reasons
	DetailLong   Problem = "detail-long"   // over MaxDetail
	DetailChars  Problem = "detail-chars"  // control or invisible characters
	ContactLong  Problem = "contact-long"  // over MaxContact
	ContactWrong Problem = "contact-wrong" // neither an e-mail address nor a phone number
)

// FieldError is a refused form: Field is "reason", "detail" or "contact".
type FieldError struct {
	Field   string
	Problem Problem
}

func (e *FieldError) Error() string { return fmt.Sprintf("report: %s: %s", e.Field, e.Problem) }

// Clean checks in and returns it trimmed, or the first problem found.
func Clean(in Input) (Input, error) {
	in.Reason = strings.TrimSpace(in.Reason)
	in.Detail = strings.TrimSpace(strings.ReplaceAll(in.Detail, "\r\n", "\n"))
	in.Contact = strings.TrimSpace(in.Contact)
	if !Reason(in.Reason).Valid() {
		return in, &FieldError{"reason", NoReason}
	}
	if utf8.RuneCountInString(in.Detail) > MaxDetail {
		return in, &FieldError{"detail", DetailLong}
	}
	if !utf8.ValidString(in.Detail) || strings.IndexFunc(in.Detail, hidden) >= 0 {
		return in, &FieldError{"detail", DetailChars}
	}
	if in.Contact == "" {
		return in, nil
	}
	if utf8.RuneCountInString(in.Contact) > MaxContact {
		return in, &FieldError{"contact", ContactLong}
	}
	if !email(in.Contact) && !phone(in.Contact) {
		return in, &FieldError{"contact", ContactWrong}
	}
	return in, nil
}

// hidden are the characters a detail may not hold: controls other than
// line breaks and tabs, and the invisible formatting ones that can turn
// the writing direction of what the team reads. The zero-width joiner and
// non-joiner stay: emoji sequences and Persian words need them.
func hidden(r rune) bool {
	if r == '\n' || r == '\t' || r == '\u200c' || r == '\u200d' {
		return false
	}
	return unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || r == utf8.RuneError
}

// email accepts a bare address (name@domain.tld), as net/mail parses it.
func email(s string) bool {
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || a.Name != "" {
		return false
	}
	_, domain, _ := strings.Cut(s, "@")
	return strings.Contains(domain, ".") && !strings.ContainsAny(s, " \t")
}

var phoneChars = regexp.MustCompile(`^[0-9 ()./+-]+$`)

// phone accepts a number written as people write them: 6 to 15 digits
// with spaces, dashes, dots, parentheses and at most one +.
func phone(s string) bool {
	if !phoneChars.MatchString(s) || strings.Count(s, "+") > 1 {
		return false
	}
	n := 0
	for _, r := range s {
		if r >= '0' && r <= '9' {
			n++
		}
	}
	return n >= 6 && n <= 15
}

// ErrFull means a campaign has MaxOpen open reports: a new one is refused
// rather than an open one dropped, until the team has handled some.
var ErrFull = errors.New("too many open reports")

// ErrNotFound means no report has that id in that campaign.
var ErrNotFound = errors.New("no such report")

// ErrHandled means the report was already revoked or dismissed.
var ErrHandled = errors.New("the report was already handled")

// Bounds on what a store keeps per campaign.
const (
	// MaxOpen open reports; a flood beyond it is refused, never trimmed,
	// so no real report is lost to it.
	MaxOpen = 500
	// MaxHandled handled reports are kept as a record; older ones go.
	MaxHandled = 1000
)

// Store keeps reports.
type Store interface {
	// Add stores r as a new open report and returns it with its id.
	Add(ctx context.Context, r Report) (Report, error)
	// List returns a campaign's reports, open ones first, newest first
	// within each group.
	List(ctx context.Context, campaign string) ([]Report, error)
	// Handle marks an open report revoked or dismissed at time at.
	Handle(ctx context.Context, campaign, id string, status Status, at time.Time) (Report, error)
}

// newID is a report's id: random, so it says nothing of who or when.
func newID() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// validID guards ids that reach keys and file names.
var validID = regexp.MustCompile(`^[0-9a-f]{16}$`)

// prepare fills in a new report's id and status and checks it.
func prepare(r Report) (Report, error) {
	if r.Campaign == "" || r.Fingerprint == "" || r.Token == "" {
		return r, errors.New("report: campaign, fingerprint and token are required")
	}
	if !r.Reason.Valid() {
		return r, &FieldError{"reason", NoReason}
	}
	r.ID, r.Status, r.HandledAt = newID(), Open, nil
	return r, nil
}

// checkHandle checks a status change.
func checkHandle(status Status) error {
	if status != Revoked && status != Dismissed {
		return fmt.Errorf("report: cannot mark a report %q", status)
	}
	return nil
}

// less orders reports open first, newest first (by id when two arrived
// in the same instant, so every store lists them alike).
func less(a, b Report) int {
	if (a.Status == Open) != (b.Status == Open) {
		if a.Status == Open {
			return -1
		}
		return 1
	}
	if c := b.CreatedAt.Compare(a.CreatedAt); c != 0 {
		return c
	}
	return strings.Compare(a.ID, b.ID)
}
