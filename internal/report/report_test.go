package report

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/sharecard/sharecard/internal/testredis"
)

func TestCleanAcceptsAndRefusesForms(t *testing.T) {
	cases := []struct {
		name    string
		in      Input
		field   string
		problem Problem
	}{
		{name: "a reason alone is enough", in: Input{Reason: "offensive"}},
		{name: "every reason is accepted", in: Input{Reason: "about-me", Detail: "Det er mig", Contact: "lars@example.dk"}},
		{name: "a Danish phone number is a contact", in: Input{Reason: "misuse", Contact: "+45 12 34 56 78"}},
		{name: "a phone number with parentheses is a contact", in: Input{Reason: "other", Contact: "(+45) 1234-5678"}},
		{name: "no reason is refused", in: Input{}, field: "reason", problem: NoReason},
		{name: "an unknown reason is refused", in: Input{Reason: "because"}, field: "reason", problem: NoReason},
		{name: "a detail over the bound is refused", in: Input{Reason: "other", Detail: strings.Repeat("æ", MaxDetail+1)}, field: "detail", problem: DetailLong},
		{name: "a detail at the bound is accepted", in: Input{Reason: "other", Detail: strings.Repeat("æ", MaxDetail)}},
		{name: "a detail with a direction override is refused", in: Input{Reason: "other", Detail: "abc\u202edef"}, field: "detail", problem: DetailChars},
		{name: "a detail with a NUL is refused", in: Input{Reason: "other", Detail: "a\x00b"}, field: "detail", problem: DetailChars},
		{name: "a detail with an emoji family and a Persian word is accepted", in: Input{Reason: "other", Detail: "👨\u200d👩\u200d👧 می\u200cخواهم"}},
		{name: "a detail with an isolate is refused", in: Input{Reason: "other", Detail: "a\u2067b"}, field: "detail", problem: DetailChars},
		{name: "a detail over several lines is accepted", in: Input{Reason: "other", Detail: "one\r\ntwo\n\tthree"}},
		{name: "a contact that is neither is refused", in: Input{Reason: "other", Contact: "call me maybe"}, field: "contact", problem: ContactWrong},
		{name: "an address without a domain dot is refused", in: Input{Reason: "other", Contact: "lars@localhost"}, field: "contact", problem: ContactWrong},
		{name: "an address with a display name is refused", in: Input{Reason: "other", Contact: "Lars <lars@example.dk>"}, field: "contact", problem: ContactWrong},
		{name: "a short number is refused", in: Input{Reason: "other", Contact: "12345"}, field: "contact", problem: ContactWrong},
		{name: "a contact over the bound is refused", in: Input{Reason: "other", Contact: strings.Repeat("a", MaxContact) + "@example.dk"}, field: "contact", problem: ContactLong},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Clean(tc.in)
			var fe *FieldError
			switch {
			case tc.field == "" && err != nil:
				t.Fatalf("refused: %v", err)
			case tc.field != "" && !errors.As(err, &fe):
				t.Fatalf("got %v, want a problem with %s", err, tc.field)
			case tc.field != "" && (fe.Field != tc.field || fe.Problem != tc.problem):
				t.Fatalf("got %s/%s, want %s/%s", fe.Field, fe.Problem, tc.field, tc.problem)
			}
		})
	}
}

func TestCleanTrims(t *testing.T) {
	in, err := Clean(Input{Reason: " offensive ", Detail: " a\r\nb ", Contact: " lars@example.dk "})
	if err != nil {
		t.Fatal(err)
	}
	if in != (Input{Reason: "offensive", Detail: "a\nb", Contact: "lars@example.dk"}) {
		t.Errorf("cleaned to %+v", in)
	}
}

// stores are the implementations every contract test runs against.
func stores(t *testing.T) map[string]func(t *testing.T) Store {
	return map[string]func(t *testing.T) Store{
		"memory": func(t *testing.T) Store { return NewMemory() },
		"dir": func(t *testing.T) Store {
			d, err := NewDir(t.TempDir())
			if err != nil {
				t.Fatal(err)
			}
			return d
		},
		"redis": func(t *testing.T) Store {
			rdb, prefix := testredis.Client(t)
			return NewRedis(rdb, prefix, 0)
		},
	}
}

var t0 = time.Date(2026, 12, 2, 12, 0, 0, 0, time.UTC)

func sample(campaign string, n int) Report {
	return Report{Campaign: campaign, Fingerprint: "fp" + string(rune('a'+n%26)), Token: "tok", Reason: Offensive,
		Detail: "detail", CreatedAt: t0.Add(time.Duration(n) * time.Minute)}
}

func TestStoresKeepListAndHandleReports(t *testing.T) {
	ctx := context.Background()
	for name, open := range stores(t) {
		t.Run(name, func(t *testing.T) {
			s := open(t)
			var ids []string
			for i := range 3 {
				r, err := s.Add(ctx, sample("ligestilling", i))
				if err != nil {
					t.Fatal(err)
				}
				if r.Status != Open || !validID.MatchString(r.ID) {
					t.Fatalf("added %+v", r)
				}
				ids = append(ids, r.ID)
			}
			if _, err := s.Add(ctx, sample("equality-2061", 9)); err != nil {
				t.Fatal(err)
			}
			got, err := s.List(ctx, "ligestilling")
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != 3 || got[0].ID != ids[2] || got[2].ID != ids[0] {
				t.Fatalf("listed %+v, want the three newest first", got)
			}
			h, err := s.Handle(ctx, "ligestilling", ids[2], Dismissed, t0.Add(time.Hour))
			if err != nil || h.Status != Dismissed || h.HandledAt == nil || !h.HandledAt.Equal(t0.Add(time.Hour)) {
				t.Fatalf("handle: %+v, %v", h, err)
			}
			got, _ = s.List(ctx, "ligestilling")
			if got[0].ID != ids[1] || got[2].ID != ids[2] || got[2].Status != Dismissed {
				t.Errorf("after dismissing the newest, listed %+v; want open ones first", got)
			}
			if _, err := s.Handle(ctx, "ligestilling", ids[2], Revoked, t0); !errors.Is(err, ErrHandled) {
				t.Errorf("handling twice: %v, want ErrHandled", err)
			}
			if _, err := s.Handle(ctx, "equality-2061", ids[0], Revoked, t0); !errors.Is(err, ErrNotFound) {
				t.Errorf("handling another campaign's report: %v, want ErrNotFound", err)
			}
			if _, err := s.Handle(ctx, "ligestilling", "0123456789abcdef", Revoked, t0); !errors.Is(err, ErrNotFound) {
				t.Errorf("handling an unknown id: %v, want ErrNotFound", err)
			}
			if _, err := s.Handle(ctx, "ligestilling", ids[0], Open, t0); err == nil {
				t.Error("a report was marked open again")
			}
			if _, err := s.Add(ctx, Report{Campaign: "ligestilling", Reason: Offensive}); err == nil {
				t.Error("a report without its invitation was stored")
			}
		})
	}
}

func TestStoresRefuseBeyondTheOpenBoundAndTrimHandled(t *testing.T) {
	ctx := context.Background()
	for name, open := range stores(t) {
		t.Run(name, func(t *testing.T) {
			s := open(t)
			var first Report
			for i := range MaxOpen {
				r, err := s.Add(ctx, sample("ligestilling", i))
				if err != nil {
					t.Fatalf("report %d: %v", i, err)
				}
				if i == 0 {
					first = r
				}
			}
			if _, err := s.Add(ctx, sample("ligestilling", MaxOpen)); !errors.Is(err, ErrFull) {
				t.Fatalf("report %d: %v, want ErrFull", MaxOpen+1, err)
			}
			if _, err := s.Add(ctx, sample("equality-2061", 0)); err != nil {
				t.Errorf("another campaign is refused too: %v", err)
			}
			if _, err := s.Handle(ctx, "ligestilling", first.ID, Revoked, t0); err != nil {
				t.Fatal(err)
			}
			if _, err := s.Add(ctx, sample("ligestilling", MaxOpen+1)); err != nil {
				t.Errorf("after one was handled a new report is still refused: %v", err)
			}
		})
	}
}

func TestTrimHandledKeepsTheNewest(t *testing.T) {
	var rs []Report
	for i := range MaxHandled + 5 {
		at := t0.Add(time.Duration(i) * time.Second)
		rs = append(rs, Report{ID: string(rune(i)), Status: Dismissed, HandledAt: &at})
	}
	rs = append(rs, Report{ID: "open", Status: Open})
	got := trimHandled(rs)
	if len(got) != MaxHandled+1 {
		t.Fatalf("kept %d, want %d", len(got), MaxHandled+1)
	}
	for _, r := range got {
		if r.Status != Open && r.HandledAt.Before(t0.Add(5*time.Second)) {
			t.Errorf("kept one of the five oldest: %v", r.HandledAt)
		}
	}
}

func TestRedisTrimsHandledBeyondTheBound(t *testing.T) {
	ctx := context.Background()
	rdb, prefix := testredis.Client(t)
	s := NewRedis(rdb, prefix, 0)
	// Fill the handled record to the bound plus two, one open report at a
	// time, and check that the two oldest went from both hash and index.
	var handled []string
	for i := range MaxHandled + 2 {
		r, err := s.Add(ctx, sample("ligestilling", i))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Handle(ctx, "ligestilling", r.ID, Dismissed, t0.Add(time.Duration(i)*time.Second)); err != nil {
			t.Fatal(err)
		}
		handled = append(handled, r.ID)
	}
	k := s.keys("ligestilling")
	if n := rdb.HLen(ctx, k[0]).Val(); n != MaxHandled {
		t.Errorf("hash holds %d, want %d", n, MaxHandled)
	}
	if n := rdb.ZCard(ctx, k[2]).Val(); n != MaxHandled {
		t.Errorf("handled index holds %d, want %d", n, MaxHandled)
	}
	for _, id := range handled[:2] {
		if rdb.HExists(ctx, k[0], id).Val() {
			t.Errorf("the oldest handled report %s was kept", id)
		}
	}
}

func TestDirKeepsReportsOverARestart(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	d, err := NewDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	a, _ := d.Add(ctx, sample("ligestilling", 1))
	b, _ := d.Add(ctx, sample("ligestilling", 2))
	if _, err := d.Handle(ctx, "ligestilling", a.ID, Revoked, t0); err != nil {
		t.Fatal(err)
	}
	again, err := NewDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := again.List(ctx, "ligestilling")
	if len(got) != 2 || got[0].ID != b.ID || got[1].ID != a.ID || got[1].Status != Revoked {
		t.Fatalf("after a restart: %+v", got)
	}
}

func TestDirRefusesACorruptFile(t *testing.T) {
	dir := t.TempDir()
	d, _ := NewDir(dir)
	if err := d.write("ligestilling", nil); err != nil {
		t.Fatal(err)
	}
	if err := writeFile(dir+"/ligestilling.json", "{not json"); err != nil {
		t.Fatal(err)
	}
	if _, err := NewDir(dir); err == nil || !strings.Contains(err.Error(), "ligestilling.json") {
		t.Errorf("a corrupt file loaded: %v", err)
	}
}
