package server

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/sharecard/sharecard/internal/share"
)

// qr serves GET/HEAD /i/:token/qr.svg and qr.png: the QR code of the
// invitation's page, cached like the cards (a year at the current
// version, an hour without it) and counted nowhere.
func (a *app) qr(ext string) echo.HandlerFunc {
	return func(c echo.Context) error {
		inv, err := a.invitation(c)
		if err != nil {
			return err
		}
		code, err := a.share.QR(inv, ext)
		if err != nil {
			return err
		}
		h := c.Response().Header()
		if c.QueryParam("v") == share.QRVersion {
			h["Cache-Control"] = cacheImmutable
		} else {
			h["Cache-Control"] = cacheHour
		}
		h.Set("ETag", code.ETag)
		if etagMatch(c.Request().Header.Get("If-None-Match"), code.ETag) {
			return c.NoContent(http.StatusNotModified)
		}
		body, err := a.share.DrawQR(code)
		if err != nil {
			return err
		}
		h.Set(echo.HeaderContentType, code.ContentType)
		h.Set(echo.HeaderContentLength, strconv.Itoa(len(body)))
		c.Response().WriteHeader(http.StatusOK)
		if c.Request().Method == http.MethodHead {
			return nil
		}
		_, err = c.Response().Write(body)
		return err
	}
}
