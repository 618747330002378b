package admin

import (
	"errors"
	"testing"
	"time"
)

const token = "right-admin-token-0123456789abcdef"

func TestTheRightTokenIsNeverThrottled(t *testing.T) {
	now := time.Date(2026, 12, 2, 12, 0, 0, 0, time.UTC)
	g := New(token, Options{Now: func() time.Time { return now }})
	var throttled *ThrottledError
	for i := range 30 {
		err := g.Check("192.0.2.1", "guess")
		switch {
		case i < 10 && !errors.Is(err, ErrWrongToken):
			t.Fatalf("failure %d: %v, want ErrWrongToken", i+1, err)
		case i >= 10 && !errors.As(err, &throttled):
			t.Fatalf("failure %d: %v, want throttled", i+1, err)
		}
	}
	if throttled.RetrySeconds() < 1 {
		t.Errorf("Retry-After %d s", throttled.RetrySeconds())
	}
	if err := g.Check("192.0.2.1", token); err != nil {
		t.Errorf("the right token from the throttled address: %v", err)
	}
	if err := g.Check("192.0.2.2", "guess"); !errors.Is(err, ErrWrongToken) {
		t.Errorf("another address is throttled too: %v", err)
	}
	// The allowance comes back with time.
	now = now.Add(2 * time.Second)
	if err := g.Check("192.0.2.1", "guess"); !errors.Is(err, ErrWrongToken) {
		t.Errorf("after the wait: %v, want ErrWrongToken", err)
	}
}

func TestCheck(t *testing.T) {
	tests := []struct {
		name        string
		configured  string
		given       string
		wantOK      bool
		wantEnabled bool
	}{
		{"the right token", token, token, true, true},
		{"a wrong token", token, token + "x", false, true},
		{"an empty token", token, "", false, true},
		{"no token configured lets nobody in", "", "", false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := New(tt.configured, Options{})
			if g.OK(tt.given) != tt.wantOK || (g.Check("c", tt.given) == nil) != tt.wantOK || g.Enabled() != tt.wantEnabled {
				t.Errorf("OK %v, Check %v, Enabled %v", g.OK(tt.given), g.Check("c", tt.given), g.Enabled())
			}
		})
	}
}
