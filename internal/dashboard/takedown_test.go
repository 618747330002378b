package dashboard

import (
	"context"
	"errors"
	"html"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sharecard/sharecard/internal/invite"
	"github.com/sharecard/sharecard/internal/report"
)

// fakeRevoker records the tokens it revokes; fail makes it refuse.
type fakeRevoker struct {
	mu      sync.Mutex
	revoked []string
	fail    bool
}

func (f *fakeRevoker) Revoke(_ context.Context, token string) (invite.Invitation, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.fail {
		return invite.Invitation{}, errors.New("redis: connection refused")
	}
	f.revoked = append(f.revoked, token)
	return invite.Invitation{}, nil
}

// seedReports stores three reports for ligestilling: two about one
// invitation, one about another, at known times.
func seedReports(t *testing.T) (*report.Memory, map[string]report.Report) {
	t.Helper()
	m := report.NewMemory()
	at := time.Date(2026, 12, 2, 15, 4, 0, 0, time.UTC) // 16:04 in Copenhagen
	out := map[string]report.Report{}
	for _, r := range []struct {
		key string
		r   report.Report
	}{
		{"lars-about-me", report.Report{Fingerprint: "fp-lars", Token: "tok-lars", Reason: report.AboutMe, Contact: "lars@example.dk", CreatedAt: at}},
		{"lars-offensive", report.Report{Fingerprint: "fp-lars", Token: "tok-lars", Reason: report.Offensive, Detail: "<script>alert(1)</script>\nanden linje", CreatedAt: at.Add(time.Minute)}},
		{"anne-other", report.Report{Fingerprint: "fp-anne", Token: "tok-anne", Reason: report.Other, CreatedAt: at.Add(2 * time.Minute)}},
	} {
		r.r.Campaign = "ligestilling"
		got, err := m.Add(context.Background(), r.r)
		if err != nil {
			t.Fatal(err)
		}
		out[r.key] = got
	}
	return m, out
}

func TestTheDashboardListsReports(t *testing.T) {
	store, _ := seedReports(t)
	srv := newServer(t, Deps{Stats: seeded(t), Reports: store, Revoker: &fakeRevoker{}})
	c := login(t, srv)
	_, page := get(t, c, srv.URL+"/admin/campaigns/ligestilling")
	text := html.UnescapeString(page)
	for _, want := range []string{
		`id="rapporter"`, "3 åbne", "2. dec. 2026 kl. 16:04", "2. dec. 2026 kl. 16:06",
		"Handler om mig – fjern det", "Krænkende eller stødende", "Andet", "lars@example.dk", "ikke oplyst",
		`href="/i/tok-lars"`, `href="/i/tok-anne"`, `value="revoke"`, `value="dismiss"`,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the dashboard lacks %q", want)
		}
	}
	if strings.Contains(page, "<script>alert") || !strings.Contains(page, "&lt;script&gt;alert(1)&lt;/script&gt;\nanden linje") {
		t.Error("a report's detail is not shown escaped with its line break")
	}
	// Newest first: Anne's report, then Lars's two.
	if strings.Index(page, "tok-anne") > strings.Index(page, "tok-lars") {
		t.Error("the reports are not newest first")
	}
	_, other := get(t, c, srv.URL+"/admin/campaigns/equality-2061")
	if !strings.Contains(other, "Ingen rapporter om kort.") || strings.Contains(other, "tok-lars") {
		t.Error("another campaign lists ligestilling's reports")
	}
}

func TestHandlingAReport(t *testing.T) {
	tests := []struct {
		name     string
		report   string // key in seedReports, or an id
		form     url.Values
		hdr      []string
		fail     bool
		status   int
		location string
		revoked  []string
		after    map[string]report.Status
	}{
		{name: "revoke takes the link out and closes both of its reports", report: "lars-offensive", form: url.Values{"action": {"revoke"}}, status: 303,
			location: "/admin/campaigns/ligestilling?reports=revoked#rapporter", revoked: []string{"tok-lars"},
			after: map[string]report.Status{"lars-about-me": report.Revoked, "lars-offensive": report.Revoked, "anne-other": report.Open}},
		{name: "dismiss closes that report alone and revokes nothing", report: "anne-other", form: url.Values{"action": {"dismiss"}}, status: 303,
			location: "/admin/campaigns/ligestilling?reports=dismissed#rapporter",
			after:    map[string]report.Status{"lars-about-me": report.Open, "anne-other": report.Dismissed}},
		{name: "a revocation that fails leaves the report open and says so", report: "lars-about-me", form: url.Values{"action": {"revoke"}}, fail: true, status: 303,
			location: "/admin/campaigns/ligestilling?reports=failed#rapporter", after: map[string]report.Status{"lars-about-me": report.Open}},
		{name: "an unknown report is said to be gone", report: "0123456789abcdef", form: url.Values{"action": {"dismiss"}}, status: 303,
			location: "/admin/campaigns/ligestilling?reports=unknown#rapporter"},
		{name: "an unknown action is 400", report: "anne-other", form: url.Values{"action": {"delete"}}, status: 400,
			after: map[string]report.Status{"anne-other": report.Open}},
		{name: "a post without the CSRF token is refused", report: "lars-about-me", form: url.Values{"action": {"revoke"}, "csrf": {""}}, status: 403,
			after: map[string]report.Status{"lars-about-me": report.Open}},
		{name: "a post from another site is refused", report: "lars-about-me", form: url.Values{"action": {"revoke"}}, hdr: []string{"Origin", "https://evil.example"}, status: 403,
			after: map[string]report.Status{"lars-about-me": report.Open}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			store, seeded := seedReports(t)
			rev := &fakeRevoker{fail: tt.fail}
			srv := newServer(t, Deps{Reports: store, Revoker: rev})
			c := login(t, srv)
			_, page := get(t, c, srv.URL+"/admin/campaigns/ligestilling")
			form := url.Values{"csrf": {between(page, `name="csrf" value="`, `"`)}}
			for k, v := range tt.form {
				form[k] = v
			}
			id := tt.report
			if r, ok := seeded[id]; ok {
				id = r.ID
			}
			resp, _ := post(t, c, srv.URL+"/admin/campaigns/ligestilling/reports/"+id, form, tt.hdr...)
			if resp.StatusCode != tt.status || resp.Header.Get("Location") != tt.location {
				t.Errorf("got %d to %q, want %d to %q", resp.StatusCode, resp.Header.Get("Location"), tt.status, tt.location)
			}
			if strings.Join(rev.revoked, ",") != strings.Join(tt.revoked, ",") {
				t.Errorf("revoked %v, want %v", rev.revoked, tt.revoked)
			}
			rs, _ := store.List(context.Background(), "ligestilling")
			for key, want := range tt.after {
				for _, r := range rs {
					if r.ID == seeded[key].ID && r.Status != want {
						t.Errorf("%s is %s, want %s", key, r.Status, want)
					}
				}
			}
			if tt.location != "" {
				_, back := get(t, c, srv.URL+tt.location)
				code := strings.TrimSuffix(strings.TrimPrefix(tt.location, "/admin/campaigns/ligestilling?reports="), "#rapporter")
				if !strings.Contains(back, html.EscapeString(reportMessages[code])) {
					t.Errorf("the page does not say %q", reportMessages[code])
				}
			}
		})
	}
}

// downReports is a report store that does not answer.
type downReports struct{ report.Store }

func (downReports) List(context.Context, string) ([]report.Report, error) {
	return nil, errors.New("dial tcp: connection refused")
}

func TestTheDashboardWorksWhileReportsAreDown(t *testing.T) {
	srv := newServer(t, Deps{Stats: seeded(t), Reports: downReports{}})
	c := login(t, srv)
	resp, page := get(t, c, srv.URL+"/admin/campaigns/ligestilling")
	if resp.StatusCode != 200 || !strings.Contains(page, "Rapporterne kan ikke hentes lige nu") || !strings.Contains(page, "877.209") {
		t.Errorf("%d; the page should show the numbers and say the reports are unavailable", resp.StatusCode)
	}
}
