package dashboard

import (
	"bytes"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sharecard/sharecard/internal/stats"
)

// TestTheReportPDFHoldsTheHeadlines: pdftotext (Debian's poppler-utils)
// finds the campaign, the period and every headline number in the PDF, in
// the order of the campaign report.
func TestTheReportPDFHoldsTheHeadlines(t *testing.T) {
	pdftotext, err := exec.LookPath("pdftotext")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("pdftotext is not installed (Debian: poppler-utils)")
		}
		t.Skip("pdftotext is not installed (Debian: poppler-utils)")
	}
	srv := newServer(t, Deps{Stats: seeded(t)})
	c := login(t, srv)
	resp, body := get(t, c, srv.URL+"/admin/campaigns/ligestilling/report.pdf")
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(body, "%PDF-") {
		t.Fatalf("status %d, type %q, %.40q", resp.StatusCode, resp.Header.Get("Content-Type"), body)
	}
	if cd := resp.Header.Get("Content-Disposition"); cd != `attachment; filename="rapport-ligestilling.pdf"` {
		t.Errorf("Content-Disposition %q", cd)
	}
	path := filepath.Join(t.TempDir(), "r.pdf")
	if keep := os.Getenv("SHARECARD_KEEP_REPORT"); keep != "" {
		path = keep + ".pdf"
	}
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(pdftotext, "-layout", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	text := string(out)
	// The seed (see seeded and TestTheDashboardShowsTheNumbers): 877,209
	// impressions entered, 1,234 page views at 2:30 on average, 87
	// declines, 61 learning clicks.
	want := []string{"Festen for ligestilling", "877.209", "Visninger", "Besøgende", "Sidevisninger", "1.234", "2:30",
		"Minutter i alt", "Afslag", "87", "Klik til læring", "61", "Sidevisninger og afslag pr. dag", "LinkedIn", "Indtastet"}
	for _, w := range want {
		if !strings.Contains(text, w) {
			t.Errorf("the PDF's text lacks %q:\n%s", w, text)
		}
	}
	order := []string{"Visninger", "Besøgende", "Sidevisninger", "Gns. tid"}
	last := -1
	for _, w := range order {
		i := strings.Index(text, w)
		if i < last {
			t.Errorf("%q comes before the headline before it", w)
		}
		last = i
	}
	if pages := strings.Count(text, "\f"); pages != 1 {
		t.Errorf("%d pages, want one", pages)
	}
}

func TestTheReportPNG(t *testing.T) {
	srv := newServer(t, Deps{Stats: seeded(t)})
	c := login(t, srv)
	resp, body := get(t, c, srv.URL+"/admin/campaigns/ligestilling/report.png")
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "image/png" {
		t.Fatalf("status %d, type %q", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	img, err := png.Decode(bytes.NewReader([]byte(body)))
	if err != nil || img.Bounds().Dx() != pngW || img.Bounds().Dy() != pngH {
		t.Fatalf("PNG %v, %v", img, err)
	}
	if os.Getenv("SHARECARD_KEEP_REPORT") != "" {
		_ = os.WriteFile(os.Getenv("SHARECARD_KEEP_REPORT"), []byte(body), 0o644)
	}
	// Without a session: the login page, not the numbers.
	resp, _ = get(t, noRedirect(nil), srv.URL+"/admin/campaigns/ligestilling/report.png")
	if resp.StatusCode != 303 {
		t.Errorf("without a session: %d, want 303 to the login", resp.StatusCode)
	}
}

func TestDanishDates(t *testing.T) {
	tests := []struct {
		at   time.Time
		want string
	}{
		{time.Date(2026, 12, 2, 0, 0, 0, 0, time.UTC), "2. dec. 2026"},
		{time.Date(2022, 3, 8, 0, 0, 0, 0, time.UTC), "8. mar. 2022"},
		{time.Date(2061, 5, 1, 0, 0, 0, 0, time.UTC), "1. maj 2061"},
	}
	for _, tt := range tests {
		if got := danishDate(tt.at); got != tt.want {
			t.Errorf("%v: %q, want %q", tt.at, got, tt.want)
		}
	}
	if got := minSec(212); got != "3:32" {
		t.Errorf("minSec(212) = %q", got)
	}
}

// TestTheReportFooterIsInTheCampaignsTimeZone: the time the report was
// made is written in the campaign's zone, like its period and days, with
// the zone's name, in winter and in summer.
func TestTheReportFooterIsInTheCampaignsTimeZone(t *testing.T) {
	cph, err := time.LoadLocation("Europe/Copenhagen")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		at   time.Time
		loc  *time.Location
		want string
	}{
		{time.Date(2026, 12, 2, 15, 4, 0, 0, time.UTC), cph, "Udarbejdet 2. dec. 2026 kl. 16:04 CET af sharecard"},
		{time.Date(2026, 7, 1, 22, 30, 0, 0, time.UTC), cph, "Udarbejdet 2. jul. 2026 kl. 00:30 CEST af sharecard"},
		{time.Date(2026, 12, 2, 15, 4, 0, 0, time.UTC), time.UTC, "Udarbejdet 2. dec. 2026 kl. 15:04 UTC af sharecard"},
	}
	for _, tt := range tests {
		day := time.Date(2026, 11, 1, 0, 0, 0, 0, tt.loc)
		r := &stats.Report{From: day, To: day.AddDate(0, 0, 1)}
		if got := buildOnePager("x", r, palette{}, tt.at.In(tt.loc)).Generated; got != tt.want {
			t.Errorf("%v in %v: %q, want %q", tt.at, tt.loc, got, tt.want)
		}
	}
}
