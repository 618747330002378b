package server

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"
	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
	"github.com/labstack/echo/v4"
	"github.com/redis/go-redis/v9"

	"github.com/sharecard/sharecard/internal/cache"
	"github.com/sharecard/sharecard/internal/campaign"
	"github.com/sharecard/sharecard/internal/card"
	"github.com/sharecard/sharecard/internal/config"
	"github.com/sharecard/sharecard/internal/dashboard"
	"github.com/sharecard/sharecard/internal/invite"
	"github.com/sharecard/sharecard/internal/report"
	"github.com/sharecard/sharecard/internal/share"
	"github.com/sharecard/sharecard/internal/stats"
	"github.com/sharecard/sharecard/internal/teststats"
	"github.com/sharecard/sharecard/internal/variant"
)

// contract validates requests and answers against openapi.json with
// kin-openapi's openapi3filter.
type contract struct {
	doc    *openapi3.T
	router routers.Router
	opts   *openapi3filter.Options
}

// newContract loads openapi.json and checks the document itself.
func newContract(t testing.TB) *contract {
	t.Helper()
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(openAPIDocument)
	if err != nil {
		t.Fatalf("load openapi.json: %v", err)
	}
	if err := doc.Validate(loader.Context); err != nil {
		t.Fatalf("openapi.json is not a valid OpenAPI document: %v", err)
	}
	router, err := gorillamux.NewRouter(doc)
	if err != nil {
		t.Fatalf("route openapi.json: %v", err)
	}
	// NDJSON is a line-delimited media type: the document gives the schema
	// of one line, and every line is checked against it.
	openapi3filter.RegisterBodyDecoder("application/x-ndjson", ndjsonDecoder)
	// An SVG is text; the validator has no decoder of its own for it.
	openapi3filter.RegisterBodyDecoder("image/svg+xml", svgDecoder)
	openapi3filter.RegisterBodyDecoder("text/calendar", calendarDecoder)
	// CSV comes with commas or, for Excel with Danish settings, semicolons
	// (the validator's own decoder knows commas only); either must parse.
	openapi3filter.RegisterBodyDecoder("text/csv", csvDecoder)
	// A campaign file is text to the document: the service validates it
	// (and a broken one must reach it, to be answered 422 with its lines).
	openapi3filter.RegisterBodyDecoder("application/yaml", openapi3filter.PlainBodyDecoder)
	return &contract{doc: doc, router: router, opts: &openapi3filter.Options{
		IncludeResponseStatus: true, // an undocumented status fails
		AuthenticationFunc:    bearerPresent,
	}}
}

// bearerPresent accepts a request that carries a bearer token at all, as
// the document requires; whether it is the right one is the service's
// answer (401), which is documented too.
func bearerPresent(_ context.Context, in *openapi3filter.AuthenticationInput) error {
	if s := in.SecurityScheme; s == nil || s.Type != "http" || s.Scheme != "bearer" {
		return fmt.Errorf("unexpected security scheme %q", in.SecuritySchemeName)
	}
	tok, ok := strings.CutPrefix(in.RequestValidationInput.Request.Header.Get("Authorization"), "Bearer ")
	if !ok || strings.TrimSpace(tok) == "" {
		return errors.New("no Authorization: Bearer header")
	}
	return nil
}

// ndjsonDecoder checks each line of an NDJSON body against schema (the
// schema of one line) and hands the last line on for the usual check.
func ndjsonDecoder(body io.Reader, h http.Header, schema *openapi3.SchemaRef, enc openapi3filter.EncodingFn) (any, error) {
	sc := bufio.NewScanner(body)
	sc.Buffer(nil, 1<<20)
	var last any
	n := 0
	for sc.Scan() {
		n++
		v, err := openapi3filter.JSONBodyDecoder(bytes.NewReader(sc.Bytes()), h, schema, enc)
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", n, err)
		}
		if err := schema.Value.VisitJSON(v, openapi3.VisitAsResponse()); err != nil {
			return nil, fmt.Errorf("line %d: %w", n, err)
		}
		last = v
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if n == 0 {
		return nil, errors.New("an NDJSON body without a line")
	}
	return last, nil
}

// svgDecoder hands an SVG body on as a string, once it is well-formed
// XML.
func svgDecoder(body io.Reader, h http.Header, schema *openapi3.SchemaRef, enc openapi3filter.EncodingFn) (any, error) {
	b, err := io.ReadAll(body)
	if err != nil {
		return nil, err
	}
	if err := xml.Unmarshal(b, new(struct{})); err != nil {
		return nil, fmt.Errorf("an SVG that is not XML: %w", err)
	}
	return string(b), nil
}

// calendarDecoder hands an iCalendar body on as a string, once
// golang-ical parses it.
func calendarDecoder(body io.Reader, h http.Header, schema *openapi3.SchemaRef, enc openapi3filter.EncodingFn) (any, error) {
	b, err := io.ReadAll(body)
	if err != nil {
		return nil, err
	}
	if _, err := ics.ParseCalendar(bytes.NewReader(b)); err != nil {
		return nil, fmt.Errorf("not an iCalendar file: %w", err)
	}
	return string(b), nil
}

// csvDecoder checks a CSV body with encoding/csv, its separator read off
// the header line (after a byte-order mark, which the export writes).
func csvDecoder(body io.Reader, h http.Header, schema *openapi3.SchemaRef, enc openapi3filter.EncodingFn) (any, error) {
	b, err := io.ReadAll(body)
	if err != nil {
		return nil, err
	}
	text := strings.TrimPrefix(string(b), "\ufeff")
	r := csv.NewReader(strings.NewReader(text))
	if first, _, _ := strings.Cut(text, "\n"); strings.Count(first, ";") > strings.Count(first, ",") {
		r.Comma = ';'
	}
	if _, err := r.ReadAll(); err != nil {
		return nil, fmt.Errorf("not CSV: %w", err)
	}
	return string(b), nil
}

// httpRequest is r as f.do sends it, for the validator.
func httpRequest(r req) *http.Request {
	hr := httptest.NewRequest(r.method, r.path, strings.NewReader(r.body))
	hr.Header.Set("User-Agent", "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Safari/604.1")
	for k, v := range r.header {
		hr.Header.Set(k, v)
	}
	return hr
}

// problems lists where the exchange of r for (status, header, body)
// departs from the document. refused says the document itself does not
// allow r (a missing token, a malformed body): the validator must refuse
// the request then, and accept it otherwise. The answer must match the
// document either way.
func (c *contract) problems(r req, status int, header http.Header, body []byte, refused bool) []error {
	hr := httpRequest(r)
	route, params, err := c.router.FindRoute(hr)
	if err != nil {
		return []error{fmt.Errorf("%s %s is not in the document: %w", r.method, hr.URL.Path, err)}
	}
	var errs []error
	// ValidateResponse skips HEAD and 304; their status must still be one
	// the operation lists.
	if route.Operation.Responses.Status(status) == nil {
		errs = append(errs, fmt.Errorf("status %d is not documented for %s %s", status, r.method, route.Path))
	}
	in := &openapi3filter.RequestValidationInput{Request: hr, PathParams: params, Route: route, Options: c.opts}
	switch err := openapi3filter.ValidateRequest(context.Background(), in); {
	case refused && err == nil:
		errs = append(errs, errors.New("the document allows a request the service refuses as malformed"))
	case !refused && err != nil:
		errs = append(errs, fmt.Errorf("request: %w", err))
	}
	out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: status, Header: header, Options: c.opts}
	out.SetBodyBytes(body)
	if err := openapi3filter.ValidateResponse(context.Background(), out); err != nil {
		errs = append(errs, fmt.Errorf("response: %w", err))
	}
	return errs
}

// exchange is one request through the service and the answer it must get.
type exchange struct {
	name string
	r    req
	code int
	// refused: the document does not allow the request either.
	refused bool
	// f, when set, is the service to ask instead of the shared one.
	f *fixture
}

// run sends x through f (or x.f) and checks the answer's status and its
// agreement with the document.
func (c *contract) run(t *testing.T, f *fixture, x exchange) {
	t.Helper()
	if x.f != nil {
		f = x.f
	}
	w := f.do(x.r)
	if w.Code != x.code {
		t.Errorf("status %d, want %d; body: %.300s", w.Code, x.code, w.Body.String())
	}
	for _, err := range c.problems(x.r, w.Code, w.Header(), w.Body.Bytes(), x.refused) {
		t.Error(err)
	}
}

// TestOpenAPIContract sends a success and the error cases of every
// documented operation through the service and checks each request and
// answer against openapi.json.
func TestOpenAPIContract(t *testing.T) {
	api := newContract(t)
	f := newDashboardFixture(t)

	// A link minted through the API, for its image version.
	w := f.do(req{method: "POST", path: "/api/v1/invitations", header: admin(),
		body: `{"campaign":"ligestilling","name":"Åse Holm","title":"Bestyrelsesformand","org":"Mærsk"}`})
	wantStatus(t, w, http.StatusCreated)
	var minted share.Result
	if err := json.Unmarshal(w.Body.Bytes(), &minted); err != nil {
		t.Fatal(err)
	}
	og, err := url.Parse(minted.Images["og"])
	if err != nil {
		t.Fatal(err)
	}
	ase, lars, gone := minted.Token, f.token(invitation("Lars Hansen")), f.token(invitation("Tove Ditlevsen"))
	doc := f.do(req{method: "GET", path: "/api/v1/openapi.json"})
	wantStatus(t, doc, http.StatusOK)

	bearer := map[string]string{"Authorization": "Bearer " + testAdmin}
	noToken := map[string]string{"Content-Type": "application/json"}
	wrongToken := map[string]string{"Authorization": "Bearer wrong-token", "Content-Type": "application/json"}
	csv := admin("Content-Type", "text/csv")
	form := map[string]string{"Content-Type": "application/x-www-form-urlencoded"}
	text := map[string]string{"Content-Type": "text/plain;charset=UTF-8"}
	crossSite := map[string]string{"Content-Type": "application/x-www-form-urlencoded", "Sec-Fetch-Site": "cross-site"}
	tooManyRows := "name\n" + strings.Repeat("Lars\n", share.MaxBatchRows+1)
	tooManyTokens := `{"tokens":[` + strings.Repeat(`"x",`, share.MaxBatchRows) + `"x"]}`
	now := time.Now().UTC()
	// Self-service is rate-limited per address: one service where the
	// limit is out of the way, and one where it is spent.
	selfService := newFixture(t, func(c *config.Config) { c.SelfServiceRate = 1000 })
	spent := newFixture(t, func(c *config.Config) { c.SelfServiceRate = 1 })
	spent.do(req{method: "POST", path: "/c/ligestilling", header: form, body: "name=Lars"})
	// A service whose image renders run out of time at once.
	slow := newFixture(t, func(c *config.Config) { c.RequestTimeout = time.Nanosecond })
	// Services for reports: one that takes them, one whose limit for
	// this address is spent, one whose list is full.
	reports, reportsSpent, reportsFull := newTakedownFixture(t, report.NewMemory()), newTakedownFixture(t, report.NewMemory()), newTakedownFixture(t, fullStore{report.NewMemory()})
	for range reportsPerMinute {
		reportsSpent.do(req{method: "POST", path: "/i/" + lars + "/report", header: form, body: "reason=other"})
	}
	// A service that has seen ten wrong admin tokens from this address.
	throttled := newFixture(t)
	for range 10 {
		throttled.do(req{method: "DELETE", path: "/api/v1/invitations/x", header: map[string]string{"Authorization": "Bearer guess"}})
	}

	for _, x := range []exchange{
		// Minting one.
		{name: "a mint is 201 with the invitation", r: req{method: "POST", path: "/api/v1/invitations", header: admin(),
			body: `{"campaign":"ligestilling","name":"Lars Hansen","title":"Adm. direktør","org":"Novo Nordisk"}`}, code: 201},
		{name: "a mint of two sizes is 201 with two images", r: req{method: "POST", path: "/api/v1/invitations", header: admin(),
			body: `{"campaign":"ligestilling","name":"Lars Hansen","variants":["og","square"]}`}, code: 201},
		{name: "a mint in English is 201 with a link in English", r: req{method: "POST", path: "/api/v1/invitations", header: admin(),
			body: `{"campaign":"ligestilling","name":"Lars Hansen","lang":"en"}`}, code: 201},
		{name: "a mint in a language the campaign lacks is 422", r: req{method: "POST", path: "/api/v1/invitations", header: admin(),
			body: `{"campaign":"ligestilling","name":"Lars Hansen","lang":"fr"}`}, code: 422},
		{name: "a mint without a token is 401", r: req{method: "POST", path: "/api/v1/invitations", header: noToken,
			body: `{"campaign":"ligestilling","name":"Lars"}`}, code: 401, refused: true},
		{name: "a mint with a wrong token is 401", r: req{method: "POST", path: "/api/v1/invitations", header: wrongToken,
			body: `{"campaign":"ligestilling","name":"Lars"}`}, code: 401},
		{name: "a mint of malformed JSON is 400", r: req{method: "POST", path: "/api/v1/invitations", header: admin(),
			body: `{"campaign":"ligestilling","name":}`}, code: 400, refused: true},
		{name: "a mint with an unknown field is 400", r: req{method: "POST", path: "/api/v1/invitations", header: admin(),
			body: `{"campaign":"ligestilling","name":"Lars","navn":"Lars"}`}, code: 400, refused: true},
		{name: "a mint without a campaign is 422", r: req{method: "POST", path: "/api/v1/invitations", header: admin(),
			body: `{"name":"Lars"}`}, code: 422, refused: true},
		{name: "a mint of a name with markup is 422", r: req{method: "POST", path: "/api/v1/invitations", header: admin(),
			body: `{"campaign":"ligestilling","name":"<script>alert(1)</script>"}`}, code: 422},
		{name: "a mint for an unknown campaign is 422", r: req{method: "POST", path: "/api/v1/invitations", header: admin(),
			body: `{"campaign":"nope","name":"Lars"}`}, code: 422},
		{name: "a mint of an unknown variant is 422", r: req{method: "POST", path: "/api/v1/invitations", header: admin(),
			body: `{"campaign":"ligestilling","name":"Lars","variants":["banner"]}`}, code: 422, refused: true},
		{name: "a mint with a duplicate key is 400", r: req{method: "POST", path: "/api/v1/invitations", header: admin(),
			body: `{"campaign":"ligestilling","name":"Lars","name":"Anne"}`}, code: 400},
		{name: "a mint of an array is 400", r: req{method: "POST", path: "/api/v1/invitations", header: admin(),
			body: `[{"campaign":"ligestilling","name":"Lars"}]`}, code: 400, refused: true},
		{name: "a mint that is not JSON is 415", r: req{method: "POST", path: "/api/v1/invitations", header: admin("Content-Type", "text/plain"),
			body: `{"campaign":"ligestilling","name":"Lars"}`}, code: 415, refused: true},
		{name: "a mint after ten wrong tokens is 429", f: throttled, r: req{method: "POST", path: "/api/v1/invitations", header: wrongToken,
			body: `{"campaign":"ligestilling","name":"Lars"}`}, code: 429},
		{name: "a mint with the right token after ten wrong ones is 201", f: throttled, r: req{method: "POST", path: "/api/v1/invitations", header: admin(),
			body: `{"campaign":"ligestilling","name":"Lars"}`}, code: 201},
		{name: "a mint over 1 MiB is 413", r: req{method: "POST", path: "/api/v1/invitations", header: admin(),
			body: `{"campaign":"ligestilling","name":"` + strings.Repeat("a", 1<<20) + `"}`}, code: 413},

		// Minting many.
		{name: "a CSV batch is 200 with NDJSON, a bad row with its own error", r: req{method: "POST", path: "/api/v1/invitations/batch?campaign=ligestilling",
			header: csv, body: "name,title,org\nLars Hansen,Adm. direktør,Mærsk\n<script>x</script>,,\n,,\n"}, code: 200},
		{name: "a JSON batch with languages is 200, a language the campaign lacks refusing its row", r: req{method: "POST", path: "/api/v1/invitations/batch?campaign=ligestilling&lang=en",
			header: admin(), body: `[{"name":"Lars"},{"name":"Åse Holm","lang":"da"},{"name":"Piet Hein","lang":"nl"}]`}, code: 200},
		{name: "a batch in a language the campaign lacks is 422", r: req{method: "POST", path: "/api/v1/invitations/batch?campaign=ligestilling&lang=fr",
			header: csv, body: "name\nLars\n"}, code: 422},
		{name: "a JSON batch with format=csv is 200 with CSV", r: req{method: "POST", path: "/api/v1/invitations/batch?campaign=ligestilling&format=csv",
			header: admin(), body: `[{"name":"Lars"},{"name":"Åse Holm","title":"Formand","org":"Mærsk"}]`}, code: 200},
		{name: "a batch with Accept: text/csv is 200 with CSV", r: req{method: "POST", path: "/api/v1/invitations/batch?campaign=ligestilling",
			header: admin("Content-Type", "text/csv", "Accept", "text/csv"), body: "name\nLars\n"}, code: 200},
		{name: "a batch without a token is 401", r: req{method: "POST", path: "/api/v1/invitations/batch?campaign=ligestilling",
			header: map[string]string{"Content-Type": "text/csv"}, body: "name\nLars\n"}, code: 401, refused: true},
		{name: "a batch of malformed CSV is 400", r: req{method: "POST", path: "/api/v1/invitations/batch?campaign=ligestilling",
			header: csv, body: "name,title\nLars,\"CEO\nx\"y\n"}, code: 400, refused: true},
		{name: "a batch of malformed JSON is 400", r: req{method: "POST", path: "/api/v1/invitations/batch?campaign=ligestilling",
			header: admin(), body: `[{"name":"x"`}, code: 400, refused: true},
		{name: "a batch of more than 10,000 rows is 413", r: req{method: "POST", path: "/api/v1/invitations/batch?campaign=ligestilling",
			header: csv, body: tooManyRows}, code: 413},
		{name: "a batch of XML is 415", r: req{method: "POST", path: "/api/v1/invitations/batch?campaign=ligestilling",
			header: admin("Content-Type", "application/xml"), body: `<x/>`}, code: 415, refused: true},
		{name: "a batch without a campaign is 422", r: req{method: "POST", path: "/api/v1/invitations/batch",
			header: csv, body: "name\nLars\n"}, code: 422, refused: true},
		{name: "a batch for an unknown campaign is 422", r: req{method: "POST", path: "/api/v1/invitations/batch?campaign=nope",
			header: csv, body: "name\nLars\n"}, code: 422},

		// Prerendering.
		{name: "a prerender is 200 with NDJSON progress, a bad token with its own error", r: req{method: "POST", path: "/api/v1/prerender", header: admin(),
			body: fmt.Sprintf(`{"tokens":[%q,"garbage"]}`, lars)}, code: 200},
		{name: "a prerender of named sizes is 200", r: req{method: "POST", path: "/api/v1/prerender", header: admin(),
			body: fmt.Sprintf(`{"tokens":[%q],"variants":["og","square"]}`, lars)}, code: 200},
		{name: "a prerender without a token is 401", r: req{method: "POST", path: "/api/v1/prerender", header: noToken,
			body: `{"tokens":[]}`}, code: 401, refused: true},
		{name: "a prerender of malformed JSON is 400", r: req{method: "POST", path: "/api/v1/prerender", header: admin(),
			body: `{"tokens":`}, code: 400, refused: true},
		{name: "a prerender that is not JSON is 415", r: req{method: "POST", path: "/api/v1/prerender", header: admin("Content-Type", "text/plain"),
			body: `{"tokens":[]}`}, code: 415, refused: true},
		{name: "a prerender of more than 10,000 tokens is 413", r: req{method: "POST", path: "/api/v1/prerender", header: admin(),
			body: tooManyTokens}, code: 413, refused: true},
		{name: "a prerender of an unknown variant is 422", r: req{method: "POST", path: "/api/v1/prerender", header: admin(),
			body: `{"tokens":[],"variants":["banner"]}`}, code: 422, refused: true},

		// The invitation, as people and crawlers fetch it.
		{name: "the page is 200 HTML", r: req{method: "GET", path: "/i/" + lars}, code: 200},
		{name: "the page's HEAD is 200", r: req{method: "HEAD", path: "/i/" + lars}, code: 200},
		{name: "a tampered token's page is 404", r: req{method: "GET", path: "/i/garbage"}, code: 404},
		{name: "the og image is 200 JPEG, cached an hour without its version", r: req{method: "GET", path: "/i/" + ase + "/og.jpg"}, code: 200},
		{name: "the og image at its current version is 200, immutable", r: req{method: "GET", path: og.RequestURI()}, code: 200},
		{name: "an Instagram size is 200 PNG", r: req{method: "GET", path: "/i/" + ase + "/square.png"}, code: 200},
		{name: "an image's HEAD is 200", r: req{method: "HEAD", path: "/i/" + ase + "/og.jpg"}, code: 200},
		{name: "an image with its ETag is 304", r: req{method: "GET", path: og.RequestURI(),
			header: map[string]string{"If-None-Match": f.do(req{method: "GET", path: og.RequestURI()}).Header().Get("ETag")}}, code: 304},
		{name: "an image that cannot be rendered in time is 503", f: slow, r: req{method: "GET", path: "/i/" + ase + "/og.jpg"}, code: 503},
		{name: "an image's HEAD that cannot be rendered in time is 503", f: slow, r: req{method: "HEAD", path: "/i/" + ase + "/portrait.png"}, code: 503},
		{name: "a download that cannot be rendered in time is 503", f: slow, r: req{method: "GET", path: "/i/" + ase + "/download/story.png"}, code: 503},
		{name: "an unknown variant's image is 404", r: req{method: "GET", path: "/i/" + ase + "/banner.png"}, code: 404},
		{name: "a download is 200 with Content-Disposition", r: req{method: "GET", path: "/i/" + ase + "/download/story.png"}, code: 200},
		{name: "a download's HEAD is 200", r: req{method: "HEAD", path: "/i/" + ase + "/download/story.png"}, code: 200},
		{name: "a tampered token's download is 404", r: req{method: "GET", path: "/i/garbage/download/story.png"}, code: 404},
		{name: "share is 303 to LinkedIn", r: req{method: "GET", path: "/i/" + lars + "/share"}, code: 303},
		{name: "share's HEAD is 303", r: req{method: "HEAD", path: "/i/" + lars + "/share"}, code: 303},
		{name: "a tampered token's share is 404", r: req{method: "GET", path: "/i/garbage/share"}, code: 404},
		{name: "the calendar file is 200", r: req{method: "GET", path: share.CalendarPath(lars)}, code: 200},
		{name: "the calendar file's HEAD is 200", r: req{method: "HEAD", path: share.CalendarPath(lars)}, code: 200},
		{name: "a tampered token's calendar file is 404", r: req{method: "GET", path: "/i/garbage/calendar.ics"}, code: 404},
		{name: "the QR code as SVG is 200", r: req{method: "GET", path: share.QRPath(lars, share.QRSVG)}, code: 200},
		{name: "the QR code as PNG without its version is 200", r: req{method: "GET", path: "/i/" + lars + "/qr.png"}, code: 200},
		{name: "the QR code's HEAD is 200", r: req{method: "HEAD", path: share.QRPath(lars, share.QRPNG)}, code: 200},
		{name: "a QR code with its ETag is 304", r: req{method: "GET", path: share.QRPath(lars, share.QRSVG),
			header: map[string]string{"If-None-Match": f.do(req{method: "GET", path: share.QRPath(lars, share.QRSVG)}).Header().Get("ETag")}}, code: 304},
		{name: "a tampered token's QR code is 404", r: req{method: "GET", path: "/i/garbage/qr.svg"}, code: 404},
		{name: "the send page is 200 HTML", r: req{method: "GET", path: "/i/" + ase + "/send"}, code: 200},
		{name: "the send page's HEAD is 200", r: req{method: "HEAD", path: "/i/" + ase + "/send"}, code: 200},
		{name: "a tampered token's send page is 404", r: req{method: "GET", path: "/i/garbage/send"}, code: 404},
		{name: "decline is 303 to the learning site", r: req{method: "POST", path: "/i/" + lars + "/decline"}, code: 303},
		{name: "a decline from another site is 403", r: req{method: "POST", path: "/i/" + lars + "/decline", header: crossSite}, code: 403},
		{name: "a tampered token's decline is 404", r: req{method: "POST", path: "/i/garbage/decline"}, code: 404},
		{name: "a beacon is 204", r: req{method: "POST", path: "/i/" + lars + "/beacon", header: text, body: "12.5"}, code: 204},
		{name: "a beacon that is not a number is 400", r: req{method: "POST", path: "/i/" + lars + "/beacon", header: text, body: "twelve"}, code: 400},
		{name: "a beacon from another site is 403", r: req{method: "POST", path: "/i/" + lars + "/beacon",
			header: map[string]string{"Content-Type": "text/plain", "Sec-Fetch-Site": "cross-site"}, body: "1"}, code: 403},
		{name: "a tampered token's beacon is 404", r: req{method: "POST", path: "/i/garbage/beacon", header: text, body: "1"}, code: 404},
		{name: "a beacon over 1 KiB is 413", r: req{method: "POST", path: "/i/" + lars + "/beacon", header: text, body: strings.Repeat("1", 2000)}, code: 413},

		// The campaign page and self-service.
		{name: "the campaign page is 200 HTML", r: req{method: "GET", path: "/c/ligestilling"}, code: 200},
		{name: "the campaign page's HEAD is 200", r: req{method: "HEAD", path: "/c/ligestilling"}, code: 200},
		{name: "an unknown campaign's page is 404", r: req{method: "GET", path: "/c/nope"}, code: 404},
		{name: "the campaign's card is 200 JPEG", r: req{method: "GET", path: "/c/ligestilling/og.jpg"}, code: 200},
		{name: "the campaign's card's HEAD is 200", r: req{method: "HEAD", path: "/c/ligestilling/og.jpg"}, code: 200},
		{name: "the campaign's card with its ETag is 304", r: req{method: "GET", path: "/c/ligestilling/og.jpg",
			header: map[string]string{"If-None-Match": f.do(req{method: "GET", path: "/c/ligestilling/og.jpg"}).Header().Get("ETag")}}, code: 304},
		{name: "an unknown campaign's card is 404", r: req{method: "GET", path: "/c/nope/og.jpg"}, code: 404},
		{name: "a campaign card that cannot be rendered in time is 503", f: slow, r: req{method: "GET", path: "/c/ligestilling/og.jpg"}, code: 503},
		{name: "a draft of a self-service card is 200 JPEG", r: req{method: "GET", path: "/c/ligestilling/preview.jpg?name=%C3%85se+Holm&org=Novo"}, code: 200},
		{name: "a draft's HEAD is 200", r: req{method: "HEAD", path: "/c/ligestilling/preview.jpg?name=Lars"}, code: 200},
		{name: "a draft without a name is 422", r: req{method: "GET", path: "/c/ligestilling/preview.jpg"}, code: 422},
		{name: "a draft with a blocked word is 422", r: req{method: "GET", path: "/c/ligestilling/preview.jpg?name=f.u.c.k"}, code: 422},
		{name: "a draft for an unknown campaign is 404", r: req{method: "GET", path: "/c/nope/preview.jpg?name=Lars"}, code: 404},
		{name: "a self-service blocked word is 422 with the form", f: selfService, r: req{method: "POST", path: "/c/ligestilling", header: form, body: "name=Lort"}, code: 422},
		{name: "a self-service invitation is 303 to its page", f: selfService, r: req{method: "POST", path: "/c/ligestilling", header: form, body: "name=%C3%85se+Holm"}, code: 303},
		{name: "a self-service name with markup is 422 with the form", f: selfService, r: req{method: "POST", path: "/c/ligestilling", header: form, body: "name=%3Cb%3E"}, code: 422},
		{name: "a self-service form that cannot be read is 400", f: selfService, r: req{method: "POST", path: "/c/ligestilling", header: form, body: "name=%3Cscript%TE"}, code: 400, refused: true},
		{name: "a self-service post from another site is 403", f: selfService, r: req{method: "POST", path: "/c/ligestilling", header: crossSite, body: "name=Lars"}, code: 403},
		{name: "self-service for an unknown campaign is 404", f: selfService, r: req{method: "POST", path: "/c/nope", header: form, body: "name=Lars"}, code: 404},
		{name: "a self-service form over 1 MiB is 413", f: selfService, r: req{method: "POST", path: "/c/ligestilling", header: form,
			body: "name=" + strings.Repeat("a", 1<<20)}, code: 413},
		{name: "self-service past the address's limit is 429", f: spent, r: req{method: "POST", path: "/c/ligestilling", header: form, body: "name=Lars"}, code: 429},

		// Reporting a card, and the privacy page.
		{name: "the report form is 200", r: req{method: "GET", path: "/i/" + lars + "/report"}, code: 200},
		{name: "the report form's HEAD is 200", r: req{method: "HEAD", path: "/i/" + lars + "/report"}, code: 200},
		{name: "a report is 303 to the thank-you page", f: reports, r: req{method: "POST", path: "/i/" + lars + "/report", header: form, body: "reason=offensive&contact=lars%40example.dk"}, code: 303},
		{name: "a report without a reason is 422 with the form", f: reports, r: req{method: "POST", path: "/i/" + lars + "/report", header: form, body: "detail=x"}, code: 422, refused: true},
		{name: "a report from another site is 403", f: reports, r: req{method: "POST", path: "/i/" + lars + "/report", header: crossSite, body: "reason=other"}, code: 403},
		{name: "a report over 16 KiB is 413", f: reports, r: req{method: "POST", path: "/i/" + lars + "/report", header: form, body: "reason=other&detail=" + strings.Repeat("a", 17<<10)}, code: 413, refused: true},
		{name: "a report that cannot be read is 400", f: reports, r: req{method: "POST", path: "/i/" + lars + "/report", header: form, body: "reason=%zz"}, code: 400, refused: true},
		{name: "a report of a tampered link is 404", f: reports, r: req{method: "POST", path: "/i/garbage/report", header: form, body: "reason=other"}, code: 404},
		{name: "a report past the address's limit is 429 with the form", f: reportsSpent, r: req{method: "POST", path: "/i/" + lars + "/report", header: form, body: "reason=other"}, code: 429},
		{name: "a report to a full list is 503 with the form", f: reportsFull, r: req{method: "POST", path: "/i/" + lars + "/report", header: form, body: "reason=other"}, code: 503},
		{name: "the thank-you page is 200", r: req{method: "GET", path: "/i/" + lars + "/report/sent"}, code: 200},
		{name: "the thank-you page's HEAD is 200", r: req{method: "HEAD", path: "/i/" + lars + "/report/sent"}, code: 200},
		{name: "the privacy page is 200", r: req{method: "GET", path: "/c/equality-2061/privacy"}, code: 200},
		{name: "the privacy page's HEAD is 200", r: req{method: "HEAD", path: "/c/ligestilling/privacy"}, code: 200},
		{name: "an unknown campaign's privacy page is 404", r: req{method: "GET", path: "/c/nope/privacy"}, code: 404},
		{name: "the reports are 200 with the list", f: reports, r: req{method: "GET", path: "/api/v1/campaigns/ligestilling/reports", header: bearer}, code: 200},
		{name: "the reports' HEAD is 200", f: reports, r: req{method: "HEAD", path: "/api/v1/campaigns/ligestilling/reports", header: bearer}, code: 200},
		{name: "the reports without a token are 401", r: req{method: "GET", path: "/api/v1/campaigns/ligestilling/reports"}, code: 401, refused: true},
		{name: "an unknown campaign's reports are 404", r: req{method: "GET", path: "/api/v1/campaigns/nope/reports", header: bearer}, code: 404},

		// Revoking, then every URL of the invitation is gone.
		{name: "a revoke without a token is 401", r: req{method: "DELETE", path: "/api/v1/invitations/" + gone}, code: 401, refused: true},
		{name: "a revoke of a tampered token is 404", r: req{method: "DELETE", path: "/api/v1/invitations/garbage", header: bearer}, code: 404},
		{name: "a revoke is 204", r: req{method: "DELETE", path: "/api/v1/invitations/" + gone, header: bearer}, code: 204},
		{name: "a revoked page is 410", r: req{method: "GET", path: "/i/" + gone}, code: 410},
		{name: "a revoked page's HEAD is 410", r: req{method: "HEAD", path: "/i/" + gone}, code: 410},
		{name: "a revoked image is 410", r: req{method: "GET", path: "/i/" + gone + "/og.jpg"}, code: 410},
		{name: "a revoked download is 410", r: req{method: "GET", path: "/i/" + gone + "/download/square.png"}, code: 410},
		{name: "a revoked calendar file is 410", r: req{method: "GET", path: share.CalendarPath(gone)}, code: 410},
		{name: "a revoked QR code is 410", r: req{method: "GET", path: share.QRPath(gone, share.QRPNG)}, code: 410},
		{name: "a revoked share is 410", r: req{method: "GET", path: "/i/" + gone + "/share"}, code: 410},
		{name: "a revoked decline is 410", r: req{method: "POST", path: "/i/" + gone + "/decline"}, code: 410},
		{name: "a revoked beacon is 410", r: req{method: "POST", path: "/i/" + gone + "/beacon", header: text, body: "3"}, code: 410},

		// The numbers, after the traffic above.
		{name: "stats are 200 with the report", r: req{method: "GET", path: "/api/v1/campaigns/ligestilling/stats", header: bearer}, code: 200},
		{name: "hourly stats over a range are 200", r: req{method: "GET", header: bearer, path: "/api/v1/campaigns/ligestilling/stats?granularity=hour&from=" +
			now.Add(-6*time.Hour).Format(time.RFC3339) + "&to=" + now.Add(time.Hour).Format(time.RFC3339)}, code: 200},
		{name: "the daily CSV is 200", r: req{method: "GET", path: "/api/v1/campaigns/ligestilling/stats.csv", header: bearer}, code: 200},
		{name: "the per-invitation CSV with semicolons is 200", r: req{method: "GET", path: "/api/v1/campaigns/ligestilling/stats.csv?table=invitations&sep=semicolon", header: bearer}, code: 200},
		{name: "the CSV's HEAD is 200", r: req{method: "HEAD", path: "/api/v1/campaigns/ligestilling/stats.csv", header: bearer}, code: 200},
		{name: "a CSV with tabs is 400", r: req{method: "GET", path: "/api/v1/campaigns/ligestilling/stats.csv?sep=tab", header: bearer}, code: 400, refused: true},
		{name: "the CSV without a token is 401", r: req{method: "GET", path: "/api/v1/campaigns/ligestilling/stats.csv"}, code: 401, refused: true},
		{name: "stats' HEAD is 200", r: req{method: "HEAD", path: "/api/v1/campaigns/ligestilling/stats", header: bearer}, code: 200},
		{name: "stats without a token are 401", r: req{method: "GET", path: "/api/v1/campaigns/ligestilling/stats"}, code: 401, refused: true},
		{name: "a page of the stats' invitations is 200", r: req{method: "GET", path: "/api/v1/campaigns/ligestilling/stats?offset=50&limit=25", header: bearer}, code: 200},
		{name: "stats with a limit over 1000 are 400", r: req{method: "GET", path: "/api/v1/campaigns/ligestilling/stats?limit=1001", header: bearer}, code: 400, refused: true},
		{name: "stats with a wrong token are 401", r: req{method: "GET", path: "/api/v1/campaigns/ligestilling/stats", header: wrongToken}, code: 401},
		{name: "stats from a date that cannot be read are 400", r: req{method: "GET", path: "/api/v1/campaigns/ligestilling/stats?from=yesterday", header: bearer}, code: 400},
		{name: "stats by week are 400", r: req{method: "GET", path: "/api/v1/campaigns/ligestilling/stats?granularity=week", header: bearer}, code: 400, refused: true},
		{name: "an unknown campaign's stats are 404", r: req{method: "GET", path: "/api/v1/campaigns/nope/stats", header: bearer}, code: 404},
		{name: "stats while the store does not answer are 503", f: newFixtureWithStats(t, failingStats{}),
			r: req{method: "GET", path: "/api/v1/campaigns/ligestilling/stats", header: bearer}, code: 503},

		// Operations.
		{name: "the document is 200 JSON", r: req{method: "GET", path: "/api/v1/openapi.json"}, code: 200},
		{name: "the document's HEAD is 200", r: req{method: "HEAD", path: "/api/v1/openapi.json"}, code: 200},
		{name: "the document with its ETag is 304", r: req{method: "GET", path: "/api/v1/openapi.json",
			header: map[string]string{"If-None-Match": doc.Header().Get("ETag")}}, code: 304},
		{name: "healthz is 200", r: req{method: "GET", path: "/healthz"}, code: 200},
		{name: "healthz's HEAD is 200", r: req{method: "HEAD", path: "/healthz"}, code: 200},
		{name: "readyz is 200", r: req{method: "GET", path: "/readyz"}, code: 200},
		{name: "readyz's HEAD is 200", r: req{method: "HEAD", path: "/readyz"}, code: 200},
		{name: "readyz with Redis down is 200, degraded", f: newFixtureWithRedis(t, deadRedis(t)),
			r: req{method: "GET", path: "/readyz"}, code: 200},
		{name: "readyz without a campaign is 503", f: newFixtureWithCampaigns(t, new(campaign.Set)),
			r: req{method: "GET", path: "/readyz"}, code: 503},
	} {
		t.Run(x.name, func(t *testing.T) { api.run(t, f, x) })
	}
}

// TestOpenAPIContractCatchesDrift proves the contract test can fail: an
// answer that departs from the document in any of these ways, through the
// service or edited after it, is reported.
func TestOpenAPIContractCatchesDrift(t *testing.T) {
	api := newContract(t)
	mint := req{method: "POST", path: "/api/v1/invitations", header: admin(),
		body: `{"campaign":"ligestilling","name":"Lars Hansen"}`}
	prerender := req{method: "POST", path: "/api/v1/prerender", header: admin(), body: `{"tokens":["garbage"]}`}

	// edited replaces one thing in a real answer.
	edited := func(r req, edit func(w *httptest.ResponseRecorder) (int, http.Header, []byte)) func(*testing.T) []error {
		return func(t *testing.T) []error {
			w := newFixture(t).do(r)
			code, h, body := edit(w)
			return api.problems(r, code, h, body, false)
		}
	}
	// served mounts handler over a documented route, as a change to the
	// code would.
	served := func(r req, handler echo.HandlerFunc) func(*testing.T) []error {
		return func(t *testing.T) []error {
			f := newFixture(t)
			f.e.Add(r.method, r.path, handler)
			w := f.do(r)
			return api.problems(r, w.Code, w.Header(), w.Body.Bytes(), false)
		}
	}
	wrongToken := map[string]string{"Authorization": "Bearer wrong-token"}
	for _, tc := range []struct {
		name     string
		problems func(*testing.T) []error
		want     string // in the report
	}{
		{"an undocumented field in a JSON answer", served(req{method: "GET", path: "/healthz"}, func(c echo.Context) error {
			return c.JSON(200, map[string]string{"status": "ok", "version": "1.2.3"})
		}), `property "version" is unsupported`},
		{"an undocumented status", served(req{method: "GET", path: "/healthz"}, func(c echo.Context) error {
			return c.JSON(http.StatusAccepted, map[string]string{"status": "ok"})
		}), "status 202 is not documented"},
		{"an undocumented status on HEAD", served(req{method: "HEAD", path: "/healthz"}, func(c echo.Context) error {
			return c.NoContent(http.StatusAccepted)
		}), "status 202 is not documented"},
		{"an undocumented media type", served(req{method: "GET", path: "/healthz"}, func(c echo.Context) error {
			return c.String(200, "ok")
		}), "Content-Type has unexpected value"},
		{"a value outside its enum", served(req{method: "GET", path: "/healthz"}, func(c echo.Context) error {
			return c.JSON(200, map[string]string{"status": "fine"})
		}), "not one of the allowed values"},
		{"an error answer that is not {\"error\": ...}", served(req{method: "DELETE", path: "/api/v1/invitations/garbage", header: admin()}, func(c echo.Context) error {
			return c.JSON(404, map[string]string{"message": "no such invitation"})
		}), `property "message" is unsupported`},
		{"an undocumented field in a minted invitation", edited(mint, func(w *httptest.ResponseRecorder) (int, http.Header, []byte) {
			return w.Code, w.Header(), bytes.Replace(w.Body.Bytes(), []byte(`{`), []byte(`{"secret":"x",`), 1)
		}), `property "secret" is unsupported`},
		{"a minted invitation without its Location", edited(mint, func(w *httptest.ResponseRecorder) (int, http.Header, []byte) {
			h := w.Header().Clone()
			h.Del("Location")
			return w.Code, h, w.Body.Bytes()
		}), `header "Location" missing`},
		{"a field of the wrong type", edited(mint, func(w *httptest.ResponseRecorder) (int, http.Header, []byte) {
			return w.Code, w.Header(), bytes.Replace(w.Body.Bytes(), []byte(`"name":"Lars Hansen"`), []byte(`"name":7`), 1)
		}), `Error at "/name": value must be a string`},
		{"an undocumented field in one NDJSON line", edited(prerender, func(w *httptest.ResponseRecorder) (int, http.Header, []byte) {
			return w.Code, w.Header(), bytes.Replace(w.Body.Bytes(), []byte(`{`), []byte(`{"secret":1,`), 1)
		}), `line 1: property "secret" is unsupported`},
		{"a 401 without WWW-Authenticate", edited(req{method: "DELETE", path: "/api/v1/invitations/x", header: wrongToken}, func(w *httptest.ResponseRecorder) (int, http.Header, []byte) {
			h := w.Header().Clone()
			h.Del("WWW-Authenticate")
			return w.Code, h, w.Body.Bytes()
		}), `header "WWW-Authenticate" missing`},
		{"an image without its ETag", edited(req{method: "GET", path: "/i/" + newFixture(t).token(invitation("Lars Hansen")) + "/og.jpg"}, func(w *httptest.ResponseRecorder) (int, http.Header, []byte) {
			h := w.Header().Clone()
			h.Del("ETag")
			return w.Code, h, w.Body.Bytes()
		}), `header "ETag" missing`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			errs := tc.problems(t)
			if !slices.ContainsFunc(errs, func(err error) bool { return strings.Contains(err.Error(), tc.want) }) {
				t.Errorf("the contract test reported %v, want a problem saying %q", errs, tc.want)
			}
		})
	}
	t.Run("an unchanged answer passes", func(t *testing.T) {
		w := newFixture(t).do(mint)
		if errs := api.problems(mint, w.Code, w.Header(), w.Body.Bytes(), false); len(errs) > 0 {
			t.Errorf("%v", errs)
		}
	})
}

// TestOpenAPIDescribesEveryAPIRoute fails when an endpoint under /api/ (or
// a health endpoint) is served without being in openapi.json, and when the
// document describes an operation the service does not serve.
func TestOpenAPIDescribesEveryAPIRoute(t *testing.T) {
	api := newContract(t)
	f := newDashboardFixture(t)
	for _, p := range routeProblems(api.doc, f.e.Routes()) {
		t.Error(p)
	}

	t.Run("a new endpoint without a description fails", func(t *testing.T) {
		f := newDashboardFixture(t)
		f.e.GET("/api/v1/widgets", func(c echo.Context) error { return c.JSON(200, []string{}) })
		f.e.POST("/api/v1/campaigns/:id/stats", func(c echo.Context) error { return c.NoContent(204) })
		got := routeProblems(api.doc, f.e.Routes())
		want := []string{
			"GET /api/v1/widgets is served but not described in openapi.json",
			"POST /api/v1/campaigns/{id}/stats is served but not described in openapi.json",
		}
		if !slices.Equal(got, want) {
			t.Errorf("reported %q, want %q", got, want)
		}
	})
}

// routeProblems lists the API routes missing from doc and the operations
// of doc that no route serves.
func routeProblems(doc *openapi3.T, routes []*echo.Route) []string {
	var problems []string
	served := map[string]bool{}
	for _, r := range routes {
		p := openAPIPath(r.Path)
		served[r.Method+" "+p] = true
		if !strings.HasPrefix(r.Path, "/api/") && r.Path != "/healthz" && r.Path != "/readyz" {
			continue
		}
		if item := doc.Paths.Value(p); item == nil || item.GetOperation(r.Method) == nil {
			problems = append(problems, fmt.Sprintf("%s %s is served but not described in openapi.json", r.Method, p))
		}
	}
	for p, item := range doc.Paths.Map() {
		for method := range item.Operations() {
			if !served[method+" "+p] {
				problems = append(problems, fmt.Sprintf("openapi.json describes %s %s, which the service does not serve", method, p))
			}
		}
	}
	sort.Strings(problems)
	return problems
}

// openAPIPath turns an echo route (/i/:token) into an OpenAPI path
// (/i/{token}).
func openAPIPath(route string) string {
	parts := strings.Split(route, "/")
	for i, s := range parts {
		if name, ok := strings.CutPrefix(s, ":"); ok {
			parts[i] = "{" + name + "}"
		}
	}
	return strings.Join(parts, "/")
}

// TestOpenAPIVariantsAreTheVariants: the document names the card sizes for
// clients; package variant is where they are defined.
func TestOpenAPIVariantsAreTheVariants(t *testing.T) {
	api := newContract(t)
	want := variant.Names()
	sort.Strings(want)
	var enum []string
	for _, v := range api.doc.Components.Schemas["Variant"].Value.Enum {
		enum = append(enum, fmt.Sprint(v))
	}
	sort.Strings(enum)
	var images []string
	for name := range api.doc.Components.Schemas["Images"].Value.Properties {
		images = append(images, name)
	}
	sort.Strings(images)
	if !slices.Equal(enum, want) || !slices.Equal(images, want) {
		t.Errorf("openapi.json's variants %v and images %v, want %v", enum, images, want)
	}
}

// TestOpenAPIIsServed: the document is public, JSON, cacheable, and the
// embedded file byte for byte.
func TestOpenAPIIsServed(t *testing.T) {
	f := newFixture(t)
	w := f.do(req{method: "GET", path: "/api/v1/openapi.json"})
	wantStatus(t, w, http.StatusOK)
	if ct := w.Header().Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type %q", ct)
	}
	if cc := w.Header().Get("Cache-Control"); !strings.HasPrefix(cc, "public, max-age=") {
		t.Errorf("Cache-Control %q, want public", cc)
	}
	if w.Header().Get("ETag") == "" {
		t.Error("no ETag")
	}
	if !bytes.Equal(w.Body.Bytes(), openAPIDocument) {
		t.Error("the served document is not openapi.json")
	}
}

// failingStats is a stats store that does not answer.
type failingStats struct{}

func (failingStats) Invitations(context.Context, stats.Query, int, int) (*stats.InvitationPage, error) {
	return nil, errors.New("the stats store does not answer")
}

func (failingStats) Report(context.Context, stats.Query) (*stats.Report, error) {
	return nil, errors.New("redis: connection refused")
}

func (failingStats) DeleteImpressions(context.Context, string, time.Time, string) error {
	return errors.New("the stats store does not answer")
}

func (failingStats) SetImpressions(context.Context, string, time.Time, string, int64) error {
	return errors.New("redis: connection refused")
}

// newFixtureWithStats is the service with the dashboard reading from r.
func newFixtureWithStats(t *testing.T, r stats.Reader) *fixture {
	t.Helper()
	signer, _ := invite.NewSigner([][]byte{[]byte("server-test-key-0123456789abcdef")})
	e, a := build(t, parts{cfg: testConfig(), signer: signer, cache: cache.New(cache.Options{MemoryBytes: 1 << 20}),
		dash: dashboard.New(dashboard.Deps{Stats: r, Campaigns: demoCampaigns(t), AdminToken: testAdmin})})
	return &fixture{t: t, e: e, app: a, signer: signer, events: &teststats.Events{}}
}

// newFixtureWithRedis is the service with a Redis client for readiness.
func newFixtureWithRedis(t *testing.T, rdb redis.UniversalClient) *fixture {
	t.Helper()
	signer, _ := invite.NewSigner([][]byte{[]byte("server-test-key-0123456789abcdef")})
	e, a := build(t, parts{cfg: testConfig(), signer: signer, cache: cache.New(cache.Options{MemoryBytes: 1 << 20}), redis: rdb})
	return &fixture{t: t, e: e, app: a, signer: signer, events: &teststats.Events{}}
}

// deadRedis is a client of a Redis that is not there.
func deadRedis(t *testing.T) redis.UniversalClient {
	t.Helper()
	rdb := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1", DialTimeout: 50 * time.Millisecond, DialerRetries: 1, MaxRetries: -1})
	t.Cleanup(func() { rdb.Close() })
	return rdb
}

// newFixtureWithCampaigns is the service serving set.
func newFixtureWithCampaigns(t *testing.T, set *campaign.Set) *fixture {
	t.Helper()
	cfg := testConfig()
	signer, _ := invite.NewSigner([][]byte{[]byte("server-test-key-0123456789abcdef")})
	c := cache.New(cache.Options{MemoryBytes: 1 << 20})
	core, err := share.New(share.Deps{Campaigns: set, Signer: signer, Cache: c, BaseURL: cfg.BaseURL,
		Encode: card.EncodeOptions{JPEGQuality: cfg.JPEGQuality}, RenderConcurrency: 1, RenderQueue: 1})
	if err != nil {
		t.Fatal(err)
	}
	e, a, err := newApp(Deps{Config: cfg, Share: core, Cache: c})
	if err != nil {
		t.Fatal(err)
	}
	return &fixture{t: t, e: e, app: a, signer: signer, events: &teststats.Events{}}
}
