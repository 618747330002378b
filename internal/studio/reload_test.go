package studio

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/sharecard/sharecard/internal/campaign"
	"github.com/sharecard/sharecard/internal/dashboard"
)

// A save under SHARECARD_ASSETS_DIR that does not validate is shown in the
// studio with its line, beside the live version that stayed.
func TestTheStudioShowsABrokenHotReload(t *testing.T) {
	dir := t.TempDir()
	fonts, _ := filepath.Abs(filepath.Join("..", "..", "fonts"))
	if err := os.Symlink(fonts, filepath.Join(dir, "fonts")); err != nil {
		t.Fatal(err)
	}
	camps := filepath.Join(dir, "assets", "campaigns")
	if err := os.MkdirAll(camps, 0o755); err != nil {
		t.Fatal(err)
	}
	good := demoYAML(t)
	if err := os.WriteFile(filepath.Join(camps, "ligestilling.yaml"), []byte(good), 0o644); err != nil {
		t.Fatal(err)
	}
	store, err := campaign.NewDirStore(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	lib := campaign.NewLibrary(campaign.LibraryOptions{Store: store, Files: os.DirFS(dir)})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if err := lib.Open(ctx, "assets/campaigns"); err != nil {
		t.Fatal(err)
	}
	ready := make(chan struct{})
	go campaign.HotReload(ctx, lib, dir, "assets/campaigns", slog.New(slog.DiscardHandler), ready)
	<-ready

	bad := strings.Replace(good, "locale: da_DK\n", "locale: da_DK\nbogus: 1\n", 1)
	line := strings.Count(good[:strings.Index(good, "locale: da_DK\n")], "\n") + 2
	if err := os.WriteFile(filepath.Join(camps, "ligestilling.yaml"), []byte(bad), 0o644); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(20 * time.Second)
	for {
		if _, ok := lib.ReloadFailed("ligestilling"); ok {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the broken save was not noted within 20 s")
		}
		time.Sleep(20 * time.Millisecond)
	}

	dash := dashboard.New(dashboard.Deps{Campaigns: lib, AdminToken: token})
	h, err := New(Deps{Library: lib, CSRF: dash.CSRF})
	if err != nil {
		t.Fatal(err)
	}
	e := echo.New()
	e.POST("/admin/login", dash.Login)
	e.GET("/admin/studio/:id", h.Page, dash.RequireSession)
	r := httptest.NewRequest(http.MethodPost, "/admin/login", strings.NewReader(url.Values{"token": {token}}.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	w := httptest.NewRecorder()
	e.ServeHTTP(w, r)
	r = httptest.NewRequest(http.MethodGet, "/admin/studio/ligestilling", nil)
	for _, c := range w.Result().Cookies() {
		r.AddCookie(c)
	}
	w = httptest.NewRecorder()
	e.ServeHTTP(w, r)
	body := w.Body.String()
	for _, want := range []string{"assets/campaigns/ligestilling.yaml", "validerer ikke", "Linje " + strconv.Itoa(line) + ": unknown key &#34;bogus&#34;"} {
		if !strings.Contains(body, want) {
			t.Errorf("the studio (%d) does not show %q", w.Code, want)
		}
	}
	// The editor holds the live version, not the broken save.
	if strings.Contains(body, "bogus: 1") {
		t.Error("the editor shows the broken save instead of the live version")
	}
}
