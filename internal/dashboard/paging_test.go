package dashboard

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/sharecard/sharecard/internal/stats"
)

// manyInvitations records page views of n invitations yesterday, the
// i-th seen i%9+1 times.
func manyInvitations(t *testing.T, n int) *stats.Buffered {
	t.Helper()
	day := seedNow().Add(-24 * time.Hour)
	rec := stats.NewRecorder(stats.Options{Now: seedNow})
	t.Cleanup(func() { rec.Close(context.Background()) })
	for i := 0; i < n; i++ {
		for v := 0; v <= i%9; v++ {
			rec.Record(stats.Event{Kind: stats.PageView, Campaign: "ligestilling", Token: fmt.Sprint("many", i), At: day,
				Human: true, IP: fmt.Sprint("10.0.", i%250, ".", v), UserAgent: "Mozilla/5.0 Chrome/124.0"})
		}
		if i%500 == 0 {
			if err := rec.Flush(context.Background()); err != nil {
				t.Fatal(err)
			}
		}
	}
	return rec
}

// TestTheInvitationTableIsPaged: the dashboard shows 50 invitations a
// page with links to the others and the total; a page past the end shows
// the last one; the stats API pages with offset and limit.
func TestTheInvitationTableIsPaged(t *testing.T) {
	srv := newServer(t, Deps{Stats: manyInvitations(t, 120)})
	c := login(t, srv)
	rows := func(body string) int {
		table := between(body, `id="invitationer"`, "</section>")
		return strings.Count(between(table, "<tbody>", "</tbody>"), "<tr>")
	}
	for _, tc := range []struct {
		query      string
		rows       int
		has, lacks []string
	}{
		{"range=7d", 50, []string{"120 i alt", "Nr. 1–50 af 120", "side 1 af 3", `href="?range=7d&amp;page=2#invitationer"`}, []string{"Forrige"}},
		{"range=7d&page=2", 50, []string{"Nr. 51–100 af 120", "Forrige", "Næste"}, nil},
		{"range=7d&page=3", 20, []string{"Nr. 101–120 af 120", "side 3 af 3", "Forrige"}, []string{"Næste"}},
		{"range=7d&page=99", 20, []string{"side 3 af 3"}, nil},
		{"range=7d&page=x", 50, []string{"side 1 af 3"}, nil},
	} {
		t.Run(tc.query, func(t *testing.T) {
			resp, body := get(t, c, srv.URL+"/admin/campaigns/ligestilling?"+tc.query)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("%d", resp.StatusCode)
			}
			if n := rows(body); n != tc.rows {
				t.Errorf("%d rows, want %d", n, tc.rows)
			}
			for _, s := range tc.has {
				if !strings.Contains(body, s) {
					t.Errorf("the page lacks %q", s)
				}
			}
			for _, s := range tc.lacks {
				if strings.Contains(between(body, `id="invitationer"`, "</section>"), s) {
					t.Errorf("the table has %q", s)
				}
			}
		})
	}
	for _, tc := range []struct {
		query      string
		code, rows int
	}{
		{"", 200, 50},
		{"?offset=100&limit=50", 200, 20},
		{"?offset=10&limit=5", 200, 5},
		{"?offset=500", 200, 0},
		{"?limit=0", 400, 0},
		{"?limit=1001", 400, 0},
		{"?offset=-1", 400, 0},
	} {
		resp, body := get(t, c, srv.URL+"/api/v1/campaigns/ligestilling/stats"+tc.query, "Authorization", "Bearer "+adminToken)
		if resp.StatusCode != tc.code {
			t.Errorf("%s: %d, want %d: %s", tc.query, resp.StatusCode, tc.code, body)
			continue
		}
		if tc.code != 200 {
			continue
		}
		var r struct {
			Invitations stats.InvitationPage `json:"invitations"`
		}
		if err := json.Unmarshal([]byte(body), &r); err != nil {
			t.Fatal(err)
		}
		if r.Invitations.Total != 120 || len(r.Invitations.Invitations) != tc.rows {
			t.Errorf("%s: total %d, %d rows; want 120, %d", tc.query, r.Invitations.Total, len(r.Invitations.Invitations), tc.rows)
		}
	}
}
