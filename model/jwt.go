package model

import "github.com/conformhq/conform/specs/cite"

// Doc 004's sentences the model's rules cite, verbatim.
const (
	q004Returns = `POST /users/login expects JSON in the message body. [...] Returns the following { "uid": "a52ee085-ff47-4ee1-bac3-a8a319f674ed", "token": "eyJ0eXAiOiJKV1Qi[...]" }`
	q004Fail    = "Or it will respond with a status code of 401 and a message explaining why they can't login."
	q004Header  = "The returned token must then be passed in as a header on future requests using the header x-access-token"
	q004Query   = "Pass the token as a query parameter."
	q004Me      = "GET /users/me - returns the logged in user's object"
)

// JWT is doc 004's model: a login returns a token that works on future requests, in header
// x-access-token or query parameter token, and GET /users/me returns its user. The document
// has no logout and gives no lifetime, so nothing but a new login of the same user may end a
// token, and only by a reading the document leaves open.
func JWT() *Doc {
	doc := cite.Document{Profile: "jwt", Number: "004"}
	must := func(key string, q string) keyed {
		return keyed{key, doc.Must("model."+key, cite.Model, q)}
	}
	d := &Doc{
		Profile: "jwt", NamesUser: true, RefusalStatus: 401,
		PlaceRules: []string{RuleAccepted, RuleQuery},
		Readings: []string{
			"a new login of a user may end the user's earlier tokens or keep them",
			"the document gives tokens no lifetime: the exploration does not move the clock, and judges a token within the seconds it runs",
		},
	}
	login := must(RuleLogin, q004Returns)
	login.req = login.req.RenderedFrom(cite.MarkdownTable)
	d.rules(
		login,
		must(RuleWrong, q004Fail),
		must(RuleAccepted, q004Header),
		must(RuleQuery, q004Query),
		must(RuleForged, q004Header),
		must(RuleNamesUser, q004Me),
	)
	return d
}
