// Package model holds a model of each document's sessions: the state a document implies
// (accounts, the tokens issued with their owner, client address, service and last use on the
// model's clock, doc 003's one user per address), the operations a run can make, and for each
// operation in a state the set of answers the document allows. It is pure data and functions,
// no I/O: package explore sends the operations to a target and asks the model about each
// answer.
//
// Where a document is silent the model allows every reading, and says which (Doc.Readings):
// a token the document neither keeps nor ends is in doubt, and its next use settles which
// reading the target chose. Each rule the model enforces is a requirement of category model
// (Doc.Rules), citing the sentence it comes from; a discrepancy names its rule.
package model

import (
	"fmt"
	"time"
)

// Kind is what an operation does.
type Kind int

// The operations.
const (
	// Login logs an account in, with its right credentials or a wrong form of them.
	Login Kind = iota
	// Probe uses a token (one a login issued, or a forged form of one) on the probe request.
	Probe
	// Logout logs a token out (doc 003).
	Logout
	// Clock advances the target's clock through the config's clock hook.
	Clock
	// Challenge logs a 2FA account in with its right password and no code (model/twofactor.go).
	Challenge
	// Submit logs a 2FA account in with its right password (a wrong one when Op.Wrong > 0)
	// and the code Op.Code picks.
	Submit
)

// Advance is how far a Clock operation moves the clock: just short of the idle TTL, or just
// past it. Any sum of two or more advances is past the TTL by far, so no token's idle time
// ever lands near the edge, where a target's rounding may decide either way.
type Advance int

// The advances.
const (
	Under Advance = iota // the TTL less the edge
	Past                 // the TTL and the edge
)

// Op is one operation of a generated sequence. Its indices are resolved against the state when
// it runs (Token is the n-th token issued, modulo how many there are), so a sequence with
// operations taken out, as shrinking makes, still runs.
type Op struct {
	Kind Kind
	// Account is the account a Login logs in (an index into the config's accounts).
	Account int
	// Wrong is 0 for the right credentials; n > 0 sends wrong form n-1 (see Setup.WrongForms).
	// A Submit with Wrong > 0 sends a wrong password with its code.
	Wrong int
	// Name says wrong form Wrong changes the login name (doc 001's apiKey), not the password:
	// the model judges it by RuleWrongName where the document has that rule.
	Name bool
	// From is the client address of a Login (an index into Setup.Addresses). A Probe or Logout
	// is sent from the address its token was issued to.
	From int
	// Service numbers the session of a Login (doc 003's service; Setup.Services of them).
	Service int
	// Token picks the token of a Probe or Logout: the Token-th issued, modulo their number;
	// a negative Token counts from the last (-1 the last issued, or the first when fewer).
	Token int
	// Place is the placement of a Probe's token (an index into the document's placements).
	Place int
	// Forge is 0 to send the token as issued, 1 without its last character, 2 with one
	// character appended, 3 in another letter case (doc 002's key only): tokens no login
	// issued.
	Forge int
	// OtherUser: a Probe sends the token with another account's user name beside it (doc
	// 002's views take the user and the key).
	OtherUser bool
	// WithoutUser: a Probe sends the key without the user name (doc 002; a should, sent only in
	// a --strict run).
	WithoutUser bool
	// Advance is how far a Clock moves.
	Advance Advance
	// Together numbers the group of operations released together that this one belongs to
	// (0: sent alone); a group is the consecutive operations of a sequence with one number,
	// judged by State.Group. A Clock is never in a group.
	Together int
	// ID names the operation in its sequence (0: unnamed), and Of, when not 0, pins the token
	// of a Probe or Logout to the one the login with that ID issued, whichever Token says
	// (Token is used when that login issued none). The shrinker pins every use to the token
	// it used in the failing sequence, so taking out an earlier login does not move it.
	ID, Of int
	// Form is the wire form the operation's request is sent in: 0 as the wire builds it,
	// n > 0 the ((n-1) mod their number)-th form the catalogue makes the same request
	// (package wireform). The model does not read it: an equivalent form gets the same answer.
	Form int
	// Code is the code a Submit sends; its Account is an index among the 2FA accounts, and
	// Token picks among the earlier codes.
	Code CodeKind
	// Key is the company API key (doc 000) a Login, Probe, Challenge or Submit carries;
	// KeyForm numbers the form of it the engine sends (the model does not read it).
	Key     KeyKind
	KeyForm int
}

// KeyKind is the company API key an operation carries (doc 000).
type KeyKind int

// The company keys.
const (
	// KeyRight is the config's company key.
	KeyRight KeyKind = iota
	// KeyWrong is no key, or a wrong one: empty, in another letter case, cut, lengthened, or
	// one the target never issued.
	KeyWrong
	// KeyOtherCompany is another company's key, on a login of this company's user.
	KeyOtherCompany
	// KeyForeignUser is this company's key on a login of another company's user.
	KeyForeignUser
)

// Outcome is what an answer was, as the engine reads it with the document's wire.
type Outcome int

// The outcomes.
const (
	// Issued: a login answer with a token where the document puts it.
	Issued Outcome = iota
	// Refused: a login refused (no token; HTTP 401, 403 or another client error status, or
	// the document's failure envelope), a probe the config's probe rule refuses, a logout not
	// in the document's success shape.
	Refused
	// Accepted: a probe the config's probe rule accepts; a logout in the document's success
	// shape.
	Accepted
	// Other: none of these (a 5xx, a 200 without a token).
	Other
	// Challenged: a login answer that is the document's 2FA challenge (doc 000's two_factor
	// false, doc 002's ADDED_TF).
	Challenged
)

func (o Outcome) String() string {
	switch o {
	case Issued:
		return "a token"
	case Refused:
		return "a refusal"
	case Accepted:
		return "accepted"
	case Challenged:
		return "the 2FA challenge"
	}
	return "neither a token nor a refusal"
}

// Answer is one answer as the model judges it.
type Answer struct {
	Outcome Outcome
	// Status is the HTTP status (doc 004 documents 401 for a refused login).
	Status int
	// Token is the token an Issued login answer carries.
	Token string
	// Envelope, for an Issued login, says why the answer lacks the document's success
	// envelope ("" when it has it).
	Envelope string
	// User, for an Accepted probe of a document whose probe returns the user (doc 004), is
	// the account the answer names: its index, NoUser when it names none, Several when it
	// names more than one.
	User int
	// Code, for a Challenged answer, is the code that arrived at the account's sink after it,
	// "" when none did.
	Code string
}

// User values of an answer that names no single account; Unread for an answer whose user the
// engine does not read (doc 002's .xml view), which the model then does not judge.
const (
	NoUser  = -1
	Several = -2
	Unread  = -3
)

// Setup is what the run offers the model: how many accounts, client addresses, services and
// placements there are, and the idle TTL when a clock hook can move the target's time.
type Setup struct {
	Accounts   int
	Addresses  int
	Services   int
	Placements int
	// WrongForms is how many wrong forms of the credentials a Login may send.
	WrongForms int
	// TTL is the idle TTL; Edge how far short of or past it a Clock moves; Clock says the
	// target's clock can be moved (a clock hook).
	TTL, Edge time.Duration
	Clock     bool
	// Foreign says each address may hold a session opened before the exploration (by the
	// specs that ran before it), so a login from it may meet another user's session.
	Foreign bool
	// TwoFactor is how many accounts with 2FA there are, whose codes the run can read; they
	// come after the Accounts others in Token.Owner.
	TwoFactor int
}

// Judgement is the model's word on one answer.
type Judgement struct {
	// Rule is the key of the rule the answer was judged by (Doc.Rules); "" where the
	// document allows any answer.
	Rule string
	// Also is the key of a second rule the answer was judged by and kept (doc 004's user
	// object, judged with the token's acceptance), "" when none.
	Also string
	// Allowed says what the document allows here, and why.
	Allowed string
	// OK is false for a discrepancy.
	OK bool
}

func allowed(rule string, ok bool, format string, args ...any) Judgement {
	return Judgement{Rule: rule, OK: ok, Allowed: fmt.Sprintf(format, args...)}
}
