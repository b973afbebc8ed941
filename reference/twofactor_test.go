package reference

import (
	"fmt"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"
)

func TestCodeBook(t *testing.T) {
	now := time.Date(2025, 1, 1, 12, 0, 0, 0, time.UTC)
	carol, dave := &User{ID: 3}, &User{ID: 4}
	b := newCodeBook("test", 6)
	seen := map[string]bool{}
	for range 200 {
		c := b.issue(carol, now, false)
		if len(c) != 6 || c[0] == '0' {
			t.Fatalf("code %q", c)
		}
		seen[c] = true
	}
	if len(seen) < 190 {
		t.Errorf("only %d distinct codes in 200", len(seen))
	}
	// A new code supersedes the earlier ones.
	b = newCodeBook("test", 4)
	first, second := b.issue(carol, now, false), b.issue(carol, now, false)
	if first != second && b.consume(carol, first, now, exact) {
		t.Error("a superseded code still valid")
	}
	if !b.consume(carol, second, now, exact) {
		t.Error("the newest code refused")
	}
	// Kept (the *.2fa-earlier-*-ok breaks): at most maxCodesPerUser outstanding, the oldest
	// go first.
	var codes []string
	for range maxCodesPerUser + 1 {
		codes = append(codes, b.issue(carol, now, true))
	}
	if codes[1] != codes[len(codes)-1] && !b.consume(carol, codes[1], now, exact) {
		t.Error("a kept earlier code refused")
	}
	if b.consume(carol, codes[0], now, exact) && codes[0] != codes[1] {
		t.Error("the oldest of too many codes still valid")
	}
	if !b.consume(carol, codes[len(codes)-1], now, exact) {
		t.Error("newest code refused")
	}
	// Bound to the user; single use; ten minutes.
	dc := b.issue(dave, now, false)
	if b.consume(carol, dc, now, exact) {
		t.Error("dave's code accepted for carol")
	}
	if !b.consume(dave, dc, now.Add(codeTTL-time.Second), exact) || b.consume(dave, dc, now, exact) {
		t.Error("dave's code not valid once within its lifetime")
	}
	late := b.issue(dave, now, false)
	if b.consume(dave, late, now.Add(codeTTL), exact) {
		t.Error("code valid after its lifetime")
	}
	// maxCodeFailures wrong guesses drop the outstanding codes.
	c := b.issue(dave, now, false)
	for i := range maxCodeFailures {
		b.consume(dave, fmt.Sprintf("x%d", i), now, exact)
	}
	if b.consume(dave, c, now, exact) {
		t.Error("code still valid after too many wrong guesses")
	}
	// consumeAny is the cross-user break's lookup.
	c = b.issue(dave, now, false)
	if !b.consumeAny(c, now) || b.consumeAny(c, now) {
		t.Error("consumeAny")
	}
}

func TestTOTPSkew(t *testing.T) {
	f := &secondFactor{book: newCodeBook("test", 6)}
	erin := &User{ID: 5, TwoFactor: TwoFactorTOTP, TOTPSecret: testTOTPSecret}
	now := time.Date(2025, 1, 1, 12, 0, 15, 0, time.UTC)
	for step, want := range map[int]bool{-2: false, -1: true, 0: true, 1: true, 2: false} {
		code, err := totp.GenerateCode(testTOTPSecret, now.Add(time.Duration(step)*30*time.Second))
		if err != nil {
			t.Fatal(err)
		}
		if got := f.check(erin, code, now); got != want {
			t.Errorf("step %+d (%s): %v, want %v", step, code, got, want)
		}
	}
	// RFC 6238's own vector (SHA-1, T=59s, 8 digits 94287082: six are 287082).
	if !f.check(erin, "287082", time.Unix(59, 0)) {
		t.Error("RFC 6238 test vector refused")
	}
}
