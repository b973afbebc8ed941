package model

import "github.com/conformhq/conform/specs/cite"

// Doc 000's sentences the model's rules cite, verbatim.
const (
	q000Success = `{ "response": { "result": true, "two_factor": null "message": null, "url": "/users", "token": "kub0bmm3immamk6q1brojrq527" } }`
	q000Failure = `{ "response": { "result": false, "message": "Incorrect email or password", "url": null } }`
	q000Session = "To make your first request, send an authenticated request to the users login url. This will store a session token in the database that you will need to send in each following requests."
)

// Flylogs is doc 000's model for its accounts without 2FA: a login stores a session token
// "that you will need to send in each following requests". The document has no logout and
// gives no lifetime; where the token goes, and the request that proves it valid, the config
// says.
func Flylogs() *Doc {
	doc := cite.Document{Profile: "flylogs", Number: "000"}
	must := func(key, q string) keyed { return keyed{key, doc.Must("model."+key, cite.Model, q)} }
	d := &Doc{
		Profile:    "flylogs",
		PlaceRules: []string{RuleAccepted},
		Readings: []string{
			"a new login of the same user may end the earlier session tokens or keep them",
			"the document gives tokens no lifetime: the exploration does not move the clock",
			"accounts with 2FA are left out of the exploration (the 2FA specs check them)",
		},
	}
	d.rules(
		must(RuleLogin, q000Success),
		must(RuleWrong, q000Failure),
		must(RuleAccepted, q000Session),
		must(RuleForged, q000Session),
	)
	return d
}
