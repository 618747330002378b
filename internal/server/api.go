package server

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/sharecard/sharecard/internal/campaign"
	"github.com/sharecard/sharecard/internal/invite"
	"github.com/sharecard/sharecard/internal/stats"
)

// MaxBatchRows bounds one batch request.
const MaxBatchRows = 10000

// Result is one minted invitation as the API and `sharecard invite` report
// it. A row that failed has only Line, Name and Error.
type Result struct {
	Line         int               `json:"line,omitempty"`
	Name         string            `json:"name,omitempty"`
	Token        string            `json:"token,omitempty"`
	URL          string            `json:"url,omitempty"`
	Images       map[string]string `json:"images,omitempty"`
	InvitationID string            `json:"invitation_id,omitempty"`
	Error        string            `json:"error,omitempty"`
}

// Result describes a minted token: its page, its images and its stats id.
func (l Links) Result(camp *campaign.Campaign, inv invite.Invitation, token string) Result {
	r := Result{Name: inv.Name, Token: token, URL: l.Page(token), Images: map[string]string{}, InvitationID: stats.InvitationID(token)}
	for _, ref := range Published(inv) {
		if tpl, ok := camp.Variant(ref.Variant); ok {
			r.Images[ref.Variant] = l.Image(token, ref.Variant, ref.Format, tpl.Version)
		}
	}
	return r
}

// CSVHeader is the header of batch CSV output; CSVRecord gives a row.
var CSVHeader = []string{"line", "name", "url", "token", "og_image", "invitation_id", "error"}

// CSVRecord is r as a CSV row under CSVHeader.
func (r Result) CSVRecord() []string {
	line := ""
	if r.Line > 0 {
		line = strconv.Itoa(r.Line)
	}
	return []string{line, csvSafe(r.Name), r.URL, r.Token, r.Images["og"], r.InvitationID, r.Error}
}

// csvSafe defuses spreadsheet formulas in names echoed back into CSV
// (only validated names reach here, but the error rows echo raw input).
func csvSafe(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

type createRequest struct {
	Campaign string   `json:"campaign"`
	Name     string   `json:"name"`
	Title    string   `json:"title"`
	Org      string   `json:"org"`
	Variants []string `json:"variants"`
}

// decodeJSON reads exactly one JSON value into v, with errors saying where.
func decodeJSON(r io.Reader, v any) error {
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var se *json.SyntaxError
		var te *json.UnmarshalTypeError
		var he *echo.HTTPError
		switch {
		case errors.As(err, &he):
			return err
		case errors.As(err, &se):
			return &invite.SyntaxError{Msg: fmt.Sprintf("malformed JSON at byte %d: %v", se.Offset, err)}
		case errors.As(err, &te):
			return &invite.SyntaxError{Msg: fmt.Sprintf("malformed JSON at byte %d: field %q must be a %s", te.Offset, te.Field, te.Type)}
		case errors.Is(err, io.EOF):
			return &invite.SyntaxError{Msg: "empty body: expected a JSON object"}
		case errors.Is(err, io.ErrUnexpectedEOF):
			return &invite.SyntaxError{Msg: "malformed JSON: unexpected end of body"}
		}
		return &invite.SyntaxError{Msg: "malformed JSON: " + err.Error()}
	}
	if dec.More() {
		return &invite.SyntaxError{Msg: fmt.Sprintf("unexpected data after the JSON value at byte %d", dec.InputOffset())}
	}
	return nil
}

// createInvitation serves POST /api/v1/invitations.
func (a *app) createInvitation() echo.HandlerFunc {
	return func(c echo.Context) error {
		var req createRequest
		if err := decodeJSON(c.Request().Body, &req); err != nil {
			return err
		}
		camp, err := a.requestCampaign(req.Campaign)
		if err != nil {
			return err
		}
		token, inv, err := a.mint(camp, invite.Invitation{Campaign: camp.ID, Variants: req.Variants, Name: req.Name, Title: req.Title, Org: req.Org})
		if err != nil {
			return err
		}
		res := a.links.Result(camp, inv, token)
		c.Response().Header().Set(echo.HeaderLocation, res.URL)
		return c.JSON(http.StatusCreated, res)
	}
}

func (a *app) requestCampaign(id string) (*campaign.Campaign, error) {
	if id == "" {
		return nil, &invite.FieldError{Field: "campaign", Reason: "is required (known: " + strings.Join(a.campaigns.IDs(), ", ") + ")"}
	}
	camp, ok := a.campaigns.Lookup(id)
	if !ok {
		return nil, &invite.FieldError{Field: "campaign", Reason: fmt.Sprintf("unknown campaign %q (known: %s)", id, strings.Join(a.campaigns.IDs(), ", "))}
	}
	return camp, nil
}

// ReadBatch reads a batch body: CSV when contentType is text/csv, a JSON
// array when it is application/json.
func ReadBatch(body io.Reader, contentType string) ([]invite.Row, error) {
	mt, _, _ := mime.ParseMediaType(contentType)
	switch mt {
	case "text/csv", "application/csv":
		return invite.ReadCSV(body, MaxBatchRows)
	case "application/json", "":
		return invite.ReadJSON(body, MaxBatchRows)
	}
	return nil, echo.NewHTTPError(http.StatusUnsupportedMediaType, "send text/csv (header name,title,org) or application/json (an array)")
}

// MintRow mints one batch row; a bad row gets its own error.
func MintRow(s *invite.Signer, links Links, camp *campaign.Campaign, row invite.Row) Result {
	token, inv, err := Mint(s, camp, invite.Invitation{Campaign: camp.ID, Name: row.Name, Title: row.Title, Org: row.Org})
	if err != nil {
		return Result{Line: row.Line, Name: row.Name, Error: err.Error()}
	}
	r := links.Result(camp, inv, token)
	r.Line = row.Line
	return r
}

// batch serves POST /api/v1/invitations/batch?campaign=ID: up to 10,000
// rows in, one result per row out, streamed as NDJSON (default) or CSV
// (Accept: text/csv or ?format=csv). The whole body is read first, so a
// malformed body is a 400 before anything is streamed.
func (a *app) batch() echo.HandlerFunc {
	return func(c echo.Context) error {
		camp, err := a.requestCampaign(c.QueryParam("campaign"))
		if err != nil {
			return err
		}
		rows, err := ReadBatch(c.Request().Body, c.Request().Header.Get(echo.HeaderContentType))
		if err != nil {
			return err
		}
		asCSV := c.QueryParam("format") == "csv" || strings.Contains(c.Request().Header.Get(echo.HeaderAccept), "text/csv")
		res := c.Response()
		extendWriteDeadline(c)
		var write func(Result) error
		if asCSV {
			res.Header().Set(echo.HeaderContentType, "text/csv; charset=utf-8")
			res.WriteHeader(http.StatusOK)
			w := csv.NewWriter(res)
			if err := w.Write(CSVHeader); err != nil {
				return err
			}
			write = func(r Result) error { return w.Write(r.CSVRecord()) }
			defer w.Flush()
		} else {
			res.Header().Set(echo.HeaderContentType, "application/x-ndjson")
			res.WriteHeader(http.StatusOK)
			enc := json.NewEncoder(res)
			write = func(r Result) error { return enc.Encode(r) }
		}
		now := time.Now()
		for i, row := range rows {
			r := MintRow(a.signer, a.links, camp, row)
			if r.Error == "" {
				a.stats.Record(stats.Event{Kind: stats.Minted, Campaign: camp.ID, Token: r.Token, At: now})
			}
			if err := write(r); err != nil {
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
		inv, err := a.signer.Decode(c.Param("token"))
		if err != nil {
			return err
		}
		if err := a.revoked.Revoke(c.Request().Context(), inv.Fingerprint()); err != nil {
			return fmt.Errorf("revoke invitation: %w", err)
		}
		a.log.Info("invitation revoked", "campaign", inv.Campaign, "invitation_id", stats.InvitationID(c.Param("token")))
		return c.NoContent(http.StatusNoContent)
	}
}

type prerenderRequest struct {
	Tokens []string `json:"tokens"`
}

type prerenderProgress struct {
	Token    string `json:"token,omitempty"`
	Images   int    `json:"images"`
	Rendered int    `json:"rendered"`
	Done     int    `json:"done"`
	Total    int    `json:"total"`
	Error    string `json:"error,omitempty"`
}

// prerender serves POST /api/v1/prerender: {"tokens": [...]} → every
// published image of each token in the cache, one NDJSON progress line per
// token and a final summary.
func (a *app) prerender() echo.HandlerFunc {
	return func(c echo.Context) error {
		var req prerenderRequest
		if err := decodeJSON(c.Request().Body, &req); err != nil {
			return err
		}
		if len(req.Tokens) > MaxBatchRows {
			return invite.ErrTooManyRows
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
			inv, err := a.signer.Decode(tok)
			camp, ok := a.campaigns.Lookup(inv.Campaign)
			switch {
			case err != nil:
				p.Error = "invalid token"
			case !ok:
				p.Error = "unknown campaign " + inv.Campaign
			default:
				for _, ref := range Published(inv) {
					_, rendered, err := a.renderer.Image(ctx, camp, inv, ref, true)
					if err != nil {
						p.Error = err.Error()
						break
					}
					p.Images++
					if rendered {
						p.Rendered++
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
