package cache

import (
	"bytes"
	"fmt"
	"log/slog"
	"math"
	"strings"
	"testing"
	"time"
)

func TestMemoryGetSet(t *testing.T) {
	m := NewMemory(1 << 20)
	if _, ok := m.Get("k"); ok {
		t.Fatal("an empty tier has an entry")
	}
	want := Entry{Body: []byte("png"), ContentType: "image/png", ETag: `"1"`}
	m.Set("k", want)
	got, ok := m.Get("k")
	if !ok || !bytes.Equal(got.Body, want.Body) || got.ContentType != want.ContentType || got.ETag != want.ETag {
		t.Fatalf("Get after Set = %+v %v, want %+v", got, ok, want)
	}
}

func TestMemoryIsBoundedByBytes(t *testing.T) {
	tests := []struct {
		name    string
		max     int64
		entries int
		size    int
	}{
		{"forty 100 KB entries stay within 1 MiB", 1 << 20, 40, 100_000},
		{"a thousand 5 KB entries stay within 256 KiB", 256 << 10, 1000, 5_000},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := NewMemory(tt.max)
			for i := range tt.entries {
				m.Set(fmt.Sprint("k", i), Entry{Body: make([]byte, tt.size)})
			}
			m.c.CleanUp()
			if got := m.Bytes(); got > uint64(tt.max) || got == 0 {
				t.Errorf("holds %d bytes, want 0 < n <= %d", got, tt.max)
			}
			if m.Len() >= tt.entries {
				t.Errorf("holds all %d entries, want some evicted", m.Len())
			}
		})
	}
}

func TestMemoryWeighsWhatABodyKeepsAlive(t *testing.T) {
	tests := []struct {
		name    string
		body    []byte
		atLeast uint64
		atMost  uint64
	}{
		{"an exact body weighs its length", make([]byte, 1000), 1000, 1000 + 300},
		{"a slice of a larger buffer weighs the buffer", make([]byte, 1000, 4000), 4000, 4000 + 300},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := NewMemory(1 << 20)
			m.Set("k", Entry{Body: tt.body, ContentType: "image/jpeg", ETag: `"1"`})
			m.c.CleanUp()
			if got := m.Bytes(); got < tt.atLeast || got > tt.atMost {
				t.Errorf("weighs %d bytes, want %d-%d", got, tt.atLeast, tt.atMost)
			}
		})
	}
}

func TestMemoryDoesNotStoreAnEntryLargerThanItself(t *testing.T) {
	m := NewMemory(1000)
	m.Set("small", Entry{Body: make([]byte, 100)})
	m.Set("huge", Entry{Body: make([]byte, 2000)})
	if _, ok := m.Get("huge"); ok {
		t.Error("an entry larger than the tier was stored")
	}
	if _, ok := m.Get("small"); !ok {
		t.Error("an entry larger than the tier pushed out the small one")
	}
}

func TestMemoryDefaultBound(t *testing.T) {
	if got := NewMemory(0).MaxBytes(); got != DefaultMemoryBytes {
		t.Errorf("NewMemory(0) bound = %d, want %d", got, DefaultMemoryBytes)
	}
}

func TestKeyIsAContentAddress(t *testing.T) {
	a := Key("ligestilling", "v3", "og", "jpg", "q88", "Lars Hansen", "", "")
	tests := []struct {
		name string
		b    string
		same bool
	}{
		{"the same parts give the same key", Key("ligestilling", "v3", "og", "jpg", "q88", "Lars Hansen", "", ""), true},
		{"another template version gives another key", Key("ligestilling", "v4", "og", "jpg", "q88", "Lars Hansen", "", ""), false},
		{"moving a space between parts gives another key", Key("ligestilling", "v3", "og", "jpg", "q88", "Lars", "Hansen", ""), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if (a == tt.b) != tt.same {
				t.Errorf("Key: %s vs %s, same=%v", a, tt.b, tt.same)
			}
		})
	}
	// Keys are ETags and live in Redis for a month: the same parts must give
	// the same key from one release to the next.
	if want := "sharecard:v1:img:6f1f162814905c41433db67bc05c209c"; Key("ligestilling", "v3", "og", "jpg", "q88", "Lars Hansen", "", "") != want {
		t.Errorf("Key changed: got %s, want %s", Key("ligestilling", "v3", "og", "jpg", "q88", "Lars Hansen", "", ""), want)
	}
	if long := Key(strings.Repeat("x", 2000), "y"); len(long) != len(a) {
		t.Errorf("a key of long parts is %q", long)
	}
}

func TestOptionsLeftUnsetTakeTheDefaults(t *testing.T) {
	tests := []struct {
		name      string
		got, want time.Duration
	}{
		{"a zero duration takes the default", orDefault(0, time.Minute), time.Minute},
		{"a negative duration takes the default, never reaching Redis", orDefault(-time.Nanosecond, time.Minute), time.Minute},
		{"a positive duration is kept", orDefault(time.Second, time.Minute), time.Second},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s: got %v, want %v", tt.name, tt.got, tt.want)
		}
	}
	c := New(Options{LockTTL: -time.Second})
	t.Cleanup(func() { c.Close() })
	if c.lockTTL != DefaultLockTTL || c.renderTimeout != DefaultRenderTimeout {
		t.Errorf("New: lock TTL %v, render timeout %v; want the defaults %v, %v", c.lockTTL, c.renderTimeout, DefaultLockTTL, DefaultRenderTimeout)
	}
}

func TestATierAboveHalfTheMemoryLimitIsWarnedAbout(t *testing.T) {
	tests := []struct {
		name  string
		tier  uint64
		limit int64
		warn  bool
	}{
		{"no GOMEMLIMIT, no warning", 256 << 20, math.MaxInt64, false},
		{"a 64 MiB tier under a 192 MiB limit is fine", 64 << 20, 192 << 20, false},
		{"half the limit exactly is fine", 128 << 20, 256 << 20, false},
		{"the default 256 MiB tier under a 384 MiB limit is warned about", 256 << 20, 384 << 20, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			warnAboveMemoryLimit(tt.tier, tt.limit, slog.New(slog.NewTextHandler(&buf, nil)))
			if got := strings.Contains(buf.String(), "level=WARN"); got != tt.warn {
				t.Errorf("warned %v, want %v: %q", got, tt.warn, buf.String())
			}
		})
	}
}
