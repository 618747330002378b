package server

import (
	"cmp"
	"encoding/csv"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/sharecard/sharecard/internal/invite"
	"github.com/sharecard/sharecard/internal/share"
	"github.com/sharecard/sharecard/internal/stats"
	"github.com/sharecard/sharecard/internal/strictjson"
)

type createRequest struct {
	Campaign string   `json:"campaign"`
	Name     string   `json:"name"`
	Title    string   `json:"title"`
	Org      string   `json:"org"`
	Variants []string `json:"variants"`
	// Lang is the language of the link's page and cards; empty: the
	// campaign's default.
	Lang string `json:"lang"`
}

// decodeJSON reads a JSON request body into v: exactly one value of v's
// shape, no duplicate or unknown keys (see package strictjson). The body
// must be declared as JSON.
func decodeJSON(c echo.Context, v any) error {
	if mt, _, _ := mime.ParseMediaType(c.Request().Header.Get(echo.HeaderContentType)); mt != echo.MIMEApplicationJSON {
		return echo.NewHTTPError(http.StatusUnsupportedMediaType, "send the body as JSON, with Content-Type: application/json")
	}
	return strictjson.ReadAll(c.Request().Body, v)
}

// createInvitation serves POST /api/v1/invitations.
func (a *app) createInvitation() echo.HandlerFunc {
	return func(c echo.Context) error {
		var req createRequest
		if err := decodeJSON(c, &req); err != nil {
			return err
		}
		camp, err := a.share.Campaign(req.Campaign)
		if err != nil {
			return err
		}
		if camp, err = share.InLanguage(camp, req.Lang); err != nil {
			return err
		}
		token, inv, err := a.share.Mint(camp, invite.Invitation{Variants: req.Variants, Name: req.Name, Title: req.Title, Org: req.Org})
		if err != nil {
			return err
		}
		res := a.share.Result(camp, inv, token)
		c.Response().Header().Set(echo.HeaderLocation, res.URL)
		return c.JSON(http.StatusCreated, res)
	}
}

// readBatch reads a batch body: CSV when contentType is text/csv, a JSON
// array when it is application/json.
func readBatch(body io.Reader, contentType string) ([]invite.Row, error) {
	mt, _, _ := mime.ParseMediaType(contentType)
	switch mt {
	case "text/csv", "application/csv":
		return invite.ReadCSV(body, share.MaxBatchRows)
	case "application/json", "":
		return invite.ReadJSON(body, share.MaxBatchRows)
	}
	return nil, echo.NewHTTPError(http.StatusUnsupportedMediaType, "send text/csv (header name,title,org) or application/json (an array)")
}

// batch serves POST /api/v1/invitations/batch?campaign=ID: up to 10,000
// rows in, one result per row out, streamed as NDJSON (default) or CSV
// (Accept: text/csv or ?format=csv). The whole body is read first, so a
// malformed body is a 400 before anything is streamed.
func (a *app) batch() echo.HandlerFunc {
	return func(c echo.Context) error {
		camp, err := a.share.Campaign(c.QueryParam("campaign"))
		if err != nil {
			return err
		}
		// ?lang= is the batch's language; a row's own lang column wins.
		if _, err := share.InLanguage(camp, c.QueryParam("lang")); err != nil {
			return err
		}
		rows, err := readBatch(c.Request().Body, c.Request().Header.Get(echo.HeaderContentType))
		if err != nil {
			return err
		}
		asCSV := c.QueryParam("format") == "csv" || strings.Contains(c.Request().Header.Get(echo.HeaderAccept), "text/csv")
		res := c.Response()
		extendWriteDeadline(c)
		var write func(share.Result) error
		if asCSV {
			res.Header().Set(echo.HeaderContentType, "text/csv; charset=utf-8")
			res.WriteHeader(http.StatusOK)
			w := csv.NewWriter(res)
			if err := w.Write(share.CSVHeader); err != nil {
				return err
			}
			write = func(r share.Result) error { return w.Write(r.CSVRecord()) }
			defer w.Flush()
		} else {
			res.Header().Set(echo.HeaderContentType, "application/x-ndjson")
			res.WriteHeader(http.StatusOK)
			enc := json.NewEncoder(res)
			write = func(r share.Result) error { return enc.Encode(r) }
		}
		for i, row := range rows {
			row.Lang = cmp.Or(row.Lang, c.QueryParam("lang"))
			if err := write(a.share.MintRow(camp, row)); err != nil {
				return err
			}
			if i%500 == 499 {
				res.Flush()
			}
		}
		return nil
	}
}

// revokeInvitation serves DELETE /api/v1/invitations/:token.
func (a *app) revokeInvitation() echo.HandlerFunc {
	return func(c echo.Context) error {
		inv, err := a.share.Revoke(c.Request().Context(), c.Param("token"))
		if err != nil {
			return err
		}
		a.log.Info("invitation revoked", "campaign", inv.Campaign, "invitation_id", stats.InvitationID(c.Param("token")))
		return c.NoContent(http.StatusNoContent)
	}
}

type prerenderRequest struct {
	Tokens   []string `json:"tokens"`
	Variants []string `json:"variants"` // none: the link preview only
	// Languages are the cards' languages; none: each campaign's default.
	Languages []string `json:"languages"`
}

type prerenderProgress struct {
	Token    string `json:"token,omitempty"`
	Images   int    `json:"images"`
	Rendered int    `json:"rendered"`
	Done     int    `json:"done"`
	Total    int    `json:"total"`
	Error    string `json:"error,omitempty"`
}

// prerender serves POST /api/v1/prerender: {"tokens": [...], "variants":
// [...]} → those images of each token in the cache (the link preview when
// no variants are named), one NDJSON progress line per token and a final
// summary.
func (a *app) prerender() echo.HandlerFunc {
	return func(c echo.Context) error {
		var req prerenderRequest
		if err := decodeJSON(c, &req); err != nil {
			return err
		}
		if len(req.Tokens) > share.MaxBatchRows {
			return invite.ErrTooManyRows
		}
		if err := share.CheckVariants(req.Variants); err != nil {
			return &invite.FieldError{Field: "variants", Reason: err.Error()}
		}
		extendWriteDeadline(c)
		res := c.Response()
		res.Header().Set(echo.HeaderContentType, "application/x-ndjson")
		res.WriteHeader(http.StatusOK)
		enc := json.NewEncoder(res)
		ctx := c.Request().Context()
		total := len(req.Tokens)
		sum := prerenderProgress{Total: total}
		for i, tok := range req.Tokens {
			p := prerenderProgress{Token: tok, Done: i + 1, Total: total}
			inv, err := a.share.Resolve(tok)
			switch {
			case errors.Is(err, invite.ErrInvalidToken):
				p.Error = "invalid token"
			case err != nil:
				p.Error = err.Error()
			default:
				langs := req.Languages
				if len(langs) == 0 {
					langs = []string{inv.Camp.Language}
				}
			tokenLoop:
				for _, l := range langs {
					camp, err := share.InLanguage(inv.Camp, l)
					if err != nil {
						p.Error = err.Error()
						break
					}
					in := inv
					in.Camp = camp
					for _, ref := range share.PrerenderRefs(in, req.Variants) {
						rendered, err := a.share.Prerender(ctx, in, ref)
						if err != nil {
							p.Error = err.Error()
							break tokenLoop
						}
						p.Images++
						if rendered {
							p.Rendered++
						}
					}
				}
			}
			if ctx.Err() != nil {
				return nil // the client left; the renders done so far stay cached
			}
			sum.Images += p.Images
			sum.Rendered += p.Rendered
			if p.Error != "" {
				sum.Error = "some tokens failed"
			}
			if err := enc.Encode(p); err != nil {
				return err
			}
			res.Flush()
		}
		sum.Done = total
		return enc.Encode(sum)
	}
}

// extendWriteDeadline lifts the server's write timeout for a long stream.
func extendWriteDeadline(c echo.Context) {
	_ = http.NewResponseController(c.Response().Writer).SetWriteDeadline(time.Now().Add(30 * time.Minute))
}
