package cache

import (
	"context"
	"fmt"
	"testing"
)

// The benchmarks price each way a request is answered; the body is a
// 32 KB image-sized value.

func BenchmarkMemoryHit(b *testing.B) {
	c := NewMemoryOnly(64 << 20)
	b.Cleanup(func() { c.Close() })
	key := Key("bench memory")
	r := &renderer{}
	if _, err := c.GetOrRender(context.Background(), key, r.for_(key)); err != nil {
		b.Fatal(err)
	}
	render := r.for_(key)
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := c.GetOrRender(context.Background(), key, render); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkRedisHit(b *testing.B) {
	rc, prefix := sharedRedis(b)
	c := New(Options{Redis: rc, Prefix: prefix, MemoryBytes: -1})
	b.Cleanup(func() { c.Close() })
	key := Key("bench redis")
	r := &renderer{}
	body := bodyFor(key)
	if err := c.redis.Set(context.Background(), key, Entry{Body: body, ContentType: "image/png"}); err != nil {
		b.Fatal(err)
	}
	render := r.for_(key)
	b.ReportAllocs()
	b.SetBytes(int64(len(body)))
	b.ResetTimer()
	for b.Loop() {
		if _, err := c.GetOrRender(context.Background(), key, render); err != nil {
			b.Fatal(err)
		}
	}
	if r.calls.Load() != 0 {
		b.Fatalf("%d renders, want Redis hits only", r.calls.Load())
	}
}

func BenchmarkMissAndRender(b *testing.B) {
	c := NewMemoryOnly(64 << 20)
	b.Cleanup(func() { c.Close() })
	entry := Entry{Body: bodyFor("stub"), ContentType: "image/png", ETag: `"stub"`}
	render := func(context.Context) (Entry, error) { return entry, nil }
	keys := make([]string, 0, 1<<16)
	for i := range cap(keys) {
		keys = append(keys, Key("bench miss", fmt.Sprint(i)))
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if i == len(keys) {
			b.StopTimer()
			c.Close()
			c = NewMemoryOnly(64 << 20)
			i = 0
			b.StartTimer()
		}
		if _, err := c.GetOrRender(context.Background(), keys[i], render); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

func BenchmarkKey(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		_ = Key("ligestilling", "3f2a9c1d", "og", "jpg", "q88", "Lars Hansen", "Adm. direktør", "Danske Virksomheder A/S")
	}
}
