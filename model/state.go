package model

import (
	"fmt"
	"time"
)

// Life is what the document lets a token be in a state.
type Life int

// The lives of a token.
const (
	// Live: the document keeps the token valid; the probe must accept it.
	Live Life = iota
	// Doubt: an event happened that a reading the document leaves open lets end the token;
	// the next use settles which reading the target chose.
	Doubt
	// Dead: the token ended; the probe must refuse it, unless only a reading ended it.
	Dead
)

// Token is a token a login issued, as the model follows it.
type Token struct {
	Value string
	// Owner, From and Service are the account, the client address and the service of the
	// login that issued it; Step is that login's step (1-based).
	Owner, From, Service, Step int
	// Op is the ID of the login operation that issued it (Op.ID), 0 when it had none.
	Op   int
	Life Life
	// LastUse is the model's time of the token's last accepted use (or its login).
	LastUse time.Duration
	// Ended is the rule that ended a Dead token, "" when a reading of a silence did (the
	// target refused a token in doubt); Why says what ended it, or put it in doubt.
	Ended, Why string
	// Kept is the rule that keeps a Live token valid since its last use (the first event since
	// then it had to survive: a failure names it, and shrinking can take the later events out),
	// "" for the placement's own rule; KeptBy says which event.
	Kept, KeptBy string
}

// State is one exploration's state of a document's model. Step moves it on.
type State struct {
	doc   *Doc
	setup Setup
	now   time.Duration
	step  int
	// tokens are every token issued, in order.
	tokens []*Token
	// foreign says an address may hold a session the exploration did not open.
	foreign []bool
	// acted is, per account, the model's time of its user's last action of any kind: the
	// broadest reading of doc 003's "no action".
	acted []time.Duration
	// tf is the codes of the 2FA accounts.
	tf twoFactor
}

// New returns the starting state of d under setup s.
func New(d *Doc, s Setup) *State {
	st := &State{doc: d, setup: s, foreign: make([]bool, max(s.Addresses, 1)), acted: make([]time.Duration, max(s.Accounts+s.TwoFactor, 1))}
	st.tf.accounts = make([]codes, s.TwoFactor)
	for i := range st.foreign {
		st.foreign[i] = s.Foreign && d.OneUserPerIP
	}
	return st
}

// Tokens returns the tokens issued so far, in order.
func (s *State) Tokens() []*Token { return s.tokens }

// Pick returns the token a Probe or Logout picks, nil when no login has issued one (the
// operation is then left out).
func (s *State) Pick(op Op) *Token {
	n := len(s.tokens)
	if n == 0 {
		return nil
	}
	if op.Of != 0 {
		for _, t := range s.tokens {
			if t.Op == op.Of {
				return t
			}
		}
	}
	if op.Token < 0 {
		return s.tokens[max(n+op.Token, 0)]
	}
	return s.tokens[op.Token%n]
}

// Advance returns how far a Clock operation moves the clock.
func (s *State) Advance(op Op) time.Duration {
	if op.Advance == Past {
		return s.setup.TTL + s.setup.Edge
	}
	return s.setup.TTL - s.setup.Edge
}

// Step judges the answer a to op, the state's next operation, and moves the state on by it.
// A Probe or Logout with no token to pick must not be judged (see Pick).
func (s *State) Step(op Op, a Answer) Judgement {
	s.step++
	if op.Key != KeyRight && op.Kind != Clock && s.doc.CompanyKey {
		return s.wrongKey(op, a)
	}
	switch op.Kind {
	case Login:
		return s.login(op, a)
	case Probe:
		return s.probe(op, a)
	case Logout:
		return s.logout(op, a)
	case Challenge:
		return s.challenge(op, a)
	case Submit:
		return s.submit(op, a)
	}
	s.clock(op)
	return Judgement{OK: true, Allowed: "any answer (the clock hook)"}
}

func (s *State) login(op Op, a Answer) Judgement {
	acc := op.Account % max(s.setup.Accounts, 1)
	s.acted[acc] = s.now
	d := s.doc
	if op.Wrong > 0 {
		want := "a refusal without a token"
		if d.RefusalStatus != 0 {
			want = fmt.Sprintf("HTTP %d without a token", d.RefusalStatus)
		}
		ok := a.Outcome != Issued && a.Token == "" && (d.RefusalStatus == 0 || a.Status == d.RefusalStatus)
		if _, has := d.Rules[RuleWrongName]; has && op.Name {
			return allowed(RuleWrongName, ok, "%s: the login name is wrong", want)
		}
		return allowed(RuleWrong, ok, "%s: the credentials are wrong", want)
	}
	from := op.From % max(s.setup.Addresses, 1)
	held := s.heldBy(acc, from)
	if a.Outcome == Issued && a.Envelope == "" {
		s.issue(acc, from, op, a.Token)
		if held != "" {
			return allowed(RuleOneUser, true, "a token (ending the other user's sessions there) or a refusal: %s", held)
		}
		return allowed(RuleLogin, true, "a token in the document's success answer")
	}
	if held != "" {
		return allowed(RuleOneUser, a.Outcome == Refused, "a token (ending the other user's sessions there) or a refusal: %s", held)
	}
	return allowed(RuleLogin, false, "a token in the document's success answer: the credentials are right and no other user holds the address")
}

// heldBy says which other user's session may hold address from, "" when none may (or the
// document has no per-address rule).
func (s *State) heldBy(acc, from int) string {
	if !s.doc.OneUserPerIP {
		return ""
	}
	for _, t := range s.tokens {
		if t.Owner != acc && t.From == from && t.Life != Dead {
			return fmt.Sprintf("account %d's token of step %d holds the address", t.Owner+1, t.Step)
		}
	}
	if s.foreign[from] {
		return "a session opened before the exploration (by an earlier spec) may hold the address"
	}
	return ""
}

// issue records a token and what its login did to the tokens before it.
func (s *State) issue(acc, from int, op Op, value string) {
	d := s.doc
	t := &Token{Value: value, Owner: acc, From: from, Service: op.Service % max(s.setup.Services, 1), Step: s.step, Op: op.ID, LastUse: s.now}
	for _, o := range s.tokens {
		if o.Life == Dead {
			continue
		}
		switch {
		case o.Owner == acc && d.Services && o.From == from && o.Service != t.Service:
			if o.Life == Live && o.Kept == "" {
				o.Kept, o.KeptBy = RuleServices, fmt.Sprintf("step %d logged its user in for another service from the same address", s.step)
			}
		case o.Owner == acc:
			o.Life, o.Why = Doubt, fmt.Sprintf("step %d logged its user in again (a new login may end earlier tokens or keep them)", s.step)
		case d.OneUserPerIP && o.From == from:
			o.Life, o.Ended, o.Why = Dead, RuleOneUser, fmt.Sprintf("step %d logged another user in from its address", s.step)
		case d.OneUserPerIP && o.Life == Live && o.Kept == "":
			o.Kept, o.KeptBy = RuleIPsApart, fmt.Sprintf("step %d logged another user in from another address", s.step)
		}
	}
	s.foreign[from] = false
	s.tokens = append(s.tokens, t)
}

func (s *State) probe(op Op, a Answer) Judgement {
	t := s.Pick(op)
	d := s.doc
	if op.Forge > 0 {
		return allowed(RuleForged, a.Outcome == Refused, "a refusal: no login issued this token")
	}
	if _, has := d.Rules[RuleUserRequired]; has && op.WithoutUser {
		return allowed(RuleUserRequired, a.Outcome == Refused, "a refusal (should): the query carries the key of account %d and no user name", t.Owner+1)
	}
	if _, has := d.Rules[RuleKeyOwnUser]; has && op.OtherUser {
		return allowed(RuleKeyOwnUser, a.Outcome == Refused, "a refusal: the key is account %d's, sent with another user's name", t.Owner+1)
	}
	rule, why := "", ""
	switch t.Life {
	case Dead:
		if t.Ended == "" {
			return allowed("", true, "any answer: the target refused this token before (%s)", t.Why)
		}
		return allowed(t.Ended, a.Outcome == Refused, "a refusal: %s", t.Why)
	case Doubt:
		if a.Outcome != Accepted {
			t.Life = Dead
			return allowed("", true, "accepted or refused: %s", t.Why)
		}
		t.Life, why = Live, "accepted or refused: "+t.Why
	default:
		rule, why = d.PlaceRules[op.Place%len(d.PlaceRules)], "accepted: the token is live"
		if t.Kept != "" {
			rule, why = t.Kept, "accepted: the token is live: "+t.KeptBy
		}
		if a.Outcome != Accepted {
			return allowed(rule, false, "%s", why)
		}
	}
	t.LastUse, t.Kept, t.KeptBy = s.now, "", ""
	s.acted[t.Owner] = s.now
	if !d.NamesUser || a.User == Unread {
		return allowed(rule, true, "%s", why)
	}
	ok, named := a.User == t.Owner, "naming account %d, the token's owner, and no other account"
	if d.MayLeaveUnnamed {
		ok, named = ok || a.User == NoUser, "naming account %d, the token's owner, or no account, and no other account"
	}
	j := allowed(RuleNamesUser, ok, "%s, with the user object "+named, why, t.Owner+1)
	if rule != "" && j.OK {
		j.Rule, j.Also = rule, RuleNamesUser
	}
	return j
}

func (s *State) logout(op Op, a Answer) Judgement {
	t := s.Pick(op)
	switch t.Life {
	case Dead:
		return allowed("", true, "any answer: the document does not say what the logout of an ended token answers")
	case Doubt:
		t.Life, t.Why = Dead, fmt.Sprintf("step %d logged it out", s.step)
		if a.Outcome == Accepted {
			t.Ended = RuleLogoutEnds
			s.doubtOthers(t)
		}
		return allowed("", true, "any answer: the token may have ended before")
	}
	t.Life, t.Ended, t.Why = Dead, RuleLogoutEnds, fmt.Sprintf("step %d logged it out", s.step)
	s.acted[t.Owner] = s.now
	s.doubtOthers(t)
	return allowed(RuleLogoutAnswer, a.Outcome == Accepted, "the document's successful logout: the token is live")
}

// doubtOthers puts the other live tokens of t's user in doubt: the document does not say
// whether a logout ends only the token it carries. Doc 003 says which it ends, though, where
// the user holds tokens of several services from one address: "your token", the one sent,
// while "any number of services" may be authorized there; those of other services from t's
// address stay live (RuleLogoutKeeps).
func (s *State) doubtOthers(t *Token) {
	for _, o := range s.tokens {
		if o == t || o.Owner != t.Owner || o.Life != Live {
			continue
		}
		if s.doc.Services && o.From == t.From && o.Service != t.Service {
			if o.Kept == "" {
				o.Kept, o.KeptBy = RuleLogoutKeeps, fmt.Sprintf("step %d logged out its user's token of another service from the same address (the logout deletes the token it carries)", s.step)
			}
			continue
		}
		o.Life, o.Why = Doubt, fmt.Sprintf("step %d logged out another token of its user (a logout may end them all)", s.step)
	}
}

func (s *State) clock(op Op) {
	s.now += s.Advance(op)
	ttl := s.setup.TTL
	for _, t := range s.tokens {
		if t.Life == Dead {
			continue
		}
		own := s.now - t.LastUse
		broad := s.now - max(t.LastUse, s.acted[t.Owner])
		switch {
		case broad > ttl:
			t.Life, t.Ended, t.Why = Dead, RuleTTLExpires, fmt.Sprintf("neither it nor its user was used for %s, past the idle TTL of %s", broad, ttl)
		case own > ttl:
			t.Life, t.Why = Doubt, fmt.Sprintf("unused for %s, past the idle TTL of %s, while its user was active (\"no action\" may mean either)", own, ttl)
		case t.Life == Live && t.Kept == "":
			t.Kept, t.KeptBy = RuleTTLWithin, fmt.Sprintf("unused for %s, within the idle TTL of %s", own, ttl)
		}
	}
}

// wrongKey judges an operation sent without the company's API key, with a wrong one, or with
// a key of another company than its user's (doc 000): an error, whatever its status or body,
// without a token. Nothing else changes, but a 2FA account's codes: a target may check or
// send a code before it looks at the key, so its latest code is no longer required to log in.
func (s *State) wrongKey(op Op, a Answer) Judgement {
	if op.Kind == Challenge || op.Kind == Submit {
		_, j := s.tfAccount(op)
		s.tf.accounts[j].failedSince = s.step
	}
	ok := a.Outcome == Refused && a.Token == ""
	switch op.Key {
	case KeyOtherCompany:
		return allowed(RuleCompany, ok, "an error without a token: the API key is another company's, and the user is not one of its users")
	case KeyForeignUser:
		return allowed(RuleCompany, ok, "an error without a token: the user is not one of the API key's company's users")
	}
	return allowed(RuleAPIKey, ok, "an error (no token, no challenge, no probe accepted): the request carries no API key, or a wrong one")
}
