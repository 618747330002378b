package server

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/sharecard/sharecard/internal/campaign"
	"github.com/sharecard/sharecard/internal/invite"
	"github.com/sharecard/sharecard/internal/share"
	"github.com/sharecard/sharecard/internal/strictjson"
)

// statusOf decides the HTTP status and the message a client sees for err.
// It is the one place where errors meet HTTP.
func statusOf(err error) (int, string) {
	var he *echo.HTTPError
	var fe *invite.FieldError
	var se *invite.SyntaxError
	var ni *share.NoSuchImageError
	var je *strictjson.Error
	var tl *campaign.TooLargeError
	var inv *campaign.InvalidError
	var be *share.BlockedError
	switch {
	case errors.As(err, &be):
		return http.StatusUnprocessableEntity, be.Error()
	case errors.As(err, &tl):
		return http.StatusRequestEntityTooLarge, tl.Error()
	case errors.As(err, &inv):
		return http.StatusUnprocessableEntity, fmt.Sprintf("campaign %s does not validate: %d problem(s), each in errors with its line", inv.ID, len(inv.Problems))
	case errors.Is(err, campaign.ErrInvalidID), errors.Is(err, campaign.ErrInvalidAssetName):
		return http.StatusBadRequest, err.Error()
	case errors.Is(err, campaign.ErrUnsupportedAsset):
		return http.StatusUnsupportedMediaType, err.Error()
	case errors.Is(err, campaign.ErrBadAsset):
		return http.StatusUnprocessableEntity, err.Error()
	case errors.Is(err, campaign.ErrNotFound), errors.Is(err, campaign.ErrNoVersion), errors.Is(err, campaign.ErrNoAsset):
		return http.StatusNotFound, err.Error()
	case errors.Is(err, campaign.ErrVersionMismatch):
		return http.StatusPreconditionFailed, err.Error()
	case errors.Is(err, campaign.ErrConflict):
		return http.StatusConflict, err.Error()
	case errors.Is(err, share.ErrCampaignArchived):
		return http.StatusGone, err.Error()
	case errors.Is(err, share.ErrCampaignClosed):
		return http.StatusForbidden, err.Error()
	case errors.As(err, &he):
		msg := http.StatusText(he.Code)
		if s, ok := he.Message.(string); ok && s != "" {
			msg = s
		}
		if he.Code == http.StatusRequestEntityTooLarge {
			msg = "request body too large"
		}
		if he.Code == http.StatusNotFound && he.Message == echo.ErrNotFound.Message {
			msg = "not found"
		}
		if he.Code == http.StatusMethodNotAllowed {
			msg = "method not allowed"
		}
		return he.Code, msg
	case errors.Is(err, invite.ErrInvalidToken):
		return http.StatusNotFound, "no such invitation (the link is incomplete or was changed)"
	case errors.Is(err, share.ErrCampaignGone), errors.Is(err, share.ErrNoEvent):
		return http.StatusNotFound, err.Error()
	case errors.As(err, &ni):
		return http.StatusNotFound, ni.Error()
	case errors.Is(err, share.ErrRevoked):
		return http.StatusGone, share.ErrRevoked.Error()
	case errors.Is(err, share.ErrNoSelfService):
		return http.StatusForbidden, err.Error()
	case errors.As(err, &fe):
		return http.StatusUnprocessableEntity, fe.Error()
	case errors.As(err, &se):
		return http.StatusBadRequest, se.Error()
	case errors.As(err, &je):
		return http.StatusBadRequest, je.Error()
	case errors.Is(err, invite.ErrTooManyRows):
		return http.StatusRequestEntityTooLarge, err.Error()
	case errors.Is(err, share.ErrBusy):
		return http.StatusServiceUnavailable, share.ErrBusy.Error()
	case errors.Is(err, errTimeout), errors.Is(err, share.ErrTimeout), errors.Is(err, context.DeadlineExceeded):
		return http.StatusServiceUnavailable, errTimeout.Error()
	case errors.Is(err, context.Canceled):
		return 499, "client closed the request"
	}
	return http.StatusInternalServerError, "internal error"
}

// handleError is the echo error handler: every error becomes
// {"error": "..."} with its status, or, for a browser outside /api/ (see
// prefersHTML), a page in the campaign's look that says the same in its
// words and offers a way on; server errors are logged once, and never
// shown to the client beyond "internal error".
func (a *app) handleError(err error, c echo.Context) {
	if c.Response().Committed {
		a.log.Warn("error after the response started", "path", c.Path(), "err", err)
		return
	}
	code, msg := statusOf(err)
	switch {
	case errors.Is(err, share.ErrBusy):
		// Expected under overload: one line a second at most, with the
		// number of refusals folded into it.
		if n, ok := a.busyLog.take(time.Now()); ok {
			a.log.Warn("renders refused: the render queue is full", "route", c.Path(), "refused", n)
		}
	case code >= 500:
		a.log.Error("request failed", "method", c.Request().Method, "route", c.Path(), "status", code, "err", err)
	default:
		a.log.Debug("request refused", "method", c.Request().Method, "route", c.Path(), "status", code, "err", err)
	}
	if code == http.StatusServiceUnavailable {
		c.Response().Header().Set("Retry-After", "1")
	}
	h := c.Response().Header()
	// A page route may have set gzip or HTML headers before failing.
	h.Del(echo.HeaderContentEncoding)
	h.Del(echo.HeaderContentLength)
	h.Set("Cache-Control", "no-store")
	// The same URL may answer JSON or a page, by Accept.
	h.Add("Vary", "Accept")
	html := prefersHTML(c.Request())
	var page []byte
	if html && code != 499 {
		var perr error
		if page, perr = a.errorPage(c, code); perr != nil {
			a.log.Error("render error page", "status", code, "err", perr)
			html = false
		}
	}
	var inv *campaign.InvalidError
	switch {
	case html && page != nil:
		// The page loads the campaign's stylesheet; the route's CSP may be
		// the deny-all one of an image or API route.
		h.Set("Content-Security-Policy", pageCSP)
		if c.Request().Method == http.MethodHead {
			h.Set(echo.HeaderContentType, echo.MIMETextHTMLCharsetUTF8)
			err = c.NoContent(code)
		} else {
			err = c.HTMLBlob(code, page)
		}
	case c.Request().Method == http.MethodHead:
		err = c.NoContent(code)
	case errors.As(err, &inv):
		err = c.JSON(code, invalidBody(msg, inv))
	default:
		err = c.JSON(code, map[string]string{"error": msg})
	}
	if err != nil {
		a.log.Warn("write error response", "err", err)
	}
}

// sampler lets one log line through per interval and counts the ones it
// holds back, so an expected flood (503s under overload) costs the log a
// line a second, not one per request.
type sampler struct {
	every  time.Duration
	mu     sync.Mutex
	last   time.Time
	folded int
}

// take reports whether a line may be written now and how many events it
// stands for (itself and those held back since the last one).
func (s *sampler) take(now time.Time) (int, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.folded++
	if !s.last.IsZero() && now.Sub(s.last) < s.every {
		return 0, false
	}
	n := s.folded
	s.last, s.folded = now, 0
	return n, true
}

// problemJSON is one campaign problem as the API gives it; message is
// what `sharecard validate` prints after "file:line: ".
type problemJSON struct {
	Line    int    `json:"line"`
	Column  int    `json:"column"`
	Message string `json:"message"`
}

// invalidBody is the answer to a campaign that does not validate: the
// usual error, and every problem at its place.
func invalidBody(msg string, inv *campaign.InvalidError) any {
	list := make([]problemJSON, len(inv.Problems))
	for i, p := range inv.Problems {
		list[i] = problemJSON{Line: p.Line, Column: p.Column, Message: p.Message}
	}
	return struct {
		Error  string        `json:"error"`
		Errors []problemJSON `json:"errors"`
	}{msg, list}
}
