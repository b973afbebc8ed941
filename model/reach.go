package model

// judges says, per rule key, the operation in a state whose answer the rule judges: what an
// exploration must have sent for the rule's verdict to say anything. A model spec whose rule
// judged no answer is skipped with it (specs/sequences).
var judges = map[string]string{
	RuleLogin:        "a login with the right credentials from an address no other user's session holds",
	RuleWrong:        "a login with a wrong password (or secret), or an unknown login",
	RuleWrongName:    "a login with a wrong form of the login name and the right secret",
	RuleAccepted:     "a probe with a live token in the document's first placement",
	RuleQuery:        "a probe with a live token in the document's second placement",
	RuleForged:       "a probe with a token one character off an issued one",
	RuleServices:     "a probe with a live token after its user logged in for another service from the same address",
	RuleOneUser:      "a login from an address another user's session may hold, or a probe with a token such a login ended",
	RuleIPsApart:     "a probe with a live token after another user logged in from another address",
	RuleLogoutAnswer: "a logout of a live token",
	RuleLogoutEnds:   "a probe with a token logged out",
	RuleLogoutKeeps:  "a probe with a live token after its user's token of another service from the same address was logged out",
	RuleTTLWithin:    "a probe with a live token after a clock move short of the idle TTL",
	RuleTTLExpires:   "a probe with a token after a clock move past the idle TTL with neither it nor its user used",
	RuleNamesUser:    "a probe accepted with a live token (its user object)",
	RuleKeyOwnUser:   "a probe with a live key sent with another account's user name",
	RuleUserRequired: "a probe with a live key sent without the user name",
	RuleAPIKey:       "a request without the company API key, or with a wrong one",
	RuleCompany:      "a login of one company's user with another company's API key, or of another company's user",
	Rule2FAChallenge: "a login of a 2FA account with its right password and no code",
	Rule2FACode:      "a login of a 2FA account with the latest code sent, unused, no code refused since",
	Rule2FAWrong:     "a login of a 2FA account with a code never sent",
	Rule2FAOther:     "a login of a 2FA account with another 2FA account's latest code",
}

// Judges says what an exploration must have sent for rule key to judge an answer, "" for a
// key no model has.
func Judges(key string) string { return judges[key] }
