package store

import (
	"context"
	"testing"
	"time"
)

// t0 is a fixed start time; tests pass explicit times, never time.Now.
var t0 = time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)

func sess(token string, user int, ip string, ttl time.Duration) Session {
	return Session{Token: token, UserID: user, IP: ip, Service: "svc", Created: t0, TTL: ttl}
}

// runStoreContract checks the behaviour every Store must share.
func runStoreContract(t *testing.T, newStore func(t *testing.T) Store) {
	ctx := context.Background()
	valid := func(t *testing.T, st Store, token string, at time.Time) bool {
		t.Helper()
		_, ok, err := st.Lookup(ctx, token, at)
		if err != nil {
			t.Fatalf("lookup %s: %v", token, err)
		}
		return ok
	}
	create := func(t *testing.T, st Store, s Session, rule Rule) {
		t.Helper()
		if err := st.Create(ctx, s, rule); err != nil {
			t.Fatalf("create %s: %v", s.Token, err)
		}
	}

	t.Run("create lookup delete", func(t *testing.T) {
		st := newStore(t)
		create(t, st, sess("a", 1, "10.0.0.1", time.Hour), RuleOneUserPerIP)
		s, ok, err := st.Lookup(ctx, "a", t0.Add(time.Minute))
		if err != nil || !ok {
			t.Fatalf("lookup: ok=%v err=%v", ok, err)
		}
		if s.UserID != 1 || s.IP != "10.0.0.1" || s.Service != "svc" || s.TTL != time.Hour || !s.LastSeen.Equal(t0.Add(time.Minute)) {
			t.Fatalf("lookup returned %+v", s)
		}
		if valid(t, st, "nope", t0) {
			t.Fatal("unknown token found")
		}
		if ok, err := st.Delete(ctx, "a"); err != nil || !ok {
			t.Fatalf("delete: ok=%v err=%v", ok, err)
		}
		if ok, _ := st.Delete(ctx, "a"); ok {
			t.Fatal("second delete reported a session")
		}
		if valid(t, st, "a", t0) {
			t.Fatal("deleted token still valid")
		}
	})

	t.Run("idle refresh", func(t *testing.T) {
		st := newStore(t)
		create(t, st, sess("a", 1, "10.0.0.1", time.Hour), RuleOneUserPerIP)
		// Used every 50 minutes, it outlives its one-hour TTL many times.
		for i := 1; i <= 5; i++ {
			if !valid(t, st, "a", t0.Add(time.Duration(i)*50*time.Minute)) {
				t.Fatalf("expired at refresh %d", i)
			}
		}
		if valid(t, st, "a", t0.Add(5*50*time.Minute+time.Hour)) {
			t.Fatal("valid after an idle hour")
		}
		if valid(t, st, "a", t0) {
			t.Fatal("expired session not removed")
		}
	})

	t.Run("absolute", func(t *testing.T) {
		st := newStore(t)
		s := sess("a", 1, "10.0.0.1", time.Hour)
		s.Absolute = true
		create(t, st, s, RuleOneUserPerIP)
		if !valid(t, st, "a", t0.Add(50*time.Minute)) {
			t.Fatal("expired too early")
		}
		if valid(t, st, "a", t0.Add(61*time.Minute)) {
			t.Fatal("use extended an absolute session")
		}
	})

	t.Run("no ttl", func(t *testing.T) {
		st := newStore(t)
		create(t, st, sess("a", 1, "10.0.0.1", 0), RuleOneUserPerIP)
		if !valid(t, st, "a", t0.Add(24*365*time.Hour)) {
			t.Fatal("ttl 0 session expired")
		}
	})

	t.Run("rules", func(t *testing.T) {
		type login struct {
			token string
			user  int
			ip    string
		}
		logins := []login{
			{"a1", 1, "10.0.0.1"}, {"a2", 1, "10.0.0.1"}, {"b9", 2, "10.0.0.9"}, {"b1", 2, "10.0.0.1"},
		}
		cases := []struct {
			rule  Rule
			alive map[string]bool
		}{
			{RuleNone, map[string]bool{"a1": true, "a2": true, "b9": true, "b1": true}},
			{RuleOneUserPerIP, map[string]bool{"b9": true, "b1": true}},
			{RuleOneSessionPerIP, map[string]bool{"b9": true, "b1": true}},
			{RuleOneUserGlobal, map[string]bool{"b9": true, "b1": true}},
		}
		for _, c := range cases {
			st := newStore(t)
			for _, l := range logins[:2] {
				create(t, st, sess(l.token, l.user, l.ip, time.Hour), c.rule)
			}
			// Same user, same IP: only RuleOneSessionPerIP ends the first.
			if got, want := valid(t, st, "a1", t0), c.rule != RuleOneSessionPerIP; got != want {
				t.Errorf("rule %d: a1 valid=%v after same user's second login, want %v", c.rule, got, want)
			}
			for _, l := range logins[2:] {
				create(t, st, sess(l.token, l.user, l.ip, time.Hour), c.rule)
			}
			for _, l := range logins {
				if got := valid(t, st, l.token, t0); got != c.alive[l.token] {
					t.Errorf("rule %d: %s valid=%v, want %v", c.rule, l.token, got, c.alive[l.token])
				}
			}
		}
		// Other users on other IPs survive the per-IP rule.
		st := newStore(t)
		create(t, st, sess("x", 1, "10.0.0.1", time.Hour), RuleOneUserPerIP)
		create(t, st, sess("y", 2, "10.0.0.2", time.Hour), RuleOneUserPerIP)
		if !valid(t, st, "x", t0) || !valid(t, st, "y", t0) {
			t.Error("different IPs interfered")
		}
		// Global rule ends other users everywhere.
		create(t, st, sess("z", 3, "10.0.0.3", time.Hour), RuleOneUserGlobal)
		if valid(t, st, "x", t0) || valid(t, st, "y", t0) || !valid(t, st, "z", t0) {
			t.Error("global rule left other users' sessions")
		}
	})

	t.Run("no ip", func(t *testing.T) {
		st := newStore(t)
		create(t, st, sess("a", 1, "", time.Hour), RuleOneUserPerIP)
		create(t, st, sess("b", 2, "", time.Hour), RuleOneUserPerIP)
		if !valid(t, st, "a", t0) || !valid(t, st, "b", t0) {
			t.Error("sessions without IP ended each other")
		}
		if ok, err := st.Delete(ctx, "a"); !ok || err != nil {
			t.Errorf("delete: ok=%v err=%v", ok, err)
		}
	})
}
