package card

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"strings"
	"sync"
	"testing"
)

func TestPNGRoundTripsExactly(t *testing.T) {
	opaque, err := Render(testTemplate(t, nil, nameBox(t)), Fields{Name: "Anne-Marie Søndergaard"})
	if err != nil {
		t.Fatal(err)
	}
	// A translucent image exercises the RGBA path and un-premultiplying.
	clear := image.NewRGBA(image.Rect(0, 0, 64, 48))
	for y := 0; y < 48; y++ {
		for x := 0; x < 64; x++ {
			clear.Set(x, y, color.NRGBA{uint8(x * 4), uint8(y * 5), 200, uint8(x*4 + y)})
		}
	}
	tests := []struct {
		name      string
		img       *image.RGBA
		tolerance int
	}{
		{"an opaque card decodes to the same pixels", opaque, 0},
		{"a translucent image decodes to the same pixels within rounding", clear, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := Encode(&buf, tc.img, PNG, EncodeOptions{}); err != nil {
				t.Fatal(err)
			}
			got, err := png.Decode(&buf)
			if err != nil {
				t.Fatalf("image/png cannot read the output: %v", err)
			}
			if got.Bounds() != tc.img.Bounds() {
				t.Fatalf("bounds %v, want %v", got.Bounds(), tc.img.Bounds())
			}
			b := tc.img.Bounds()
			for y := b.Min.Y; y < b.Max.Y; y++ {
				for x := b.Min.X; x < b.Max.X; x++ {
					r, g, bb, a := got.At(x, y).RGBA()
					w := tc.img.RGBAAt(x, y)
					for i, pair := range [][2]uint32{{r >> 8, uint32(w.R)}, {g >> 8, uint32(w.G)}, {bb >> 8, uint32(w.B)}, {a >> 8, uint32(w.A)}} {
						if d := int(pair[0]) - int(pair[1]); d > tc.tolerance || d < -tc.tolerance {
							t.Fatalf("pixel (%d,%d) channel %d = %d, want %d", x, y, i, pair[0], pair[1])
						}
					}
				}
			}
		})
	}
}

func TestJPEGDecodes(t *testing.T) {
	img, err := Render(testTemplate(t, nil, nameBox(t)), Fields{Name: "Lars"})
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []int{0, 1, 50, 100, 150} {
		var buf bytes.Buffer
		if err := Encode(&buf, img, JPEG, EncodeOptions{JPEGQuality: q}); err != nil {
			t.Fatalf("quality %d: %v", q, err)
		}
		got, err := jpeg.Decode(&buf)
		if err != nil {
			t.Fatalf("quality %d: %v", q, err)
		}
		if got.Bounds() != img.Bounds() {
			t.Fatalf("quality %d: bounds %v, want %v", q, got.Bounds(), img.Bounds())
		}
	}
}

func TestEncodeOptionsString(t *testing.T) {
	tests := []struct {
		name  string
		a, b  EncodeOptions
		equal bool
	}{
		{"no quality means the default quality", EncodeOptions{}, EncodeOptions{JPEGQuality: DefaultJPEGQuality}, true},
		{"different qualities give different keys", EncodeOptions{JPEGQuality: 80}, EncodeOptions{JPEGQuality: 90}, false},
		{"out-of-range qualities are clamped like the encoder clamps them", EncodeOptions{JPEGQuality: 500}, EncodeOptions{JPEGQuality: 100}, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.a.String() == tc.b.String(); got != tc.equal {
				t.Errorf("%q == %q is %v, want %v", tc.a, tc.b, got, tc.equal)
			}
		})
	}
	s := EncodeOptions{}.String()
	for _, part := range []string{jpegEncoderName, "q88", pngEncoderName} {
		if !strings.Contains(s, part) {
			t.Errorf("%q does not name %q", s, part)
		}
	}
}

func TestParseFormat(t *testing.T) {
	tests := []struct {
		in   string
		want Format
		ok   bool
	}{
		{"png", PNG, true}, {".png", PNG, true}, {"JPG", JPEG, true}, {"jpeg", JPEG, true}, {".jpg", JPEG, true},
		{"gif", "", false}, {"", "", false},
	}
	for _, tc := range tests {
		got, ok := ParseFormat(tc.in)
		if got != tc.want || ok != tc.ok {
			t.Errorf("ParseFormat(%q) = %q, %v; want %q, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
	if PNG.ContentType() != "image/png" || JPEG.ContentType() != "image/jpeg" {
		t.Error("content types are wrong")
	}
}

func TestRenderIsDeterministicAndConcurrencySafe(t *testing.T) {
	tpl := testTemplate(t, nil, nameBox(t), TextBox{Text: "{{byline}}", Font: testFont(t, "Inter-Regular.otf"), Size: 20,
		Color: color.NRGBA{200, 200, 200, 255}, Box: Rect{X: 100, Y: 240, W: 600, H: 30}})
	names := []string{"Lars", "Anne-Marie Søndergaard-Østergaard Kristiansen", "Zoë Łucja O'Brien-Müller Straße", "Ærø Åse"}
	type job struct {
		name string
		f    Format
		q    int
	}
	var jobs []job
	for _, n := range names {
		for _, f := range []Format{PNG, JPEG} {
			for _, q := range []int{70, 88} {
				jobs = append(jobs, job{n, f, q})
			}
		}
	}
	// The expected bytes come from a second template, so the concurrent
	// renders below are the first ones of theirs and race to build its
	// per-quality caches.
	ref := testTemplate(t, nil, tpl.personal...)
	want := map[job][]byte{}
	for _, j := range jobs {
		b, err := RenderBytes(ref, Fields{Name: j.name, Title: "Direktør", Org: "Ørsted"}, j.f, EncodeOptions{JPEGQuality: j.q})
		if err != nil {
			t.Fatal(err)
		}
		want[j] = b
	}
	var wg sync.WaitGroup
	errs := make(chan string, 256)
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := range jobs {
				j := jobs[(k+i)%len(jobs)]
				b, err := RenderBytes(tpl, Fields{Name: j.name, Title: "Direktør", Org: "Ørsted"}, j.f, EncodeOptions{JPEGQuality: j.q})
				if err != nil {
					errs <- err.Error()
					return
				}
				if !bytes.Equal(b, want[j]) {
					errs <- fmt.Sprintf("different bytes for %+v", j)
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}

// The image cache keeps RenderBytes' results by the thousand and counts
// their length: a result must hold exactly its bytes, not a slice of a
// buffer sized for the worst case, and must not share memory with the
// pooled scratch the next render writes into.
func TestRenderBytesKeepsOnlyItsBytes(t *testing.T) {
	translucent, err := Compile(Spec{Variant: "test", Width: 800, Height: 300, Layers: []Layer{
		Fill{Color: color.NRGBA{10, 20, 40, 128}}, nameBox(t)}})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		tpl    *Template
		format Format
		// warm are qualities rendered first, to use up the template's
		// pre-encoded JPEG plans.
		warm    []int
		quality int
	}{
		{"a JPEG spliced from pre-encoded rows", testTemplate(t, nil, nameBox(t)), JPEG, nil, 0},
		{"a JPEG at a quality past the planned ones, encoded in full", testTemplate(t, nil, nameBox(t)), JPEG, []int{60, 61, 62, 63}, 64},
		{"a PNG spliced from pre-compressed bands", testTemplate(t, nil, nameBox(t)), PNG, nil, 0},
		{"a PNG of a translucent design, encoded in full", translucent, PNG, nil, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for _, q := range tc.warm {
				if _, err := RenderBytes(tc.tpl, Fields{Name: "Warm"}, tc.format, EncodeOptions{JPEGQuality: q}); err != nil {
					t.Fatal(err)
				}
			}
			o := EncodeOptions{JPEGQuality: tc.quality}
			first, err := RenderBytes(tc.tpl, Fields{Name: "Lars Hansen"}, tc.format, o)
			if err != nil {
				t.Fatal(err)
			}
			if cap(first) != len(first) {
				t.Errorf("the result has cap %d for %d bytes, want cap == len", cap(first), len(first))
			}
			kept := bytes.Clone(first)
			if _, err := RenderBytes(tc.tpl, Fields{Name: "Anne-Marie Søndergaard"}, tc.format, o); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(first, kept) {
				t.Error("the next render changed a result already returned")
			}
		})
	}
}

func TestCompileRejectsBadSpecs(t *testing.T) {
	garamond := testFont(t, "EBGaramond12-Regular.otf")
	tests := []struct {
		name  string
		spec  Spec
		want  string
		layer int
	}{
		{"a canvas without size", Spec{Width: 0, Height: 10}, "each side must be", -1},
		{"a layer outside the canvas", Spec{Width: 100, Height: 100, Layers: []Layer{Fill{}, Shape{Box: Rect{X: 50, Y: 50, W: 60, H: 10}, Fill: color.NRGBA{A: 255}}}}, "outside the 100×100 canvas", 1},
		{"a text box without a font", Spec{Width: 100, Height: 100, Layers: []Layer{TextBox{Text: "x", Size: 10, Box: Rect{W: 10, H: 10}}}}, "no font", 0},
		{"a minimum size above the size", Spec{Width: 100, Height: 100, Layers: []Layer{TextBox{Text: "x", Font: garamond, Size: 10, MinSize: 20, Box: Rect{W: 10, H: 10}}}}, "minimum size", 0},
		{"a text box too low for one line", Spec{Width: 100, Height: 100, Layers: []Layer{TextBox{Text: "x", Font: garamond, Size: 40, Box: Rect{W: 100, H: 20}}}}, "one line at 40 px needs 40 px", 0},
		{"a picture without an image", Spec{Width: 100, Height: 100, Layers: []Layer{Picture{Box: Rect{W: 10, H: 10}}}}, "no image", 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Compile(tc.spec)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error = %v, want one containing %q", err, tc.want)
			}
			if tc.layer >= 0 {
				var le *LayerError
				if !asLayerError(err, &le) || le.Index != tc.layer {
					t.Errorf("error %v does not point at layer %d", err, tc.layer)
				}
			}
		})
	}
}

func asLayerError(err error, target **LayerError) bool {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		for _, e := range j.Unwrap() {
			if asLayerError(e, target) {
				return true
			}
		}
		return false
	}
	le, ok := err.(*LayerError)
	if ok {
		*target = le
	}
	return ok
}

func TestVersionFollowsTheDesign(t *testing.T) {
	garamond, inter := testFont(t, "EBGaramond12-Regular.otf"), testFont(t, "Inter-Regular.otf")
	spec := func(f *Font, c uint8) Spec {
		return Spec{Variant: "og", Width: 200, Height: 100, Layers: []Layer{
			Fill{Color: color.NRGBA{c, 0, 0, 255}},
			TextBox{Text: "{{name}}", Font: f, Size: 20, Box: Rect{W: 200, H: 40}},
		}}
	}
	version := func(s Spec) string {
		tpl, err := Compile(s)
		if err != nil {
			t.Fatal(err)
		}
		return tpl.Version
	}
	base := version(spec(garamond, 1))
	if again := version(spec(garamond, 1)); again != base {
		t.Errorf("the same design compiled twice has versions %s and %s", base, again)
	}
	if v := version(spec(garamond, 2)); v == base {
		t.Error("changing a colour kept the version")
	}
	if v := version(spec(inter, 1)); v == base {
		t.Error("changing the font kept the version")
	}
}
