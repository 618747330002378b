package server

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/sharecard/sharecard/internal/share"
)

// calendar serves GET/HEAD /i/:token/calendar.ics: the party as an
// iCalendar file, which a phone offers to add to its calendar.
func (a *app) calendar() echo.HandlerFunc {
	return func(c echo.Context) error {
		inv, err := a.invitation(c)
		if err != nil {
			return err
		}
		// In the page's language: the invitation page's link names it.
		inv.Camp = inLanguage(c, inv.Camp)
		body, err := a.share.Calendar(inv, a.now())
		if err != nil {
			return err
		}
		h := c.Response().Header()
		h.Set("Cache-Control", "public, max-age=3600")
		h.Set("Content-Disposition", `attachment; filename="`+share.CalendarFile(inv)+`"`)
		h.Set(echo.HeaderContentType, "text/calendar; charset=utf-8")
		h.Set(echo.HeaderContentLength, strconv.Itoa(len(body)))
		c.Response().WriteHeader(http.StatusOK)
		if c.Request().Method == http.MethodHead {
			return nil
		}
		_, err = c.Response().Write(body)
		return err
	}
}
