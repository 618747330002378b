package studio

import (
	"bytes"
	"context"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/png"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/sharecard/sharecard/internal/campaign"
)

// upload sends a file as the studio's form does.
func (f *fixture) upload(id, filename, name string, data []byte, csrf string, json bool) *httptest.ResponseRecorder {
	f.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	if csrf == "" {
		csrf = f.csrf
	}
	_ = mw.WriteField("csrf", csrf)
	if name != "" {
		_ = mw.WriteField("name", name)
	}
	if filename != "" {
		fw, _ := mw.CreateFormFile("file", filename)
		_, _ = fw.Write(data)
	}
	_ = mw.Close()
	r := httptest.NewRequest(http.MethodPost, "/admin/studio/"+id+"/asset", &buf)
	r.Header.Set("Content-Type", mw.FormDataContentType())
	if json {
		r.Header.Set("Accept", "application/json")
	}
	r.AddCookie(f.cookie)
	w := httptest.NewRecorder()
	f.e.ServeHTTP(w, r)
	return w
}

func pngFile(t testing.TB, w, h int, c color.Color) []byte {
	t.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, c)
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestUploadAnAssetInTheStudio: a designer uploads an image from the
// studio; it becomes a new version with the published file, the page
// lists it, and a draft that names it previews with it, while the draft
// in the editor was never published.
func TestUploadAnAssetInTheStudio(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	before, _ := f.lib.Lookup("ligestilling")

	w := f.upload("ligestilling", "Rød plet.png", "", pngFile(t, 40, 40, color.NRGBA{200, 0, 0, 255}), "", true)
	if w.Code != http.StatusOK {
		t.Fatalf("upload: %d %s", w.Code, w.Body)
	}
	got := decode[uploadJSON](t, w)
	after, _ := f.lib.Lookup("ligestilling")
	if got.Name != "Rød plet.png" || got.Version == "" || got.Version != after.Version || after.Version == before.Version {
		t.Errorf("upload answered %+v; the campaign went from %s to %s", got, before.Version, after.Version)
	}
	if len(got.Assets) != 1 || got.Assets[0].Name != "Rød plet.png" || got.Assets[0].Kind != "Billede" {
		t.Errorf("the answer lists %+v", got.Assets)
	}
	_, _, yaml, err := f.lib.Get(ctx, "ligestilling", "")
	if err != nil || string(yaml) != demoYAML(t) {
		t.Errorf("the upload changed the published file (%v)", err)
	}
	if page := f.get("/admin/studio/ligestilling", true).Body.String(); !strings.Contains(page, "<code>Rød plet.png</code>") {
		t.Error("the studio page does not list the uploaded file")
	}

	// A draft naming the file previews with it: the og card has a red
	// square where the layer puts it.
	stops := "        stops: [[0, night], [0.55, \"#121d33\"], [1, deep]]\n"
	draft := strings.Replace(demoYAML(t), stops, stops+"      - {type: image, src: Rød plet.png, box: [0, 0, 100, 100], fit: stretch}\n", 1)
	if draft == demoYAML(t) {
		t.Fatal("the demo campaign's og layers moved; update the test")
	}
	pw := f.post(post{path: "/admin/studio/ligestilling/preview", fields: map[string]string{"yaml": draft, "name": "Bo Ek", "variant": "og"}})
	if pw.Code != http.StatusOK {
		t.Fatalf("preview of a draft naming the upload: %d %s", pw.Code, pw.Body)
	}
	img, _, err := image.Decode(bytes.NewReader(pw.Body.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if r, g, b, _ := img.At(50, 50).RGBA(); r>>8 < 150 || g>>8 > 60 || b>>8 > 60 {
		t.Errorf("the uploaded image is not drawn: (50, 50) is %d,%d,%d", r>>8, g>>8, b>>8)
	}

	// Deleting it: refused while the published file names it, with the
	// place; gone in a new version once it does not.
	if _, err := f.lib.Publish(ctx, "ligestilling", []byte(draft), ""); err != nil {
		t.Fatal(err)
	}
	dw := f.post(post{path: "/admin/studio/ligestilling/asset/delete", fields: map[string]string{"name": "Rød plet.png"}, json: true})
	if dw.Code != http.StatusUnprocessableEntity || !strings.Contains(dw.Body.String(), "bruger stadig Rød plet.png") || !strings.Contains(dw.Body.String(), "ligestilling.yaml:") {
		t.Errorf("deleting a file the campaign names: %d %s", dw.Code, dw.Body)
	}
	if _, err := f.lib.Publish(ctx, "ligestilling", []byte(demoYAML(t)), ""); err != nil {
		t.Fatal(err)
	}
	named, _ := f.lib.Lookup("ligestilling")
	dw = f.post(post{path: "/admin/studio/ligestilling/asset/delete", fields: map[string]string{"name": "Rød plet.png"}, json: true})
	if dw.Code != http.StatusOK {
		t.Fatalf("delete: %d %s", dw.Code, dw.Body)
	}
	if d := decode[uploadJSON](t, dw); len(d.Assets) != 0 || d.Version == named.Version || !strings.Contains(d.Message, "er slettet") {
		t.Errorf("delete answered %+v (the campaign was at %s)", d, named.Version)
	}
	dw = f.post(post{path: "/admin/studio/ligestilling/asset/delete", fields: map[string]string{"name": "Rød plet.png"}, json: true})
	if dw.Code != http.StatusNotFound || !strings.Contains(dw.Body.String(), "ingen fil ved navn") {
		t.Errorf("deleting it again: %d %s", dw.Code, dw.Body)
	}

	// A plain form post (no script) comes back to the studio with a note.
	w = f.upload("ligestilling", "logo.png", "", pngFile(t, 4, 4, color.White), "", false)
	if w.Code != http.StatusSeeOther || !strings.Contains(w.Header().Get("Location"), "uploaded=logo.png") {
		t.Errorf("a form post answered %d to %q", w.Code, w.Header().Get("Location"))
	}
	if page := f.get(w.Header().Get("Location"), true).Body.String(); !strings.Contains(page, "logo.png er lagt op") {
		t.Error("the studio does not say the upload worked")
	}
	w = f.post(post{path: "/admin/studio/ligestilling/asset/delete", fields: map[string]string{"name": "logo.png"}})
	if w.Code != http.StatusSeeOther || !strings.Contains(w.Header().Get("Location"), "deleted=logo.png") {
		t.Errorf("a delete form post answered %d to %q", w.Code, w.Header().Get("Location"))
	}
	if a, _ := f.lib.Assets(ctx, "ligestilling"); len(a) != 0 {
		t.Errorf("after the deletes the campaign keeps %v", a)
	}
}

// TestTheStudioRefusesBadUploads: every bad upload gets its status and a
// message that says what to fix, and changes nothing.
func TestTheStudioRefusesBadUploads(t *testing.T) {
	f := newFixture(t)
	bomb := pngFile(t, 1, 1, color.Black)
	copy(bomb[16:24], []byte{0, 1, 0x86, 0xa0, 0, 1, 0x86, 0xa0})
	binary.BigEndian.PutUint32(bomb[29:33], crc32.ChecksumIEEE(bomb[12:29]))
	big := append(pngFile(t, 1, 1, color.Black), make([]byte, campaign.MaxAssetBytes)...)
	tests := []struct {
		name, filename, as string
		data               []byte
		csrf               string
		status             int
		wantIn             string
	}{
		{"no file", "", "", nil, "", http.StatusBadRequest, "Vælg en fil"},
		{"a name with a slash", "x.png", "a/b.png", pngFile(t, 1, 1, color.Black), "", http.StatusUnprocessableEntity, "kan ikke bruges"},
		{"a name with ..", "x.png", "..png", pngFile(t, 1, 1, color.Black), "", http.StatusUnprocessableEntity, "kan ikke bruges"},
		{"a name without a known ending", "notes.txt", "", []byte("hello"), "", http.StatusUnprocessableEntity, ".png, .jpg"},
		{"a file of another kind", "a.png", "", []byte("GIF89a......"), "", http.StatusUnsupportedMediaType, "hverken"},
		{"a PNG named as a font", "a.ttf", "", pngFile(t, 1, 1, color.Black), "", http.StatusUnprocessableEntity, "holds a png file"},
		{"a font that does not parse", "a.otf", "", append([]byte("OTTO"), make([]byte, 64)...), "", http.StatusUnprocessableEntity, "kan ikke læses"},
		{"a decompression bomb", "a.png", "", bomb, "", http.StatusUnprocessableEntity, "100000×100000"},
		{"a file over 5 MiB", "big.png", "", big, "", http.StatusRequestEntityTooLarge, "5 MiB"},
		{"a forged form", "x.png", "", pngFile(t, 1, 1, color.Black), "forged", http.StatusForbidden, ""},
	}
	before, _ := f.lib.Lookup("ligestilling")
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			w := f.upload("ligestilling", tc.filename, tc.as, tc.data, tc.csrf, true)
			if w.Code != tc.status || !strings.Contains(w.Body.String(), tc.wantIn) {
				t.Errorf("got %d %.300s; want %d with %q", w.Code, w.Body, tc.status, tc.wantIn)
			}
		})
	}
	if after, _ := f.lib.Lookup("ligestilling"); after.Version != before.Version {
		t.Error("a refused upload made a new version")
	}
	if a, _ := f.lib.Assets(context.Background(), "ligestilling"); len(a) != 0 {
		t.Errorf("refused uploads were kept: %v", a)
	}
	// Without script the refusal is the studio page with the message.
	w := f.upload("ligestilling", "a.png", "", []byte("GIF89a......"), "", false)
	if w.Code != http.StatusUnsupportedMediaType || !strings.Contains(w.Body.String(), `id="studio"`) || !strings.Contains(w.Body.String(), "hverken") {
		t.Errorf("a form post's refusal: %d %.300s", w.Code, w.Body)
	}
}
