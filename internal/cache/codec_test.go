package cache

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

func TestCodecRoundTrip(t *testing.T) {
	tests := []struct {
		name string
		e    Entry
	}{
		{"a JPEG with its metadata comes back byte for byte", Entry{Body: []byte("\xff\xd8\xff\xe0jpeg"), ContentType: "image/jpeg", ETag: `"abc"`}},
		{"an empty body comes back empty", Entry{ContentType: "image/png", ETag: `"e"`}},
		{"empty metadata comes back empty", Entry{Body: []byte{0, 1, 2}}},
		{"a 1 MiB body comes back whole", Entry{Body: bytes.Repeat([]byte{7}, 1<<20), ContentType: "image/png", ETag: `"big"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := encode(tt.e)
			if err != nil {
				t.Fatal(err)
			}
			got, err := decode(b)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got.Body, tt.e.Body) || got.ContentType != tt.e.ContentType || got.ETag != tt.e.ETag {
				t.Errorf("got %q %q %d bytes, want %q %q %d bytes", got.ContentType, got.ETag, len(got.Body), tt.e.ContentType, tt.e.ETag, len(tt.e.Body))
			}
		})
	}
}

func TestCodecRefusesForeignValues(t *testing.T) {
	good, _ := encode(Entry{Body: []byte("body"), ContentType: "image/png", ETag: `"x"`})
	tests := []struct {
		name string
		b    []byte
	}{
		{"an empty value is refused", nil},
		{"a JSON value is refused", []byte(`{"body":"..."}`)},
		{"a value of another layout version is refused", append([]byte("sc\x02"), good[3:]...)},
		{"a header cut short is refused", good[:5]},
		{"a length past the end is refused", []byte("sc\x01\x7fimage")},
		{"an overlong varint is refused", []byte("sc\x01\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := decode(tt.b); !errors.Is(err, errBadValue) {
				t.Errorf("decode(%q) = %v, want errBadValue", tt.b, err)
			}
		})
	}
}

func TestCodecRefusesOverlongMetadata(t *testing.T) {
	if _, err := encode(Entry{ContentType: strings.Repeat("x", maxMetaLen+1)}); err == nil {
		t.Error("encode accepted a content type over the limit")
	}
}

func FuzzDecode(f *testing.F) {
	good, _ := encode(Entry{Body: []byte("body"), ContentType: "image/png", ETag: `"x"`})
	f.Add(good)
	f.Add([]byte("sc\x01"))
	f.Fuzz(func(t *testing.T, b []byte) {
		e, err := decode(b)
		if err != nil {
			return
		}
		again, err := encode(e)
		if err != nil {
			t.Fatalf("decoded value does not encode: %v", err)
		}
		if _, err := decode(again); err != nil {
			t.Fatalf("re-encoded value does not decode: %v", err)
		}
	})
}
