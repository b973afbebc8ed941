// Package store keeps the sessions of the conform reference server.
//
// A session is an opaque token bound to a user, the client IP it logged in
// from and the service it named. Sessions expire after an idle lifetime
// (doc 003: "if no action is taken during that period, the token becomes
// invalid"), so Lookup both checks and refreshes the last activity. Time is
// always passed in by the caller: the reference server owns a clock that its
// test hook can advance, and the store must agree with that clock rather than
// with time.Now.
//
// Two implementations exist: Memory (one process, sharded) and Redis (several
// reference instances sharing sessions).
package store

import (
	"context"
	"errors"
	"time"
)

// Session is one issued token. Fields other than LastSeen never change after
// Create, which lets the memory store read them without locks.
type Session struct {
	// Token is the opaque value the client sends back.
	Token string
	// UserID is the User.ID of the account the token belongs to.
	UserID int
	// IP is the client address the login came from, used by the per-IP rules.
	// Empty means the session takes no part in any per-IP rule.
	IP string
	// Service is the caller-chosen service name (doc 003 "service").
	Service string
	// Created is when the session was issued (server clock).
	Created time.Time
	// LastSeen is the last successful use; Lookup returns the refreshed value.
	LastSeen time.Time
	// TTL is the lifetime; zero means the session never expires.
	TTL time.Duration
	// Absolute makes TTL count from Created instead of from LastSeen, so use
	// does not extend the lifetime. The reference sets it only to break doc
	// 003's idle timeout on purpose.
	Absolute bool
}

// Expired reports whether s is no longer valid at now.
func (s *Session) Expired(now time.Time) bool {
	if s.TTL <= 0 {
		return false
	}
	base := s.LastSeen
	if s.Absolute {
		base = s.Created
	}
	return now.Sub(base) >= s.TTL
}

// Rule says which existing sessions a new session ends when it is created.
// It is applied in the same step as the insert so that, even under
// concurrent logins, the invariant of the rule holds at every instant.
type Rule uint8

const (
	// RuleNone ends no session.
	RuleNone Rule = iota
	// RuleOneUserPerIP ends the sessions of other users from the same IP:
	// doc 003 "from one IP address only one lptracker user can be authorized
	// at a time", while "any number of services" of the same user may stay.
	RuleOneUserPerIP
	// RuleOneSessionPerIP ends every other session from the same IP,
	// including the same user's other services.
	RuleOneSessionPerIP
	// RuleOneUserGlobal ends the sessions of other users from every IP.
	RuleOneUserGlobal
)

// ErrFull is returned by Create when the store refuses more sessions, which
// keeps memory bounded under a login flood.
var ErrFull = errors.New("session store full")

// Store holds sessions. Implementations are safe for concurrent use.
type Store interface {
	// Create stores s (its LastSeen is set to s.Created) and ends the
	// sessions that rule says conflict with it.
	Create(ctx context.Context, s Session, rule Rule) error
	// Lookup returns the session of token if it is valid at now, and records
	// now as its last activity unless the session is Absolute. An expired
	// session is removed and reported as not found.
	Lookup(ctx context.Context, token string, now time.Time) (Session, bool, error)
	// Delete removes token and reports whether it existed.
	Delete(ctx context.Context, token string) (bool, error)
}
