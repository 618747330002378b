package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/sharecard/sharecard/internal/cache"
	"github.com/sharecard/sharecard/internal/config"
)

// The memory goals of issue 8, in the units the issue gives them.
const (
	rssGoal         = 256 << 20 // peak RSS with a 64 MiB memory tier
	rssGoalTier     = 64 << 20
	redisBytesGoal  = 150_000 // Redis bytes per invitation after its og image
	redisWarmUp     = 20      // invitations whose images are stored before the "before" figure
	mib             = 1 << 20
	imageKeyPattern = cache.KeyPrefix + "img:*"
)

// peakRSS starts one embedded service (no Redis) whose memory tier is
// -memory, asks it for -n distinct og images, each once, and reports the
// process's peak resident set (VmHWM in /proc) beside what the memory tier
// and the Go heap say they hold: the tier is bounded, and the process must
// stay within a small multiple of that bound however many cards are asked.
func (b *bench) peakRSS(ctx context.Context, w io.Writer) error {
	bin, err := b.binary(ctx)
	if err != nil {
		return err
	}
	secret, admin := randomHex(32), randomHex(16)
	svc, err := startService(ctx, bin, b.dir, "sharecard-rss", secret, admin, "", b.o.memory)
	if err != nil {
		return err
	}
	b.procs = append(b.procs, svc.proc)
	pid := svc.proc.cmd.Process.Pid

	b.logf("minting %d invitations", b.o.n)
	mintAll := mintMany
	if b.o.scripts {
		mintAll = mintInEveryScript
	}
	urls, err := mintAll(ctx, svc.base, admin, b.o.n)
	if err != nil {
		return err
	}
	startRSS, err := procStatus(pid, "VmHWM")
	if err != nil {
		return err
	}
	b.logf("fetching %d distinct og images over %d connections", len(urls), b.o.coldConns)
	start := time.Now()
	f := flatOut(ctx, &urlList{list: urls}, b.o.coldConns, b.o.total, int64(len(urls)))
	took := time.Since(start)
	peak, err := procStatus(pid, "VmHWM")
	if err != nil {
		return err
	}
	rss, _ := procStatus(pid, "VmRSS")
	m, err := scrape(ctx, svc.base)
	if err != nil {
		return err
	}

	tier, _ := config.ParseBytes(b.o.memory)
	fmt.Fprintf(w, "\nloadbench rss: %d CPUs, load average %s; sharecard serve, embedded (no Redis), SHARECARD_CACHE_MEMORY=%s, %s\n",
		runtime.NumCPU(), loadAverage(), b.o.memory, gcSettings(m))
	fmt.Fprintf(w, "%d distinct og.jpg, each asked once over %d connections in %.1f s: %d answered 200, %d other, %d errors\n",
		len(urls), b.o.coldConns, took.Seconds(), f.Requests-f.Non200-f.Errors, f.Non200, f.Errors)
	if f.Note != "" {
		fmt.Fprintln(w, f.Note)
	}
	fmt.Fprintf(w, "memory tier: %.1f MiB in %.0f entries (bound %.1f MiB)\n",
		m["sharecard_cache_memory_bytes"]/mib, m["sharecard_cache_memory_entries"], float64(tier)/mib)
	fmt.Fprintf(w, "Go heap: %.1f MiB in use, %.1f MiB of live and dead objects, next GC at %.1f MiB; all the Go runtime holds: %.1f MiB\n",
		m["go_memstats_heap_inuse_bytes"]/mib, m["go_memstats_heap_alloc_bytes"]/mib, m["go_memstats_next_gc_bytes"]/mib, m["go_memstats_sys_bytes"]/mib)
	fmt.Fprintf(w, "RSS: peak %.1f MiB after start-up and minting; peak %.1f MiB (VmHWM) and %.1f MiB now after the images\n",
		float64(startRSS)/mib, float64(peak)/mib, float64(rss)/mib)
	verdict := "met"
	if peak > rssGoal {
		verdict = "MISSED"
	}
	if tier == rssGoalTier {
		fmt.Fprintf(w, "peak RSS with a 64 MiB tier: %.1f MiB (goal ≤ 256 MiB: %s)\n", float64(peak)/mib, verdict)
	} else {
		fmt.Fprintf(w, "peak RSS: %.1f MiB (the goal, ≤ 256 MiB, is set for a 64 MiB tier)\n", float64(peak)/mib)
	}
	if f.Non200+f.Errors > 0 {
		return fmt.Errorf("%d of %d images were not answered with 200", f.Non200+f.Errors, len(urls))
	}
	return nil
}

// gcSettings names the Go runtime's GOGC and GOMEMLIMIT as the service
// reports them.
func gcSettings(m map[string]float64) string {
	gogc, limit := "GOGC ?", "GOMEMLIMIT ?"
	if v, ok := m["go_gc_gogc_percent"]; ok {
		gogc = fmt.Sprintf("GOGC %.0f", v)
	}
	if v, ok := m["go_gc_gomemlimit_bytes"]; ok {
		limit = fmt.Sprintf("GOMEMLIMIT %.0f MiB", v/mib)
		if v >= 1<<62 {
			limit = "no GOMEMLIMIT"
		}
	}
	return gogc + ", " + limit
}

// redisBytes measures what one invitation costs in Redis once its og image
// is stored (what a prerender of og leaves, or a crawler's first fetch), on
// a redis-server of its own: INFO memory's used_memory after a warm-up of
// redisWarmUp invitations (so what is stored once per campaign is not
// counted per invitation) and after -n more, divided by -n. The service is
// stopped before each reading: a graceful stop flushes its counters and
// queued Redis writes, and closes its connections, whose buffers would
// otherwise count.
func (b *bench) redisBytes(ctx context.Context, w io.Writer) error {
	if b.o.redisURL != "" {
		return errors.New("-mode redis-bytes starts a redis-server of its own, so nothing else changes its memory: leave out -redis")
	}
	bin, err := b.binary(ctx)
	if err != nil {
		return err
	}
	rp, url, err := startRedis(ctx, b.dir)
	if err != nil {
		return err
	}
	b.procs = append(b.procs, rp)
	opt, _ := redis.ParseURL(url)
	rc := redis.NewClient(opt)
	defer rc.Close()

	// The warm-up's service mints every invitation; a second service
	// (same secret, same Redis) fetches the measured ones. Each is stopped
	// before Redis is read.
	secret, admin := randomHex(32), randomHex(16)
	warm, err := startService(ctx, bin, b.dir, "sharecard-warm-up", secret, admin, url, b.o.memory)
	if err != nil {
		return err
	}
	b.procs = append(b.procs, warm.proc)
	b.logf("minting %d invitations", redisWarmUp+b.o.n)
	urls, err := mintMany(ctx, warm.base, admin, redisWarmUp+b.o.n)
	if err != nil {
		return err
	}
	if err := b.fetchAll(ctx, "warm-up", urls[:redisWarmUp]); err != nil {
		return err
	}
	warm.proc.stop()
	before, err := redisMemory(ctx, rc)
	if err != nil {
		return err
	}
	if before.images != redisWarmUp {
		return fmt.Errorf("after the warm-up Redis holds %d images, want %d: a write was lost", before.images, redisWarmUp)
	}

	measured, err := startService(ctx, bin, b.dir, "sharecard-measured", secret, admin, url, b.o.memory)
	if err != nil {
		return err
	}
	b.procs = append(b.procs, measured.proc)
	if err := b.fetchAll(ctx, "measured", rebase(urls[redisWarmUp:], measured.base)); err != nil {
		return err
	}
	measured.proc.stop()
	after, err := redisMemory(ctx, rc)
	if err != nil {
		return err
	}
	if got := after.images - before.images; got != b.o.n {
		return fmt.Errorf("%d images reached Redis for %d invitations: a write was lost", got, b.o.n)
	}

	n := float64(b.o.n)
	per := float64(after.used-before.used) / n
	verdict := "met"
	if per > redisBytesGoal {
		verdict = "MISSED"
	}
	version, _ := rc.Info(ctx, "server").Result()
	fmt.Fprintf(w, "\nloadbench redis-bytes: %d CPUs, load average %s; redis-server %s (no persistence) on %s, only sharecard in it\n",
		runtime.NumCPU(), loadAverage(), infoField(version, "redis_version"), opt.Addr)
	fmt.Fprintf(w, "used_memory: %d bytes after a warm-up of %d invitations (%d keys), %d bytes after %d more with their og image (%d keys)\n",
		before.used, redisWarmUp, before.keys, after.used, b.o.n, after.keys)
	fmt.Fprintf(w, "per invitation: %.0f bytes = %.1f KB (goal ≤ 150 KB: %s)\n", per, per/1000, verdict)
	fmt.Fprintf(w, "of which its og image: value %.1f KB (STRLEN), %.1f KB with the key and the allocator's rounding (MEMORY USAGE); %.0f more keys per invitation\n",
		float64(after.imageLen)/float64(after.images)/1000, float64(after.imageUsage)/float64(after.images)/1000, float64(after.keys-before.keys)/n-1)
	return nil
}

// fetchAll asks for each URL once, over -cold-c connections, and fails
// unless every answer is a 200.
func (b *bench) fetchAll(ctx context.Context, name string, urls []string) error {
	b.logf("%s: fetching %d og images over %d connections", name, len(urls), b.o.coldConns)
	f := flatOut(ctx, &urlList{list: urls}, b.o.coldConns, b.o.total, int64(len(urls)))
	if bad := f.Non200 + f.Errors; bad > 0 || f.Requests != int64(len(urls)) {
		return fmt.Errorf("%s: %d of %d images answered 200; %s", name, f.Requests-bad, len(urls), f.Note)
	}
	return nil
}

// rebase points image URLs minted on one service at another.
func rebase(urls []string, base string) []string {
	out := make([]string, len(urls))
	for i, u := range urls {
		if j := strings.Index(u, "/i/"); j >= 0 {
			u = base + u[j:]
		}
		out[i] = u
	}
	return out
}

// redisReading is what Redis holds at one moment.
type redisReading struct {
	used       int64 // INFO memory used_memory
	keys       int64 // DBSIZE
	images     int   // image keys
	imageLen   int64 // their values' bytes, summed
	imageUsage int64 // MEMORY USAGE of each, summed
}

func redisMemory(ctx context.Context, rc *redis.Client) (redisReading, error) {
	var r redisReading
	info, err := rc.Info(ctx, "memory").Result()
	if err != nil {
		return r, fmt.Errorf("INFO memory: %w", err)
	}
	if r.used, err = strconv.ParseInt(infoField(info, "used_memory"), 10, 64); err != nil {
		return r, fmt.Errorf("INFO memory: used_memory: %w", err)
	}
	if r.keys, err = rc.DBSize(ctx).Result(); err != nil {
		return r, fmt.Errorf("DBSIZE: %w", err)
	}
	iter := rc.Scan(ctx, 0, imageKeyPattern, 1000).Iterator()
	for iter.Next(ctx) {
		k := iter.Val()
		if strings.HasSuffix(k, ":lock") {
			continue // a render lock, gone once its value is stored
		}
		r.images++
		r.imageLen += rc.StrLen(ctx, k).Val()
		r.imageUsage += rc.MemoryUsage(ctx, k, 0).Val()
	}
	return r, iter.Err()
}

// infoField is one "name:value" line of an INFO reply.
func infoField(info, name string) string {
	for _, line := range strings.Split(info, "\n") {
		if v, ok := strings.CutPrefix(strings.TrimSpace(line), name+":"); ok {
			return v
		}
	}
	return ""
}

// procStatus reads one "Name:   123 kB" line of /proc/PID/status, in bytes.
func procStatus(pid int, name string) (int64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, fmt.Errorf("peak RSS needs Linux's /proc: %w", err)
	}
	return statusField(string(b), name)
}

func statusField(status, name string) (int64, error) {
	for _, line := range strings.Split(status, "\n") {
		v, ok := strings.CutPrefix(line, name+":")
		if !ok {
			continue
		}
		f := strings.Fields(v)
		if len(f) != 2 || f[1] != "kB" {
			return 0, fmt.Errorf("/proc status %s: %q is not a size in kB", name, v)
		}
		n, err := strconv.ParseInt(f[0], 10, 64)
		if err != nil {
			return 0, fmt.Errorf("/proc status %s: %w", name, err)
		}
		return n << 10, nil
	}
	return 0, fmt.Errorf("/proc status has no %s", name)
}

func loadAverage() string {
	load, _ := os.ReadFile("/proc/loadavg")
	f := strings.Fields(string(load))
	return strings.Join(f[:min(3, len(f))], " ")
}

// scriptNames are given names and family names as people write them, one
// pair per script the fallback chain covers; names made from them load
// every fallback font.
var scriptNames = [][2][]string{
	{{"Lars", "Åse", "Mette"}, {"Hansen", "Ærø", "Østergaard"}},
	{{"محمد", "فاطمة", "علي"}, {"الحسن", "سعيد", "ناصر"}},
	{{"王", "李", "张"}, {"小明", "秀英", "伟"}},
	{{"अनुष्का", "राहुल", "प्रिया"}, {"शर्मा", "वर्मा", "गुप्ता"}},
	{{"สมชาย", "สุดา", "วิชัย"}, {"ใจดี", "รักไทย", "ศรีสุข"}},
	{{"Анна", "Сергей", "Ольга"}, {"Иванова", "Петров", "Смирнова"}},
	{{"Νίκος", "Ελένη", "Γιώργος"}, {"Παπαδόπουλος", "Οικονόμου", "Γεωργίου"}},
	{{"דוד", "שרה", "יעל"}, {"כהן", "לוי", "מזרחי"}},
	{{"민준", "서연", "지훈"}, {"김", "이", "박"}},
	{{"さくら", "ゆうと", "はると"}, {"たなか", "すずき", "さとう"}},
	{{"নুসরাত", "রাহুল", "তানভীর"}, {"ইসলাম", "আহমেদ", "চৌধুরী"}},
	{{"கார்த்திக்", "பிரியா", "அருண்"}, {"குமார்", "ராஜா", "சுப்பிரமணியம்"}},
	{{"ნინო", "გიორგი", "თამარ"}, {"ბერიძე", "კაპანაძე", "გელაშვილი"}},
	{{"Անի", "Արամ", "Նարեկ"}, {"Հովհաննիսյան", "Պետրոսյան", "Սարգսյան"}},
	{{"አበበ", "ሰላም", "ትግስት"}, {"በቀለ", "ታደሰ", "ገብሬ"}},
}

// mintInEveryScript mints n invitations with distinct names that go
// round every script of scriptNames.
func mintInEveryScript(ctx context.Context, base, admin string, n int) ([]string, error) {
	urls := make([]string, n)
	for i := range n {
		s := scriptNames[i%len(scriptNames)]
		k := i / len(scriptNames)
		given, family := s[0][k%len(s[0])], s[1][(k/len(s[0]))%len(s[1])]
		// Distinct names past the nine pairs a script has: a Latin
		// letter tag keeps each one new without digits (which names
		// refuse).
		name := given + " " + family
		if k >= len(s[0])*len(s[1]) {
			name += " " + letters(k)
		}
		u, err := mint(ctx, base, admin, name)
		if err != nil {
			return nil, err
		}
		urls[i] = u
	}
	return urls, nil
}
