package stats

import (
	"context"
	"testing"

	"github.com/sharecard/sharecard/internal/testredis"
)

// BenchmarkRecord measures the request side: what a handler pays to record
// one event. The flusher runs concurrently, as in the server.
func BenchmarkRecord(b *testing.B) {
	run := func(b *testing.B, o Options) {
		o.BufferSize = 1 << 16
		r := NewRecorder(o)
		defer r.Close(context.Background())
		e := Event{Kind: PageView, Campaign: "ligestilling", Token: tokenLars, IP: "198.51.100.7", UserAgent: chrome, Human: true}
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			r.Record(e)
		}
		b.StopTimer()
		b.ReportMetric(float64(r.Dropped())/float64(b.N), "dropped/op")
	}
	b.Run("embedded", func(b *testing.B) { run(b, Options{}) })
	b.Run("redis", func(b *testing.B) {
		c, prefix := testredis.Client(b)
		run(b, Options{Redis: c, Prefix: prefix})
	})
}

// BenchmarkFold measures the flusher side: turning one page view into
// counter increments (salted hash included).
func BenchmarkFold(b *testing.B) {
	r := NewRecorder(Options{FlushInterval: 1 << 40})
	defer r.Close(context.Background())
	// Stop the loop from racing with the benchmark: use a private copy.
	f := &Buffered{Store: r.Store, met: r.met, pending: newBatch(), buckets: map[string]*bucketKeys{}, ids: map[string]string{}, salts: newSalts(r.be, r.k, r.o.Now, r.o.Timeout)}
	f.o.MaxPending = 1 << 30
	e := Event{Kind: PageView, Campaign: "ligestilling", Token: tokenLars, IP: "198.51.100.7", UserAgent: chrome, Human: true}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		f.fold(e)
	}
}

// BenchmarkCrawler is the per-request classification the server runs.
func BenchmarkCrawler(b *testing.B) {
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		Crawler("GET", chrome)
	}
}
