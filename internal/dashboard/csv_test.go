package dashboard

import (
	"encoding/csv"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/sharecard/sharecard/internal/stats"
)

// readCSV checks the byte-order mark and parses the rest with sep.
func readCSV(t *testing.T, body string, sep rune) [][]string {
	t.Helper()
	rest, ok := strings.CutPrefix(body, "\ufeff")
	if !ok {
		t.Fatalf("no UTF-8 byte-order mark: %.20q", body)
	}
	r := csv.NewReader(strings.NewReader(rest))
	r.Comma = sep
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatalf("encoding/csv: %v\n%s", err, rest)
	}
	return rows
}

// column sums a column of rows (after the header) by name.
func column(t *testing.T, rows [][]string, name string) int64 {
	t.Helper()
	i := -1
	for j, h := range rows[0] {
		if h == name {
			i = j
		}
	}
	if i < 0 {
		t.Fatalf("no column %q in %v", name, rows[0])
	}
	var sum int64
	for _, r := range rows[1:] {
		n, err := strconv.ParseInt(r[i], 10, 64)
		if err != nil {
			t.Fatalf("%s %q: %v", name, r[i], err)
		}
		sum += n
	}
	return sum
}

// TestCSVMatchesTheStatsAPI: the daily series, read back with
// encoding/csv, adds up to the stats API's totals over the same range,
// with either separator; the per-invitation table has every invitation.
func TestCSVMatchesTheStatsAPI(t *testing.T) {
	srv := newServer(t, Deps{Stats: seeded(t)})
	rng := "from=2026-11-26&to=2026-12-02" // seven of the campaign's days
	_, js := get(t, http.DefaultClient, srv.URL+"/api/v1/campaigns/ligestilling/stats?granularity=day&"+rng, "Authorization", "Bearer "+adminToken)
	var r stats.Report
	if err := json.Unmarshal([]byte(js), &r); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		query string
		sep   rune
	}{{"", ','}, {"&sep=semicolon", ';'}} {
		resp, body := get(t, http.DefaultClient, srv.URL+"/api/v1/campaigns/ligestilling/stats.csv?"+rng+tt.query, "Authorization", "Bearer "+adminToken)
		if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "text/csv; charset=utf-8" {
			t.Fatalf("%s: %d %q", tt.query, resp.StatusCode, resp.Header.Get("Content-Type"))
		}
		rows := readCSV(t, body, tt.sep)
		if len(rows) != 1+7 {
			t.Errorf("%d rows, want a header and 7 days", len(rows))
		}
		for col, want := range map[string]int64{
			"page_views": r.Totals.PageViews, "declines": r.Totals.Declines, "learning_clicks": r.Totals.LearningClicks,
			"preview_fetches": r.Totals.PreviewFetches, "impressions_entered": r.Totals.ImpressionsEntered,
			"unique_visitors": r.Totals.UniqueVisitors, "share_clicks": r.Totals.ShareClicks, "downloads": r.Totals.Downloads,
		} {
			if got := column(t, rows, col); got != want {
				t.Errorf("%s: the CSV adds up to %d, the API says %d", col, got, want)
			}
		}
	}
	resp, body := get(t, http.DefaultClient, srv.URL+"/api/v1/campaigns/ligestilling/stats.csv?table=invitations&sep=semicolon&"+rng, "Authorization", "Bearer "+adminToken)
	if resp.StatusCode != 200 || !strings.Contains(resp.Header.Get("Content-Disposition"), "invitations.csv") {
		t.Fatalf("%d %q", resp.StatusCode, resp.Header.Get("Content-Disposition"))
	}
	rows := readCSV(t, body, ';')
	if got := column(t, rows, "page_views"); got != r.Totals.PageViews {
		t.Errorf("invitations' page views add up to %d, the API says %d", got, r.Totals.PageViews)
	}
	if strings.Contains(rows[1][7], ".") {
		t.Errorf("a decimal point with semicolons: %q", rows[1][7])
	}
}

func TestCSVRefusals(t *testing.T) {
	srv := newServer(t, Deps{Stats: seeded(t)})
	bearer := []string{"Authorization", "Bearer " + adminToken}
	for _, tt := range []struct {
		query string
		code  int
	}{
		{"?sep=tab", 400},
		{"?table=people", 400},
		{"?from=yesterday", 400},
	} {
		if resp, _ := get(t, http.DefaultClient, srv.URL+"/api/v1/campaigns/ligestilling/stats.csv"+tt.query, bearer...); resp.StatusCode != tt.code {
			t.Errorf("%s: %d, want %d", tt.query, resp.StatusCode, tt.code)
		}
	}
	if resp, _ := get(t, http.DefaultClient, srv.URL+"/api/v1/campaigns/nope/stats.csv", bearer...); resp.StatusCode != 404 {
		t.Errorf("an unknown campaign: %d", resp.StatusCode)
	}
	if resp, _ := get(t, http.DefaultClient, srv.URL+"/api/v1/campaigns/ligestilling/stats.csv"); resp.StatusCode != 401 {
		t.Errorf("without a token: %d", resp.StatusCode)
	}
	// The dashboard's download, with a session.
	c := login(t, srv)
	if resp, body := get(t, c, srv.URL+"/admin/campaigns/ligestilling/stats.csv?range=7d&sep=semicolon"); resp.StatusCode != 200 || !strings.HasPrefix(body, "\ufeffdate;") {
		t.Errorf("the dashboard's download: %d %.40q", resp.StatusCode, body)
	}
}
