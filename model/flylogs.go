package model

import "github.com/conformhq/conform/specs/cite"

// Doc 000's sentences the model's rules cite, verbatim.
const (
	q000Success = `{ "response": { "result": true, "two_factor": null "message": null, "url": "/users", "token": "kub0bmm3immamk6q1brojrq527" } }`
	q000Failure = `{ "response": { "result": false, "message": "Incorrect email or password", "url": null } }`
	q000Session = "To make your first request, send an authenticated request to the users login url. This will store a session token in the database that you will need to send in each following requests."
	q000False   = "If two_factor field is false, the provided code was not correct or empty. This case, triggers a code generation process and email."
	q000Key     = "Your API requests are authenticated using API keys. Any request that doesn't include an API key will return an error."
	q000Company = "Valid email address of an existing user in your company."
	q000Correct = "Provide the correct code and Flylogs will return result=true for email and password validation, and two_factor=true for correct 2FA authentication."
)

// Flylogs is doc 000's model: a login stores a session token "that you will need to send in
// each following requests"; a 2FA user's login without the right code gets two_factor false
// and a code by email, and with the code a token. The document has no logout and gives no
// lifetime; where the token goes, and the request that proves it valid, the config says.
func Flylogs() *Doc {
	doc := cite.Document{Profile: "flylogs", Number: "000"}
	must := func(key, q string) keyed { return keyed{key, doc.Must("model."+key, cite.Model, q)} }
	d := &Doc{
		Profile:    "flylogs",
		TwoFactor:  true,
		CompanyKey: true,
		PlaceRules: []string{RuleAccepted},
		Readings: []string{
			"a new login of the same user may end the earlier session tokens or keep them",
			"the document gives tokens no lifetime: the exploration does not move the clock",
			"a 2FA code superseded by a later one may still log its user in, or not; so may a code that logged its user in already (the document does not say a code is single-use)",
			"after a refused code a target may end the user's outstanding codes (a limit on failed attempts): the latest code is then not required to log in",
			"a code sent with a wrong password gets no token, whatever the answer otherwise; the attempt may use up the code or count as a failed attempt, so the latest code is not required to log in after it",
			"a wrong code may be answered with two_factor false and a new code, or refused otherwise: either way without a token",
			"a request without the company API key, with it in another letter case, cut, lengthened, empty or never issued, or a login with another company's key or of another company's user, may be answered by any error (any status, any body without a token and without response.result true); the document does not say whether such a 2FA login checked or used its code first, so the user's latest code is then not required to log in",
		},
	}
	d.rules(
		must(RuleLogin, q000Success),
		must(RuleWrong, q000Failure),
		must(RuleAccepted, q000Session),
		must(RuleForged, q000Session),
		must(RuleAPIKey, q000Key),
		must(RuleCompany, q000Company),
		must(Rule2FAChallenge, q000False),
		must(Rule2FACode, q000Correct),
		must(Rule2FAWrong, q000False),
		must(Rule2FAOther, q000Correct),
	)
	return d
}
