package stats

import (
	"cmp"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"log/slog"
	"math"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/redis/go-redis/v9"
)

// Options configure the buffered recorder. A nil Redis keeps the counters
// in memory (embedded mode). Zero values get the defaults below.
type Options struct {
	Redis         redis.UniversalClient
	BufferSize    int           // events the request side may queue; default 8192
	FlushInterval time.Duration // how often counts are written; default 1s
	Log           *slog.Logger
	Metrics       prometheus.Registerer // may be nil

	// Prefix starts every key; default "sharecard:stats:". Tests use a
	// prefix of their own.
	Prefix string
	// Retention is every counter's time to live, renewed on each write;
	// default 400 days, so a campaign can be compared with last year's.
	Retention time.Duration
	// MaxPending bounds the distinct counter entries held while Redis is
	// unreachable; default 200,000 (a few tens of MB at most).
	MaxPending int
	// Timeout bounds one write to Redis; default 2s.
	Timeout time.Duration
	// Now is the clock; default time.Now. Tests move it.
	Now func() time.Time
	// Zone is a campaign's time zone, where its days begin and end (its
	// timezone:): the daily numbers, unique visitors and what counts once
	// a day follow it. nil, or a nil answer: UTC.
	Zone func(campaign string) *time.Location

	// wrap lets the package's tests put a faulty store in the recorder's
	// path (a write that lands but whose reply is lost).
	wrap func(backend) backend
}

// Defaults.
const (
	DefaultBufferSize    = 8192
	DefaultFlushInterval = time.Second
	DefaultPrefix        = "sharecard:stats:"
	DefaultRetention     = 400 * 24 * time.Hour
	DefaultMaxPending    = 200_000
	DefaultTimeout       = 2 * time.Second
	// foldInterval is how often the recorder folds what is buffered.
	foldInterval = 5 * time.Millisecond
	// maxEngaged caps one engaged-time beacon: a tab left open overnight
	// is not 8 hours of reading.
	maxEngaged = 30 * time.Minute
)

func (o Options) withDefaults() Options {
	// A negative size or duration means the default, as zero does.
	o.BufferSize = cmp.Or(max(o.BufferSize, 0), DefaultBufferSize)
	o.FlushInterval = cmp.Or(max(o.FlushInterval, 0), DefaultFlushInterval)
	o.Retention = cmp.Or(max(o.Retention, 0), DefaultRetention)
	o.MaxPending = cmp.Or(max(o.MaxPending, 0), DefaultMaxPending)
	o.Timeout = cmp.Or(max(o.Timeout, 0), DefaultTimeout)
	o.Prefix = cmp.Or(o.Prefix, DefaultPrefix)
	o.Log = cmp.Or(o.Log, slog.New(slog.DiscardHandler))
	if o.Now == nil { // a func is not comparable, so not for cmp.Or
		o.Now = time.Now
	}
	return o
}

// Buffered records events into a bounded buffer flushed in batches. It is
// also a Reader of the numbers it writes (in embedded mode the only one).
type Buffered struct {
	*Store
	ch       chan Event
	flushReq chan chan error
	done     chan struct{}
	stopped  chan struct{}
	closed   atomic.Bool
	once     sync.Once
	met      *metrics
	dropped  atomic.Uint64

	// Owned by the loop goroutine.
	pending  *batch
	inflight *batch
	retry    *batch // a batch whose write failed: sent again, as it is, first
	salts    *salts
	failing  bool
	buckets  map[string]*bucketKeys // campaign → key names of its current hour
	ids      map[string]string      // token → InvitationID, bounded
}

// bucketKeys are one campaign's key names for the part of an hour that
// lies in one of its days, kept so folding an event there formats no
// time and joins no strings.
type bucketKeys struct {
	from, until                 time.Time // the span the keys hold for
	loc                         *time.Location
	day                         time.Time // the campaign's day, at its midnight
	hourKey, uniquesKey, topKey string
	rank                        rankRef
	invPrefix                   string // invitation key up to the id
}

// maxIDCache bounds the token → InvitationID cache; it is cleared when
// full (a day's active invitations fit many times over).
const maxIDCache = 4096

// zone is campaign c's time zone.
func (b *Buffered) zone(c string) *time.Location {
	if b.o.Zone != nil {
		if loc := b.o.Zone(c); loc != nil {
			return loc
		}
	}
	return time.UTC
}

func (b *Buffered) bucket(c string, at time.Time) *bucketKeys {
	bk := b.buckets[c]
	if bk == nil || at.Before(bk.from) || !at.Before(bk.until) {
		if bk == nil && len(b.buckets) > 1000 {
			clear(b.buckets) // ids are validated, but bound it anyway
		}
		loc := b.zone(c)
		day := localDay(at, loc)
		hour := at.Truncate(time.Hour)
		from, until := hour, hour.Add(time.Hour)
		if next := day.AddDate(0, 0, 1); next.Before(until) {
			until = next // a zone whose day starts within a UTC hour
		}
		if day.After(from) {
			from = day
		}
		bk = &bucketKeys{from: from, until: until, loc: loc, day: day, hourKey: b.k.hour(c, at), uniquesKey: b.k.uniques(c, day),
			topKey:    b.k.top(c, day),
			rank:      rankRef{rank: b.k.rank(c), days: b.k.rankDays(c), day: day.Format(dayLayout)},
			invPrefix: b.k.invitation(c, "", day)}
		b.buckets[c] = bk
	}
	return bk
}

func (b *Buffered) invitationID(token string) string {
	if id, ok := b.ids[token]; ok {
		return id
	}
	if len(b.ids) >= maxIDCache {
		clear(b.ids)
	}
	id := InvitationID(token)
	b.ids[token] = id
	return id
}

// NewRecorder starts a buffered recorder; Close flushes and stops it.
func NewRecorder(o Options) *Buffered {
	st := NewStore(o)
	o = st.o
	b := &Buffered{
		Store:    st,
		ch:       make(chan Event, o.BufferSize),
		flushReq: make(chan chan error),
		done:     make(chan struct{}),
		stopped:  make(chan struct{}),
		met:      newMetrics(o.Metrics),
		pending:  newBatch(),
		buckets:  map[string]*bucketKeys{},
		ids:      map[string]string{},
	}
	b.salts = newSalts(st.be, st.k, o.Now, min(o.Timeout, 500*time.Millisecond))
	go b.loop()
	return b
}

// Record queues e without blocking. When the buffer is full the event is
// dropped and counted in sharecard_stats_events_dropped_total.
func (b *Buffered) Record(e Event) {
	if b.closed.Load() {
		b.drop(dropClosed)
		return
	}
	select {
	case b.ch <- e:
	default:
		b.drop(dropBufferFull)
	}
}

// Report is Store.Report, but in embedded mode it first writes what is
// buffered: the counters live in this process, so a manager who has just
// declined an invitation sees the decline, not the state of a second ago.
// With Redis the report reads what every replica flushed; a flush here
// would wait on Redis for one replica's last second only.
func (b *Buffered) Report(ctx context.Context, q Query) (*Report, error) {
	if b.o.Redis == nil && !b.closed.Load() {
		if err := b.Flush(ctx); err != nil && ctx.Err() != nil {
			return nil, err
		}
	}
	return b.Store.Report(ctx, q)
}

// Invitations is Store.Invitations; in embedded mode it counts what is
// still buffered first, as Report does.
func (b *Buffered) Invitations(ctx context.Context, q Query, offset, limit int) (*InvitationPage, error) {
	if b.o.Redis == nil && !b.closed.Load() {
		if err := b.Flush(ctx); err != nil && ctx.Err() != nil {
			return nil, err
		}
	}
	return b.Store.Invitations(ctx, q, offset, limit)
}

// Dropped is how many events were not counted since the recorder started.
func (b *Buffered) Dropped() uint64 { return b.dropped.Load() }

func (b *Buffered) drop(reason string) {
	b.dropped.Add(1)
	b.met.drops[reason].Inc()
}

// Flush writes everything recorded so far and returns when it is stored
// (or the write failed; the counts then stay pending).
func (b *Buffered) Flush(ctx context.Context) error {
	reply := make(chan error, 1)
	select {
	case b.flushReq <- reply:
	case <-b.stopped:
		return errors.New("stats recorder is closed")
	case <-ctx.Done():
		return ctx.Err()
	}
	select {
	case err := <-reply:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Close flushes what is buffered and stops the flusher. Events recorded
// after Close are dropped (and counted as such).
func (b *Buffered) Close(ctx context.Context) error {
	var err error
	b.once.Do(func() {
		err = b.Flush(ctx)
		b.closed.Store(true)
		close(b.done)
		<-b.stopped
		// The loop has stopped, so this goroutine owns the batch now: fold
		// what a Record that saw the recorder still open sent after the
		// loop's last drain, and write it.
		b.drain()
		if err == nil {
			err = b.writeNow(ctx)
		}
		if err != nil {
			b.o.Log.Error("stats: counts lost at shutdown", "entries", b.pending.size+sizeOf(b.retry), "err", err)
		}
	})
	return err
}

type flushResult struct {
	b   *batch
	err error
	d   time.Duration
}

func (b *Buffered) loop() {
	defer close(b.stopped)
	tick := time.NewTicker(b.o.FlushInterval)
	defer tick.Stop()
	// Events are folded in rounds, not one by one as they arrive: a loop
	// waiting on the channel is woken by every Record, and at tens of
	// thousands of requests a second those wake-ups cost more than the
	// folding. A round every foldInterval leaves Record a plain send into
	// the buffer; the buffer holds far more than one round's events.
	folds := time.NewTicker(foldInterval)
	defer folds.Stop()
	results := make(chan flushResult, 1)
	for {
		select {
		case <-folds.C:
			b.drain()
		case <-tick.C:
			b.drain()
			b.startFlush(results)
		case r := <-results:
			b.finishFlush(r)
		case r := <-b.salts.results:
			b.salts.settle(r)
		case reply := <-b.flushReq:
			if b.inflight != nil {
				b.finishFlush(<-results)
			}
			b.drain()
			reply <- b.writeNow(context.Background())
		case <-b.done:
			if b.inflight != nil {
				b.finishFlush(<-results)
			}
			b.drain()
			return
		}
	}
}

// drain folds every event already queued.
func (b *Buffered) drain() {
	for {
		select {
		case e := <-b.ch:
			b.fold(e)
		default:
			return
		}
	}
}

// startFlush hands a batch to a writer goroutine, so the loop keeps
// folding events while Redis answers (or does not): the failed batch
// first, if there is one, else the pending one.
func (b *Buffered) startFlush(results chan<- flushResult) {
	if b.inflight != nil {
		return
	}
	switch {
	case b.retry != nil:
		b.inflight, b.retry = b.retry, nil
	case !b.pending.empty():
		b.inflight, b.pending = b.pending, newBatch()
	default:
		return
	}
	named(b.inflight)
	go func(w *batch) {
		start := time.Now()
		ctx, cancel := context.WithTimeout(context.Background(), b.o.Timeout)
		err := b.be.apply(ctx, w, b.o.Retention)
		cancel()
		results <- flushResult{b: w, err: err, d: time.Since(start)}
	}(b.inflight)
}

func (b *Buffered) finishFlush(r flushResult) {
	b.inflight = nil
	b.met.flushTime.Observe(r.d.Seconds())
	if r.err != nil {
		// Kept apart from the pending counts and sent again as it is: the
		// write may have landed with only its reply lost, and the store
		// recognises a batch it has by its id.
		b.retry = r.b
		b.failed(r.err)
	} else if b.failing && b.retry == nil {
		b.failing = false
		b.o.Log.Info("stats: store reachable again, pending counts written")
	}
	b.setPendingGauge()
}

func (b *Buffered) setPendingGauge() {
	b.met.pending.Set(float64(b.pending.size + sizeOf(b.retry)))
}

// named gives a batch its id before its first write attempt.
func named(w *batch) {
	if w.id == "" {
		var r [12]byte
		_, _ = rand.Read(r[:])
		w.id = hex.EncodeToString(r[:])
	}
}

func (b *Buffered) failed(err error) {
	b.met.flushErrors.Inc()
	if !b.failing {
		// Once per outage, not once per second.
		b.failing = true
		b.o.Log.Warn("stats: cannot write counts; keeping them in memory and retrying", "pending", b.pending.size, "err", err)
	}
}

// writeNow writes the failed and the pending batch synchronously (Flush
// and Close).
func (b *Buffered) writeNow(ctx context.Context) error {
	if b.retry == nil && b.pending.empty() {
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, b.o.Timeout)
	defer cancel()
	if b.retry != nil {
		if err := b.be.apply(ctx, b.retry, b.o.Retention); err != nil {
			b.failed(err)
			return err
		}
		b.retry = nil
	}
	if !b.pending.empty() {
		named(b.pending)
		if err := b.be.apply(ctx, b.pending, b.o.Retention); err != nil {
			b.retry, b.pending = b.pending, newBatch()
			b.setPendingGauge()
			b.failed(err)
			return err
		}
		b.pending = newBatch()
	}
	b.failing = false
	b.setPendingGauge()
	return nil
}

// fold turns one event into counter increments in the pending batch. The
// IP and User-Agent go no further than this function: they are hashed
// with the day's salt and dropped.
func (b *Buffered) fold(e Event) {
	c := cleanName(e.Campaign, 64)
	if c == "" || math.IsNaN(e.Seconds) || math.IsInf(e.Seconds, 0) || e.Seconds < 0 {
		b.drop(dropInvalid)
		return
	}
	if e.Kind == PageView {
		// A page view is a person's; a crawler that slipped through is
		// counted as what it is.
		if p, bot := Crawler("GET", e.UserAgent); bot {
			e.Kind, e.Platform = PreviewFetch, p
		}
	}
	if !knownKind(e.Kind) {
		b.drop(dropInvalid)
		return
	}
	if b.pending.size+sizeOf(b.inflight)+sizeOf(b.retry) >= b.o.MaxPending {
		b.drop(dropPendingFull)
		return
	}
	at := e.At
	if at.IsZero() {
		at = b.o.Now()
	}
	at = at.UTC()
	p, bk := b.pending, b.bucket(c, at)
	hour := bk.hourKey
	inv := ""
	if e.Token != "" {
		inv = b.invitationID(e.Token)
	}
	p.campaigns[c] = struct{}{}
	p.incr(hour, field(e.Kind), 1)
	invField := ""
	var once []counterRef // counters of a kind that counts once
	switch e.Kind {
	case PreviewFetch:
		pf := field(e.Kind, dim("p", e.Platform))
		p.incr(hour, pf, 1)
		invField = field(e.Kind)
		once = []counterRef{{hour, onceField(field(e.Kind))}, {hour, onceField(pf)}}
	case ImageServed:
		aud := "a=crawler"
		if e.Human {
			aud = "a=human"
		}
		p.incr(hour, field(e.Kind, aud), 1)
		p.incr(hour, field(e.Kind, dim("v", e.Variant), dim("f", e.Format), aud), 1)
	case ImageRendered:
		p.incr(hour, field(e.Kind, dim("v", e.Variant), dim("f", e.Format)), 1)
	case PageView:
		invField = field(e.Kind)
		if inv != "" {
			p.rankIncr(bk.topKey, bk.rank, inv, 1)
		}
		if v := b.salts.visitor(at, bk.loc, c, e.IP, e.UserAgent); v != "" {
			p.add(bk.uniquesKey, v)
		}
	case Download:
		vf := field(e.Kind, dim("v", e.Variant))
		p.incr(hour, vf, 1)
		invField = field(e.Kind)
		once = []counterRef{{hour, onceField(field(e.Kind))}, {hour, onceField(vf)}}
	case Decline, ShareClick, LearningClick:
		invField = field(e.Kind)
		once = []counterRef{{hour, onceField(field(e.Kind))}}
	case EngagedTime:
		ms := int64(math.Min(e.Seconds, maxEngaged.Seconds()) * 1000)
		p.incr(hour, fieldEngagedMS, ms)
		if inv != "" {
			p.incr(bk.invPrefix+inv, fieldEngagedMS, ms)
		}
	}
	if inv != "" && invField != "" {
		p.incr(bk.invPrefix+inv, invField, 1)
		if once != nil {
			p.incr(bk.invPrefix+inv, fieldOnceMark, 0)
			once = append(once, counterRef{bk.invPrefix + inv, onceField(invField)})
		}
	}
	if once != nil {
		b.countOnce(e, c, inv, at, bk, once)
	}
	b.met.recorded.WithLabelValues(string(e.Kind)).Inc()
}

// countOnce adds the counted-once increments of a decline, share click,
// download, learning click or preview fetch: once per invitation, visitor
// and day, or per invitation, platform and preview window.
func (b *Buffered) countOnce(e Event, c, inv string, at time.Time, bk *bucketKeys, once []counterRef) {
	p := b.pending
	p.incr(once[0].key, fieldOnceMark, 0)
	id := cmp.Or(inv, "-")
	if e.Kind == PreviewFetch {
		p.addWindow(b.k.preview(c, id, dimValue(e.Platform)), at.Unix(), int64(PreviewWindow/time.Second), once)
		return
	}
	if v := b.salts.visitor(at, bk.loc, c, e.IP, e.UserAgent); v != "" {
		p.addOnce(b.k.once(c, e.Kind, bk.day), id+":"+v, once)
		return
	}
	// The day's salt is gone (an event folded more than an hour after its
	// day): nobody can be recognised any more, so it counts as it comes.
	for _, r := range once {
		p.incr(r.key, r.field, 1)
	}
}

func sizeOf(b *batch) int {
	if b == nil {
		return 0
	}
	return b.size
}

func knownKind(k Kind) bool {
	for _, x := range Kinds {
		if x == k {
			return true
		}
	}
	return false
}
