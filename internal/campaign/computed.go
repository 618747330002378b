package campaign

import (
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/sharecard/sharecard/internal/card"
)

// DefaultTimeZone is a campaign's time zone when its file names none.
const DefaultTimeZone = "Europe/Copenhagen"

// DefaultLanguage is a campaign's language when its file names none.
const DefaultLanguage = "da"

// Computed values are placeholders a campaign's texts may use whose value
// comes from the date, not from the invitee: copy that stays true ("om 34
// år" in December 2026, where the text written in March 2022 said 39). They
// are evaluated in the campaign's time zone when a card or page is made,
// and are part of the template version, so a card changes on the day its
// number does and no cache serves yesterday's.
var computedPlaceholders = []string{"years_until"}

// yearsUntil is the whole years from today to the event's date, both in
// the campaign's time zone: 34 from 2 December 2026 to 8 March 2061, 35
// from 8 March 2026. Never negative.
func yearsUntil(today, event time.Time) int {
	y := event.Year() - today.Year()
	if event.Month() < today.Month() || event.Month() == today.Month() && event.Day() < today.Day() {
		y--
	}
	return max(y, 0)
}

// computedValues are the values of the computed placeholders at now.
func (c *Campaign) computedValues(now time.Time) map[string]string {
	v := map[string]string{}
	if c.Event != nil {
		today := now.In(c.TimeZone)
		v["years_until"] = strconv.Itoa(yearsUntil(today, c.Event.Start.In(c.TimeZone)))
	}
	return v
}

// expandComputed replaces the computed placeholders in s.
func expandComputed(s string, values map[string]string) string {
	if !strings.Contains(s, "{{") {
		return s
	}
	for k, v := range values {
		s = strings.ReplaceAll(s, "{{"+k+"}}", v)
	}
	return s
}

// usesComputed reports whether s holds a computed placeholder.
func usesComputed(s string) bool {
	for _, k := range computedPlaceholders {
		if strings.Contains(s, "{{"+k+"}}") {
			return true
		}
	}
	return false
}

// compiled is a campaign's templates for one set of computed values.
type compiled struct {
	key    string // the values, e.g. "years_until=34"
	values map[string]string
	// byLang holds each offered language's templates by variant name;
	// its keys are fixed when it is made, and a language other than the
	// default is compiled on first use: its static layers are some 20 MB
	// of pixels, which a language nobody asks for should not cost.
	byLang map[string]*atomic.Pointer[map[string]*card.Template]
	// until is the next local midnight: computed values change at most
	// once a day, so the templates are current until then.
	until time.Time
}

// templatesState keeps the specs a campaign's templates are compiled from,
// so they can be compiled again when a computed value changes.
type templatesState struct {
	mu    sync.Mutex           // serialises compiling
	specs map[string]card.Spec // by keyOf(language, variant)
	langs []string             // the default first
	// shared lists the languages whose cards read the same as the
	// default language's: they use its templates.
	shared map[string]bool
	now    atomic.Pointer[func() time.Time]
	cur    atomic.Pointer[compiled]
}

func valuesKey(values map[string]string) string {
	var b strings.Builder
	for _, k := range computedPlaceholders {
		if v, ok := values[k]; ok {
			b.WriteString(k + "=" + v + ";")
		}
	}
	return b.String()
}

// withValues is spec with the computed placeholders of its text layers
// filled in.
func withValues(spec card.Spec, values map[string]string) card.Spec {
	layers := make([]card.Layer, len(spec.Layers))
	for i, l := range spec.Layers {
		if tb, ok := l.(card.TextBox); ok && usesComputed(tb.Text) {
			tb.Text = expandComputed(tb.Text, values)
			l = tb
		}
		layers[i] = l
	}
	spec.Layers = layers
	return spec
}

// templates returns the templates in lang (the default language when lang
// is not offered) for today's values.
func (c *Campaign) templates(lang string) map[string]*card.Template {
	cur := c.current()
	p, ok := cur.byLang[lang]
	if !ok {
		p = cur.byLang[c.Language]
	}
	if p == nil {
		return nil
	}
	if m := p.Load(); m != nil {
		return *m
	}
	ts := c.tpl
	ts.mu.Lock()
	defer ts.mu.Unlock()
	if m := p.Load(); m != nil {
		return *m
	}
	m := ts.compileLang(lang, cur.values)
	p.Store(&m)
	return m
}

// compileLang compiles one language's specs; a spec that no longer
// compiles (a renderer fault: each compiled at load) is left out.
func (ts *templatesState) compileLang(lang string, values map[string]string) map[string]*card.Template {
	m := map[string]*card.Template{}
	for _, name := range VariantNames {
		for _, key := range []string{name, declinedPrefix + name} {
			spec, ok := ts.specs[keyOf(lang, key)]
			if !ok {
				continue
			}
			if t, err := card.Compile(withValues(spec, values)); err == nil {
				m[key] = t
			}
		}
	}
	return m
}

// current returns the templates for today's values, compiling the default
// language's anew (once, under the lock) on the first call after a value
// changed. The specs compiled when the campaign loaded, so compiling again
// cannot fail but for a renderer fault; then the old templates stay in use.
func (c *Campaign) current() *compiled {
	ts := c.tpl
	now := ts.clock()
	// The hot path (every image request) is an atomic load and a clock
	// read.
	if cur := ts.cur.Load(); cur != nil && now.Before(cur.until) && !now.Before(cur.until.AddDate(0, 0, -1)) {
		return cur
	}
	ts.mu.Lock()
	defer ts.mu.Unlock()
	local := now.In(c.TimeZone)
	until := time.Date(local.Year(), local.Month(), local.Day()+1, 0, 0, 0, 0, c.TimeZone)
	values := c.computedValues(now)
	key := valuesKey(values)
	cur := ts.cur.Load()
	if cur != nil && cur.key == key {
		next := &compiled{key: key, values: values, byLang: cur.byLang, until: until}
		ts.cur.Store(next)
		return next
	}
	next := &compiled{key: key, values: values, byLang: map[string]*atomic.Pointer[map[string]*card.Template]{}, until: until}
	for _, l := range ts.langs {
		next.byLang[l] = new(atomic.Pointer[map[string]*card.Template])
	}
	for l := range ts.shared {
		next.byLang[l] = next.byLang[c.Language]
	}
	def := ts.compileLang(c.Language, values)
	if !hasEveryVariant(def) && cur != nil {
		return cur
	}
	if p := next.byLang[c.Language]; p != nil {
		p.Store(&def)
	}
	ts.cur.Store(next)
	return next
}

// clock reads the campaign's clock (the wall clock unless a test or a
// replay set another).
func (ts *templatesState) clock() time.Time {
	if now := ts.now.Load(); now != nil {
		return (*now)()
	}
	return time.Now()
}

// TextVersion names the computed values the campaign's texts show today
// ("" when it uses none): a page built from its texts is current while it
// stays the same.
func (c *Campaign) TextVersion() string { return c.current().key }

// hasEveryVariant reports whether m holds every variant of the invitation
// card (the "I declined" card's are optional).
func hasEveryVariant(m map[string]*card.Template) bool {
	for _, name := range VariantNames {
		if m[name] == nil {
			return false
		}
	}
	return true
}
