package server

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/sharecard/sharecard/internal/share"
	"github.com/sharecard/sharecard/internal/stats"
)

func TestCreateInvitation(t *testing.T) {
	f := newFixture(t)
	w := f.do(req{method: "POST", path: "/api/v1/invitations", header: admin(),
		body: `{"campaign":"ligestilling","name":"  Lars   Hansen ","title":"Adm. direktør","org":"Novo Nordisk"}`})
	wantStatus(t, w, http.StatusCreated)
	var res share.Result
	if err := json.Unmarshal(w.Body.Bytes(), &res); err != nil {
		t.Fatal(err)
	}
	if res.Token == "" || res.URL != "https://invitation.example.dk/i/"+res.Token {
		t.Errorf("url %q for token %q", res.URL, res.Token)
	}
	for _, v := range []string{"og", "square", "portrait", "story"} {
		if !strings.HasPrefix(res.Images[v], "https://invitation.example.dk/i/"+res.Token+"/"+v+".") || !strings.Contains(res.Images[v], "?v=") {
			t.Errorf("images[%s] = %q", v, res.Images[v])
		}
	}
	if !strings.Contains(res.Images["og"], "og.jpg") {
		t.Errorf("og image is not a JPEG: %s", res.Images["og"])
	}
	inv, err := f.signer.Decode(res.Token)
	if err != nil || inv.Name != "Lars Hansen" || inv.Title != "Adm. direktør" {
		t.Errorf("token holds %+v (%v), want the normalised fields", inv, err)
	}
	if res.InvitationID != stats.InvitationID(res.Token) {
		t.Errorf("invitation_id %q", res.InvitationID)
	}
	if f.events.Count(stats.Minted) != 1 {
		t.Errorf("minted %d times", f.events.Count(stats.Minted))
	}
}

func TestCreateInvitationErrors(t *testing.T) {
	tests := []struct {
		name    string
		header  map[string]string
		body    string
		code    int
		message string
	}{
		{"no admin token is 401", map[string]string{"Content-Type": "application/json"}, `{"campaign":"ligestilling","name":"Lars"}`, 401, "missing admin token"},
		{"a wrong admin token is 401", map[string]string{"Authorization": "Bearer nope"}, `{"campaign":"ligestilling","name":"Lars"}`, 401, "wrong admin token"},
		{"a Basic header is 401", map[string]string{"Authorization": "Basic " + testAdmin}, `{"campaign":"ligestilling","name":"Lars"}`, 401, "admin token"},
		{"malformed JSON is 400 saying where", admin(), `{"campaign":"ligestilling","name":}`, 400, "byte"},
		{"a cut-off body is 400", admin(), `{"campaign":"ligestilling"`, 400, "unexpected end"},
		{"an empty body is 400", admin(), ``, 400, "empty body"},
		{"a wrong type is 400 naming the field", admin(), `{"campaign":"ligestilling","name":5}`, 400, "name"},
		{"an unknown field is 400", admin(), `{"campaign":"ligestilling","navn":"Lars"}`, 400, "navn"},
		{"a script tag as name is 422", admin(), `{"campaign":"ligestilling","name":"<script>alert(1)</script>"}`, 422, "name:"},
		{"an attribute breakout is 422", admin(), `{"campaign":"ligestilling","name":"\"><img src=x onerror=alert(1)>"}`, 422, "name:"},
		{"a bidi override is 422", admin(), `{"campaign":"ligestilling","name":"Lars \u202eHansen"}`, 422, "bidirectional"},
		{"a 5,000-character name is 422", admin(), `{"campaign":"ligestilling","name":"` + strings.Repeat("a", 5000) + `"}`, 422, "too long"},
		{"an empty name is 422", admin(), `{"campaign":"ligestilling","name":""}`, 422, "name: is required"},
		{"an unknown campaign is 422", admin(), `{"campaign":"nope","name":"Lars"}`, 422, "unknown campaign"},
		{"a missing campaign is 422", admin(), `{"name":"Lars"}`, 422, "campaign: is required"},
		{"an unknown variant is 422", admin(), `{"campaign":"ligestilling","name":"Lars","variants":["banner"]}`, 422, "variants"},
		{"a body over 1 MiB is 413", admin(), `{"campaign":"ligestilling","name":"` + strings.Repeat("a", 1<<20) + `"}`, 413, "too large"},
		{"a body of exactly 1 MiB is read", admin(), `{"campaign":"ligestilling","name":"` + strings.Repeat("a", 1<<20-len(`{"campaign":"ligestilling","name":""}`)) + `"}`, 422, "too long"},
		{"a body one byte over 1 MiB is 413", admin(), `{"campaign":"ligestilling","name":"` + strings.Repeat("a", 1<<20-len(`{"campaign":"ligestilling","name":""}`)) + `"} `, 413, "too large"},
		{"a name no font can draw is 422 naming the letters", admin(), `{"campaign":"ligestilling","name":"ᏣᎳᎩ"}`, 422, "CHEROKEE LETTER TSA"},
		{"a duplicate key is 400 naming it", admin(), `{"campaign":"ligestilling","name":"Lars","name":"Anne"}`, 400, `duplicate key \"name\"`},
		{"an array is 400 in JSON's words", admin(), `[{"campaign":"ligestilling","name":"Lars"}]`, 400, "expected a JSON object, got an array"},
		{"a number is 400 in JSON's words", admin(), `42`, 400, "expected a JSON object, got a number"},
		{"a wrong type names no Go type", admin(), `{"campaign":"ligestilling","name":"Lars","variants":"og"}`, 400, `must be an array of strings`},
		{"a body that is not JSON is 415", admin("Content-Type", "text/plain"), `{"campaign":"ligestilling","name":"Lars"}`, 415, "application/json"},
		{"a body without a type is 415", map[string]string{"Authorization": "Bearer " + testAdmin}, `{"campaign":"ligestilling","name":"Lars"}`, 415, "application/json"},
	}
	f := newFixture(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := f.do(req{method: "POST", path: "/api/v1/invitations", header: tt.header, body: tt.body})
			wantError(t, w, tt.code, tt.message)
			if b := w.Body.String(); strings.Contains(b, "server.") || strings.Contains(b, "Request") || strings.Contains(b, "[]string") {
				t.Errorf("the message names a Go type: %s", b)
			}
			if tt.code == 401 && w.Header().Get("WWW-Authenticate") == "" {
				t.Error("401 without WWW-Authenticate")
			}
		})
	}
	if n := f.events.Count(stats.Minted); n != 0 {
		t.Errorf("refused requests minted %d invitations", n)
	}
}

func TestBatchCSVToNDJSON(t *testing.T) {
	f := newFixture(t)
	body := "name,title,org\nLars Hansen,Adm. direktør,Mærsk\n<script>x</script>,,\nÅse Ødegaard,,\"Novo, Nordisk\"\n"
	w := f.do(req{method: "POST", path: "/api/v1/invitations/batch?campaign=ligestilling", body: body, header: admin("Content-Type", "text/csv")})
	wantStatus(t, w, http.StatusOK)
	if ct := w.Header().Get("Content-Type"); ct != "application/x-ndjson" {
		t.Errorf("Content-Type %q", ct)
	}
	var results []share.Result
	sc := bufio.NewScanner(w.Body)
	for sc.Scan() {
		var r share.Result
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatalf("line %q: %v", sc.Text(), err)
		}
		results = append(results, r)
	}
	if len(results) != 3 {
		t.Fatalf("got %d results, want 3", len(results))
	}
	if results[0].Token == "" || results[0].Line != 2 || results[0].InvitationID == "" {
		t.Errorf("row 1 = %+v", results[0])
	}
	if results[1].Error == "" || results[1].Token != "" || results[1].Line != 3 {
		t.Errorf("the bad row = %+v, want its own error", results[1])
	}
	if results[2].Token == "" {
		t.Errorf("the row after a bad row failed: %+v", results[2])
	}
	if f.events.Count(stats.Minted) != 2 {
		t.Errorf("minted %d, want 2", f.events.Count(stats.Minted))
	}
}

func TestBatchJSONToCSV(t *testing.T) {
	f := newFixture(t)
	w := f.do(req{method: "POST", path: "/api/v1/invitations/batch?campaign=ligestilling&format=csv",
		body: `[{"name":"Lars"},{"name":"=cmd|' /C calc'!A0"}]`, header: admin()})
	wantStatus(t, w, http.StatusOK)
	recs, err := csv.NewReader(w.Body).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 3 || strings.Join(recs[0], ",") != strings.Join(share.CSVHeader, ",") {
		t.Fatalf("got %q", recs)
	}
	if recs[1][2] == "" || recs[1][6] != "" {
		t.Errorf("good row %q", recs[1])
	}
	if !strings.HasPrefix(recs[2][1], "'=") || recs[2][6] == "" {
		t.Errorf("a formula in a refused name was echoed live: %q", recs[2])
	}
}

func TestBatchErrors(t *testing.T) {
	many := "name\n" + strings.Repeat("Lars\n", share.MaxBatchRows+1)
	huge := "name\n" + strings.Repeat("a", 11<<20) + "\n"
	tests := []struct {
		name, path, ctype, body string
		code                    int
		message                 string
	}{
		{"malformed CSV is 400 with its line", "?campaign=ligestilling", "text/csv", "name,title\nLars,\"CEO\nx\"y\n", 400, "line 3"},
		{"CSV without a name column is 400", "?campaign=ligestilling", "text/csv", "navn\nLars\n", 400, `no \"name\" column`},
		{"malformed JSON is 400", "?campaign=ligestilling", "application/json", `[{"name":"x"`, 400, "unexpected end"},
		{"an unsupported type is 415", "?campaign=ligestilling", "application/xml", `<x/>`, 415, "text/csv"},
		{"a missing campaign is 422", "", "text/csv", "name\nLars\n", 422, "campaign"},
		{"more than 10,000 rows is 413", "?campaign=ligestilling", "text/csv", many, 413, "too many rows"},
		{"a body over 10 MiB is 413", "?campaign=ligestilling", "text/csv", huge, 413, "too large"},
	}
	f := newFixture(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := f.do(req{method: "POST", path: "/api/v1/invitations/batch" + tt.path, body: tt.body, header: admin("Content-Type", tt.ctype)})
			wantError(t, w, tt.code, tt.message)
		})
	}
	w := f.do(req{method: "POST", path: "/api/v1/invitations/batch?campaign=ligestilling", body: "name\nx\n", header: map[string]string{"Content-Type": "text/csv"}})
	wantError(t, w, 401, "admin token")
}

func TestBatchOfTenThousand(t *testing.T) {
	if testing.Short() {
		t.Skip("mints 10,000 links")
	}
	f := newFixture(t)
	var b strings.Builder
	b.WriteString("name,title,org\n")
	for i := range share.MaxBatchRows {
		fmt.Fprintf(&b, "Person Nummer%c%c,Direktør,Firma\n", 'a'+i%26, 'a'+i/26%26)
	}
	w := f.do(req{method: "POST", path: "/api/v1/invitations/batch?campaign=ligestilling", body: b.String(), header: admin("Content-Type", "text/csv")})
	wantStatus(t, w, http.StatusOK)
	if n := strings.Count(w.Body.String(), `"token"`); n != share.MaxBatchRows {
		t.Errorf("got %d tokens, want %d", n, share.MaxBatchRows)
	}
}

func TestRevoke(t *testing.T) {
	f := newFixture(t)
	tok := f.token(invitation("Lars Hansen"))
	// Served once before: an image request's answer is remembered, and
	// revocation must still reach it.
	for _, p := range []string{"/i/" + tok, "/i/" + tok + "/og.jpg", "/i/" + tok + "/download/square.png"} {
		wantStatus(t, f.do(req{method: "GET", path: p}), 200)
	}

	wantError(t, f.do(req{method: "DELETE", path: "/api/v1/invitations/" + tok}), 401, "admin token")
	wantError(t, f.do(req{method: "DELETE", path: "/api/v1/invitations/garbage", header: admin()}), 404, "no such invitation")
	wantStatus(t, f.do(req{method: "DELETE", path: "/api/v1/invitations/" + tok, header: admin()}), 204)

	for _, p := range []string{"/i/" + tok, "/i/" + tok + "/og.jpg", "/i/" + tok + "/download/square.png", "/i/" + tok + "/share"} {
		wantError(t, f.do(req{method: "GET", path: p}), 410, "withdrawn")
	}
	wantError(t, f.do(req{method: "POST", path: "/i/" + tok + "/decline"}), 410, "withdrawn")
	other := f.token(invitation("Åse Holm"))
	wantStatus(t, f.do(req{method: "GET", path: "/i/" + other}), 200)
}

func TestPrerender(t *testing.T) {
	f := newFixture(t)
	a, b := f.token(invitation("Lars Hansen")), f.token(invitation("Åse Holm"))
	prerender := func(t *testing.T, body string) (first, sum prerenderProgress) {
		t.Helper()
		w := f.do(req{method: "POST", path: "/api/v1/prerender", body: body, header: admin()})
		wantStatus(t, w, 200)
		lines := strings.Split(strings.TrimSpace(w.Body.String()), "\n")
		if len(lines) != 4 {
			t.Fatalf("got %d progress lines, want 3 and a summary: %s", len(lines), w.Body.String())
		}
		var bad prerenderProgress
		_ = json.Unmarshal([]byte(lines[0]), &first)
		_ = json.Unmarshal([]byte(lines[2]), &bad)
		_ = json.Unmarshal([]byte(lines[3]), &sum)
		if first.Done != 1 || first.Total != 3 || sum.Done != 3 {
			t.Errorf("progress %+v, summary %+v", first, sum)
		}
		if bad.Error == "" {
			t.Errorf("a garbage token reported no error: %+v", bad)
		}
		return first, sum
	}
	// cached reports which of a's images are served without a render.
	cached := func(t *testing.T, files ...string) []bool {
		t.Helper()
		var out []bool
		for _, p := range files {
			before := f.events.Count(stats.ImageRendered)
			wantStatus(t, f.do(req{method: "GET", path: "/i/" + a + "/" + p}), 200)
			out = append(out, f.events.Count(stats.ImageRendered) == before)
		}
		return out
	}

	t.Run("by default only the link preview", func(t *testing.T) {
		first, sum := prerender(t, fmt.Sprintf(`{"tokens":[%q,%q,"garbage"]}`, a, b))
		if first.Images != 1 || first.Rendered != 1 || sum.Rendered != 2 {
			t.Errorf("first %+v, summary %+v", first, sum)
		}
		if got := cached(t, "og.jpg"); !got[0] {
			t.Error("og.jpg rendered again after prerender")
		}
	})
	t.Run("the variants asked for", func(t *testing.T) {
		first, sum := prerender(t, fmt.Sprintf(`{"tokens":[%q,%q,"garbage"],"variants":["og","square","story"]}`, a, b))
		// og is cached already: two new renders per token.
		if first.Images != 3 || first.Rendered != 2 || sum.Rendered != 4 {
			t.Errorf("first %+v, summary %+v", first, sum)
		}
		if got := cached(t, "square.png", "story.png", "portrait.png"); !got[0] || !got[1] || got[2] {
			t.Errorf("served from the cache (square, story, portrait): %v; want true, true, false", got)
		}
	})
	wantError(t, f.do(req{method: "POST", path: "/api/v1/prerender", body: `{"tokens":[],"variants":["banner"]}`, header: admin()}), 422, `unknown variant \"banner\"`)
	wantError(t, f.do(req{method: "POST", path: "/api/v1/prerender", body: `{"tokens":`, header: admin()}), 400, "unexpected end")
	wantError(t, f.do(req{method: "POST", path: "/api/v1/prerender", body: `{}`}), 401, "admin")
}

// TestWrongBearerTokensAreThrottledButTheRightOneIsNot: thirty wrong
// tokens from one address end in 429 with Retry-After; the right token
// from that same address still gets in.
func TestWrongBearerTokensAreThrottledButTheRightOneIsNot(t *testing.T) {
	f := newFixture(t)
	var last *httptest.ResponseRecorder
	for range 30 {
		last = f.do(req{method: "POST", path: "/api/v1/invitations", body: `{}`, header: map[string]string{"Authorization": "Bearer guess", "Content-Type": "application/json"}})
	}
	wantError(t, last, 429, "too many wrong admin tokens")
	if ra := last.Header().Get("Retry-After"); ra == "" || ra == "0" {
		t.Errorf("429 with Retry-After %q", ra)
	}
	// Missing tokens count as failures too.
	wantError(t, f.do(req{method: "DELETE", path: "/api/v1/invitations/x"}), 429, "too many")
	body := `{"campaign":"ligestilling","name":"Lars Hansen"}`
	wantStatus(t, f.do(req{method: "POST", path: "/api/v1/invitations", body: body, header: admin()}), 201)
}
