package studio

import (
	"bytes"
	"context"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"github.com/sharecard/sharecard"
	"github.com/sharecard/sharecard/internal/campaign"
	"github.com/sharecard/sharecard/internal/dashboard"
)

const token = "studio-test-token-0123456789"

// fixture is the studio mounted as routes.go mounts it, over a library in
// a fresh data directory seeded with the built-in campaigns, and a
// logged-in session.
type fixture struct {
	t      testing.TB
	e      *echo.Echo
	lib    *campaign.Library
	h      *Handlers
	cookie *http.Cookie
	csrf   string
}

func newFixture(t testing.TB) *fixture {
	t.Helper()
	store, err := campaign.NewDirStore(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	lib := campaign.NewLibrary(campaign.LibraryOptions{Store: store, Files: sharecard.Files()})
	if err := lib.Open(context.Background(), sharecard.CampaignDir); err != nil {
		t.Fatal(err)
	}
	dash := dashboard.New(dashboard.Deps{Campaigns: lib, AdminToken: token})
	h, err := New(Deps{Library: lib, CSRF: dash.CSRF, BaseURL: "https://invitation.example.dk"})
	if err != nil {
		t.Fatal(err)
	}
	e := echo.New()
	body := middleware.BodyLimit(MaxBody)
	e.GET("/admin/login", dash.LoginForm)
	e.POST("/admin/login", dash.Login)
	e.GET("/admin/static/studio.js", h.Script)
	e.GET("/admin/static/studio.css", h.Stylesheet)
	// As the server answers a browser's favicon request: nothing, not 404.
	e.GET("/favicon.ico", func(c echo.Context) error { return c.NoContent(http.StatusNoContent) })
	e.GET("/admin/studio", h.Index, dash.RequireSession)
	e.POST("/admin/studio", h.Create, body, dash.RequireSession)
	e.GET("/admin/studio/:id", h.Page, dash.RequireSession)
	e.POST("/admin/studio/:id/check", h.Check, body, dash.RequireSession)
	e.POST("/admin/studio/:id/preview", h.Preview, body, dash.RequireSession)
	e.POST("/admin/studio/:id/diff", h.Diff, body, dash.RequireSession)
	e.POST("/admin/studio/:id/publish", h.Publish, body, dash.RequireSession)
	e.POST("/admin/studio/:id/rollback", h.Rollback, body, dash.RequireSession)
	e.POST("/admin/studio/:id/asset", h.Upload, middleware.BodyLimit(MaxUpload), dash.RequireSession)
	e.POST("/admin/studio/:id/asset/delete", h.DeleteAsset, body, dash.RequireSession)
	e.GET("/admin/studio/:id/card/:variant", h.Card, dash.RequireSession)
	f := &fixture{t: t, e: e, lib: lib, h: h}
	f.login()
	return f
}

func (f *fixture) login() {
	f.t.Helper()
	r := httptest.NewRequest(http.MethodPost, "/admin/login", strings.NewReader(url.Values{"token": {token}}.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	w := httptest.NewRecorder()
	f.e.ServeHTTP(w, r)
	for _, c := range w.Result().Cookies() {
		if c.Name == "sharecard_session" {
			f.cookie = c
		}
	}
	if f.cookie == nil {
		f.t.Fatalf("login: %d, no session cookie", w.Code)
	}
	page := f.get("/admin/studio/ligestilling", true)
	i := strings.Index(page.Body.String(), `data-csrf="`)
	if i < 0 {
		f.t.Fatalf("the studio page has no CSRF token: %d %.300s", page.Code, page.Body.String())
	}
	rest := page.Body.String()[i+len(`data-csrf="`):]
	f.csrf = rest[:strings.IndexByte(rest, '"')]
}

func (f *fixture) get(path string, session bool) *httptest.ResponseRecorder {
	f.t.Helper()
	r := httptest.NewRequest(http.MethodGet, path, nil)
	if session && f.cookie != nil {
		r.AddCookie(f.cookie)
	}
	w := httptest.NewRecorder()
	f.e.ServeHTTP(w, r)
	return w
}

// post sends fields as the script does (multipart form data), with the
// session's cookie and CSRF token unless the test says otherwise.
type post struct {
	path    string
	fields  map[string]string
	noLogin bool
	csrf    string // "" means the session's
	json    bool
}

func (f *fixture) post(p post) *httptest.ResponseRecorder {
	f.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	csrf := p.csrf
	if csrf == "" {
		csrf = f.csrf
	}
	_ = mw.WriteField("csrf", csrf)
	for k, v := range p.fields {
		_ = mw.WriteField(k, v)
	}
	_ = mw.Close()
	r := httptest.NewRequest(http.MethodPost, p.path, &buf)
	r.Header.Set("Content-Type", mw.FormDataContentType())
	if p.json {
		r.Header.Set("Accept", "application/json")
	}
	if !p.noLogin {
		r.AddCookie(f.cookie)
	}
	w := httptest.NewRecorder()
	f.e.ServeHTTP(w, r)
	return w
}

func demoYAML(t testing.TB) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", sharecard.CampaignDir, "ligestilling.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func decode[T any](t testing.TB, w *httptest.ResponseRecorder) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(w.Body.Bytes(), &v); err != nil {
		t.Fatalf("decode %.300s: %v", w.Body.String(), err)
	}
	return v
}

type failJSON struct {
	Message string        `json:"message"`
	Errors  []problemJSON `json:"errors"`
}

func TestStudioRefusesWhatItCannotServe(t *testing.T) {
	f := newFixture(t)
	good := demoYAML(t)
	bad := strings.Replace(good, "locale: da_DK\n", "locale: da_DK\nbogus: 1\n", 1)
	badLine := strings.Count(good[:strings.Index(good, "locale: da_DK\n")], "\n") + 2
	huge := good + "\n#" + strings.Repeat("x", campaign.MaxFileBytes) + "\n"
	nearly := good + "\n#" + strings.Repeat("x", campaign.MaxFileBytes-len(good)) + "\n"
	for _, tc := range []struct {
		name   string
		req    post
		get    string // a GET instead
		status int
		// wantLine, when set, is the line the one problem must be at.
		wantLine int
		wantIn   string
	}{
		{name: "a page without a session goes to the login", get: "/admin/studio/ligestilling", status: http.StatusSeeOther, wantIn: ""},
		{name: "a preview without a session is refused", req: post{path: "/admin/studio/ligestilling/preview", fields: map[string]string{"yaml": good, "name": "Bo", "variant": "og"}, noLogin: true}, status: http.StatusUnauthorized},
		{name: "a preview without the CSRF token is refused", req: post{path: "/admin/studio/ligestilling/preview", fields: map[string]string{"yaml": good, "name": "Bo", "variant": "og"}, csrf: "forged"}, status: http.StatusForbidden},
		{name: "a publish without the CSRF token is refused", req: post{path: "/admin/studio/ligestilling/publish", fields: map[string]string{"yaml": good}, csrf: "forged"}, status: http.StatusForbidden},
		{name: "an unknown campaign's page is not found", get: "/admin/studio/no-such-campaign", status: http.StatusNotFound},
		{name: "an unknown campaign's preview is not found", req: post{path: "/admin/studio/no-such-campaign/preview", fields: map[string]string{"yaml": good, "name": "Bo", "variant": "og"}}, status: http.StatusNotFound},
		{name: "a malformed id is not found", req: post{path: "/admin/studio/Bad..ID/check", fields: map[string]string{"yaml": good}}, status: http.StatusNotFound},
		{name: "a draft that does not validate has its problem at its line", req: post{path: "/admin/studio/ligestilling/preview", fields: map[string]string{"yaml": bad, "name": "Bo", "variant": "og"}}, status: http.StatusUnprocessableEntity, wantLine: badLine, wantIn: "bogus"},
		{name: "a check of a bad draft answers 200 with the problem at its line", req: post{path: "/admin/studio/ligestilling/check", fields: map[string]string{"yaml": bad}}, status: http.StatusOK, wantLine: badLine, wantIn: "bogus"},
		{name: "a YAML that is not YAML has its line", req: post{path: "/admin/studio/ligestilling/check", fields: map[string]string{"yaml": "id: ligestilling\ntexts: [\n"}}, status: http.StatusOK, wantLine: 2, wantIn: "expected"},
		{name: "a body over the bound is refused before it is read", req: post{path: "/admin/studio/ligestilling/preview", fields: map[string]string{"yaml": huge, "name": "Bo", "variant": "og"}}, status: http.StatusRequestEntityTooLarge},
		{name: "a file over 256 KiB in a body within the bound is refused", req: post{path: "/admin/studio/ligestilling/check", fields: map[string]string{"yaml": nearly + strings.Repeat("#", 100) + "\n"}}, status: http.StatusRequestEntityTooLarge, wantIn: "256 KiB"},
		{name: "an unknown variant is refused", req: post{path: "/admin/studio/ligestilling/preview", fields: map[string]string{"yaml": good, "name": "Bo", "variant": "banner"}}, status: http.StatusBadRequest, wantIn: "banner"},
		{name: "a name minting would refuse is refused", req: post{path: "/admin/studio/ligestilling/preview", fields: map[string]string{"yaml": good, "name": "R2-D2", "variant": "og"}}, status: http.StatusUnprocessableEntity, wantIn: "Navnet"},
		{name: "an empty name is refused", req: post{path: "/admin/studio/ligestilling/preview", fields: map[string]string{"yaml": good, "name": " ", "variant": "og"}}, status: http.StatusUnprocessableEntity},
		{name: "a publish against a version that is no longer current is refused", req: post{path: "/admin/studio/ligestilling/publish", fields: map[string]string{"yaml": good, "base": "mx00000-000000000000"}, json: true}, status: http.StatusConflict, wantIn: "Intet er udgivet"},
		{name: "a publish of a bad draft is refused with its lines", req: post{path: "/admin/studio/ligestilling/publish", fields: map[string]string{"yaml": bad, "base": f.current("ligestilling")}, json: true}, status: http.StatusUnprocessableEntity, wantLine: badLine},
		{name: "a rollback to a version that does not exist is refused", req: post{path: "/admin/studio/ligestilling/rollback", fields: map[string]string{"version": "nope"}}, status: http.StatusUnprocessableEntity},
		{name: "a new campaign needs a valid id", req: post{path: "/admin/studio", fields: map[string]string{"id": "Ny Kampagne", "from": "ligestilling"}}, status: http.StatusUnprocessableEntity},
		{name: "a new campaign may not take an existing id", req: post{path: "/admin/studio", fields: map[string]string{"id": "equality-2061", "from": "ligestilling"}}, status: http.StatusConflict},
		{name: "a new campaign must start from one that exists", req: post{path: "/admin/studio", fields: map[string]string{"id": "ny", "from": "nothing"}}, status: http.StatusUnprocessableEntity},
		{name: "the published card of an unknown variant is not found", get: "/admin/studio/ligestilling/card/banner?name=Bo", status: http.StatusNotFound},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := f.current("ligestilling")
			var w *httptest.ResponseRecorder
			if tc.get != "" {
				w = f.get(tc.get, !strings.Contains(tc.name, "without a session"))
			} else {
				w = f.post(tc.req)
			}
			if w.Code != tc.status {
				t.Fatalf("status %d, want %d: %.400s", w.Code, tc.status, w.Body.String())
			}
			if tc.wantIn != "" && !strings.Contains(w.Body.String(), tc.wantIn) {
				t.Errorf("answer lacks %q: %.400s", tc.wantIn, w.Body.String())
			}
			if tc.wantLine > 0 {
				got := decode[failJSON](t, w)
				if len(got.Errors) != 1 || got.Errors[0].Line != tc.wantLine {
					t.Errorf("problems %+v, want one at line %d", got.Errors, tc.wantLine)
				}
			}
			if after := f.current("ligestilling"); after != before {
				t.Errorf("the current version changed from %s to %s", before, after)
			}
		})
	}
}

func (f *fixture) current(id string) string {
	f.t.Helper()
	head, _, _, err := f.lib.Get(context.Background(), id, "")
	if err != nil {
		f.t.Fatal(err)
	}
	return head.Current
}
