package server

import (
	"net/http/httptest"
	"testing"

	"github.com/sharecard/sharecard/internal/invite"
)

func benchFixture(b *testing.B) *fixture { return newFixture(b) }

func serve(b *testing.B, f *fixture, method, path string, header map[string]string, want int) {
	b.Helper()
	r := httptest.NewRequest(method, path, nil)
	r.RemoteAddr = "192.0.2.10:4000"
	r.Header.Set("User-Agent", "Mozilla/5.0 Safari/604.1")
	for k, v := range header {
		r.Header.Set(k, v)
	}
	b.ReportAllocs()
	for b.Loop() {
		w := httptest.NewRecorder()
		f.e.ServeHTTP(w, r)
		if w.Code != want {
			b.Fatalf("status %d", w.Code)
		}
	}
}

func BenchmarkInvitationPage(b *testing.B) {
	f := benchFixture(b)
	tok := f.token(invitation("Lars Hansen"))
	serve(b, f, "GET", "/i/"+tok, nil, 200)
}

func BenchmarkInvitationPageGzip(b *testing.B) {
	f := benchFixture(b)
	tok := f.token(invitation("Lars Hansen"))
	serve(b, f, "GET", "/i/"+tok, map[string]string{"Accept-Encoding": "gzip"}, 200)
}

func BenchmarkCachedImage(b *testing.B) {
	f := benchFixture(b)
	tok := f.token(invitation("Lars Hansen"))
	serve(b, f, "GET", "/i/"+tok+"/og.jpg", nil, 200)
}

func BenchmarkImageNotModified(b *testing.B) {
	f := benchFixture(b)
	tok := f.token(invitation("Lars Hansen"))
	w := httptest.NewRecorder()
	f.e.ServeHTTP(w, httptest.NewRequest("GET", "/i/"+tok+"/og.jpg", nil))
	serve(b, f, "GET", "/i/"+tok+"/og.jpg", map[string]string{"If-None-Match": w.Header().Get("ETag")}, 304)
}

func BenchmarkMintRow(b *testing.B) {
	f := benchFixture(b)
	camp, _ := demoCampaigns(b).Lookup("ligestilling")
	row := invite.Row{Name: "Lars Hansen", Title: "Adm. direktør", Org: "Novo Nordisk"}
	b.ReportAllocs()
	for b.Loop() {
		if r := f.app.share.MintRow(camp, row); r.Error != "" {
			b.Fatal(r.Error)
		}
	}
}
