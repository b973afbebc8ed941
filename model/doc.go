package model

import "github.com/conformhq/conform/specs/cite"

// The rules a model may enforce, by key; a document's model enforces those its Rules name.
// A requirement's id is "<profile>.model.<key>".
const (
	// RuleLogin: the right credentials get a token (where no rule lets the target refuse).
	RuleLogin = "login-issues-token"
	// RuleWrong: a wrong form of the credentials never gets a token.
	RuleWrong = "wrong-credentials-refused"
	// RuleWrongName: a wrong form of the login name (doc 001's apiKey) with the right secret
	// never gets a token; a document without it judges such a login by RuleWrong.
	RuleWrongName = "wrong-login-name-refused"
	// RuleAccepted: a live token is accepted (in the document's first placement).
	RuleAccepted = "live-token-accepted"
	// RuleQuery: a live token is accepted in the document's second placement (doc 004's
	// query parameter).
	RuleQuery = "live-token-accepted-in-query"
	// RuleForged: a token no login issued (an issued one cut or lengthened) is refused.
	RuleForged = "forged-token-refused"
	// RuleServices: a login for another service keeps the user's sessions of other services.
	RuleServices = "other-services-kept"
	// RuleOneUser: a user's login from an address ends other users' sessions there, or is
	// refused.
	RuleOneUser = "one-user-per-ip"
	// RuleIPsApart: a login from one address keeps other users' sessions of other addresses.
	RuleIPsApart = "other-ips-kept"
	// RuleLogoutAnswer: the logout of a live token answers the document's success.
	RuleLogoutAnswer = "logout-answers-success"
	// RuleLogoutEnds: a token logged out is refused from then on.
	RuleLogoutEnds = "logout-ends-token"
	// RuleLogoutKeeps: a logout keeps its user's tokens of other services from the same
	// address (doc 003 deletes "your token": the one the logout carries).
	RuleLogoutKeeps = "logout-keeps-other-services"
	// RuleTTLWithin: a token used within the idle TTL stays valid.
	RuleTTLWithin = "ttl-keeps-active-token"
	// RuleTTLExpires: a token idle past the TTL is refused.
	RuleTTLExpires = "ttl-ends-idle-token"
	// RuleNamesUser: the probe returns the user whose token it carries.
	RuleNamesUser = "me-names-token-owner"
	// RuleKeyOwnUser: a key sent with another user's name is refused (doc 002's views take the
	// user beside the key).
	RuleKeyOwnUser = "key-bound-to-user"
	// RuleUserRequired: a key sent without the user name is refused (doc 002, a should: the
	// key alone names its user); judged only in a --strict run (explore.Options.Strict).
	RuleUserRequired = "key-user-required"
	// RuleAPIKey: a request without the company API key, or with a wrong one, gets an error
	// (doc 000): no token, no challenge, no probe accepted.
	RuleAPIKey = "api-key-required"
	// RuleCompany: a login of one company's user with another company's API key gets no token
	// (doc 000's "an existing user in your company").
	RuleCompany = "company-users-only"
)

// Doc is one document's model: what it documents of sessions, as switches of the session
// model the documents share (State), and the requirement of each rule it enforces.
type Doc struct {
	// Profile is the profile name, e.g. lptracker.
	Profile string
	// Rules are the requirements of the rules this model enforces, by rule key, in Order.
	Rules map[string]cite.Requirement
	Order []string
	// OneUserPerIP: doc 003's one user per client address.
	OneUserPerIP bool
	// Services: a login names a service, and a user's sessions of other services stay.
	Services bool
	// Logout: the document has a logout.
	Logout bool
	// IdleTTL: the document gives an idle TTL, which activity extends.
	IdleTTL bool
	// NamesUser: the probe returns the user of the token it carries (doc 004's /users/me,
	// doc 002's personal information), and no other. MayLeaveUnnamed: the document shows no
	// answer to it (doc 002), so an answer that names no account at all (an id or an email
	// the config does not know) is allowed; one that names another account is not.
	NamesUser, MayLeaveUnnamed bool
	// RefusalStatus, when not 0, is the HTTP status the document gives a refused login.
	RefusalStatus int
	// PlaceRules is the rule a live token's refusal breaks in each placement.
	PlaceRules []string
	// TwoFactor: the document has 2FA by a code sent to the user (docs 000 and 002).
	TwoFactor bool
	// CompanyKey: every request carries the company's API key (doc 000).
	CompanyKey bool
	// Readings say what the model accepts where the document is silent.
	Readings []string
}

// Requirements lists the requirements of the rules the model enforces, in Order.
func (d *Doc) Requirements() []cite.Requirement {
	out := make([]cite.Requirement, 0, len(d.Order))
	for _, k := range d.Order {
		out = append(out, d.Rules[k])
	}
	return out
}

// Rule returns the requirement of a rule key; ok is false for a key the model does not enforce.
func (d *Doc) Rule(key string) (cite.Requirement, bool) {
	r, ok := d.Rules[key]
	return r, ok
}

// keyed is a rule's requirement under its key.
type keyed struct {
	key string
	req cite.Requirement
}

// rules builds Rules and Order from the rules in their order.
func (d *Doc) rules(rs ...keyed) {
	d.Rules = map[string]cite.Requirement{}
	for _, r := range rs {
		d.Rules[r.key] = r.req
		d.Order = append(d.Order, r.key)
	}
}

// For returns the model of a profile, or nil when it has none yet.
func For(profile string) *Doc {
	switch profile {
	case "flylogs":
		return Flylogs()
	case "apikey":
		return APIKey()
	case "newapikey":
		return NewAPIKey()
	case "lptracker":
		return Lptracker()
	case "jwt":
		return JWT()
	}
	return nil
}
