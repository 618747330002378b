package server

import (
	_ "embed"

	"github.com/labstack/echo/v4"
)

// openAPIDocument is the OpenAPI 3.0 description of every JSON endpoint,
// with the invitation's pages and images in brief. It is kept by hand;
// openapi_test.go sends real requests through the service and validates
// each request and answer against it, so it cannot drift from the code.
//
//go:embed openapi.json
var openAPIDocument []byte

// openAPI serves GET/HEAD /api/v1/openapi.json: public, with a strong ETag
// and briefly cacheable (the URL carries no version).
func (a *app) openAPI() echo.HandlerFunc {
	doc := newAsset(openAPIDocument, echo.MIMEApplicationJSON)
	return func(c echo.Context) error { return serveAsset(c, doc) }
}
