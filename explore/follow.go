package explore

import (
	"math/rand/v2"

	"github.com/conformhq/conform/model"
)

// Follow-ups: now and then the operation after another is drawn for what the rules need the two
// to do in one sequence, which independent draws bring together too rarely for a short budget
// (a model spec whose rule judged no answer is skipped, not passed).
const (
	// useAfterClockOdds: after a clock move, a probe of one of the last two tokens issued one
	// time in useAfterClockOdds, so that a token used between two moves short of the idle TTL
	// (activity that keeps it alive) comes up.
	useAfterClockOdds = 2
	// useAfterLogoutOdds: after a logout, a probe of one of the last two tokens issued one
	// time in useAfterLogoutOdds: what the logout did to its user's other tokens (doc 003
	// keeps those of other services from the address).
	useAfterLogoutOdds = 2
	// submitAfterOdds: after a 2FA account's challenge or submission, a submission of that
	// account's code one time in submitAfterOdds, as a user types the code that came; the
	// other 2FA account's challenge one time in challengeOtherOdds, so that both have a code
	// and one can be tried on the other.
	submitAfterOdds    = 2
	challengeOtherOdds = 4
	// neighbourOdds: after a login with the right credentials, one time in neighbourOdds a
	// login next to it (doc 003: the same user from the same address for another service, or
	// another user from another address); probeEarlierOdds: one time in probeEarlierOdds a
	// probe of the token before the last, which says what the last login did to it, and (doc
	// 003) as often a logout of that token, after which a probe says what the logout did to
	// the last (useAfterLogoutOdds).
	neighbourOdds    = 4
	probeEarlierOdds = 4
)

// followUp draws the operation after prev when one of the follow-ups comes up; ok is false
// when the next operation is drawn as any other.
func (r *runner) followUp(rng *rand.Rand, prev model.Op) (op model.Op, ok bool) {
	s := r.setup
	switch prev.Kind {
	case model.Clock:
		if rng.IntN(useAfterClockOdds) == 0 {
			return model.Op{Kind: model.Probe, Token: -1 - rng.IntN(2), Place: rng.IntN(max(s.Placements, 1))}, true
		}
	case model.Logout:
		if rng.IntN(useAfterLogoutOdds) == 0 {
			return model.Op{Kind: model.Probe, Token: -1 - rng.IntN(2), Place: rng.IntN(max(s.Placements, 1))}, true
		}
	case model.Challenge, model.Submit:
		switch w := rng.IntN(submitAfterOdds * challengeOtherOdds); {
		case w < challengeOtherOdds:
			return generateSubmit(rng, prev.Account), true
		case w < challengeOtherOdds+submitAfterOdds && s.TwoFactor > 1:
			return model.Op{Kind: model.Challenge, Account: (prev.Account + 1) % s.TwoFactor}, true
		}
	case model.Login:
		if prev.Wrong != 0 {
			break
		}
		switch w := rng.IntN(neighbourOdds * probeEarlierOdds); {
		case w < probeEarlierOdds:
			if n, ok := r.neighbour(rng, prev); ok {
				return n, true
			}
		case w < probeEarlierOdds+neighbourOdds:
			return model.Op{Kind: model.Probe, Token: -2, Place: rng.IntN(max(s.Placements, 1))}, true
		case w < probeEarlierOdds+2*neighbourOdds && r.o.Doc.Logout:
			return model.Op{Kind: model.Logout, Token: -2}, true
		}
	}
	return op, false
}

// neighbour is a login next to prev where doc 003 says what it does to prev's token: the same
// user from the same address for another service keeps it ("any number of services"), another
// user from another address keeps it (one user per address, not per server).
func (r *runner) neighbour(rng *rand.Rand, prev model.Op) (model.Op, bool) {
	s, d := r.setup, r.o.Doc
	services := d.Services && s.Services > 1
	apart := d.OneUserPerIP && s.Addresses > 1 && s.Accounts > 1
	switch {
	case services && (!apart || rng.IntN(2) == 0):
		return model.Op{Kind: model.Login, Account: prev.Account, From: prev.From, Service: (prev.Service + 1 + rng.IntN(s.Services-1)) % s.Services}, true
	case apart:
		return model.Op{Kind: model.Login, Account: (prev.Account + 1) % s.Accounts, From: (prev.From + 1) % s.Addresses, Service: rng.IntN(s.Services)}, true
	}
	return model.Op{}, false
}
