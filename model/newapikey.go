package model

import "github.com/conformhq/conform/specs/cite"

// Doc 002's sentences the model's rules cite, verbatim (read without their HTML tags where
// they run across them).
const (
	q002AddedKey = `$ /user/newapikey/login.json?user=username&pass=password&description=YourAPP { "status": "success", "success": "ADDED_KEY", "newapikey": { "controlapikey": 0, "key": "dcHZ2TXvMV" } }`
	q002Wrong    = `If something is wrong with username, password or tfkey the response will be: { "status": "error", "error": "USER_NOT_FOUND", "login": { "user": "username", "pass": "password" } }`
	q002Every    = "You have to append your username and key to every query you are making. Here is an example of querying your personal information: $ /view/user/api.json?user=username&key=key"
)

// NewAPIKey is doc 002's model for its accounts without 2FA: a login adds a key, to append
// with the username "to every query"; "this only needs to be done once". Whether a later
// login keeps the earlier keys the document does not say.
func NewAPIKey() *Doc {
	doc := cite.Document{Profile: "newapikey", Number: "002"}
	must := func(key, q string) keyed { return keyed{key, doc.Must("model."+key, cite.Model, q)} }
	html := func(k keyed) keyed { k.req = k.req.RenderedFrom(cite.HTML); return k }
	d := &Doc{
		Profile:    "newapikey",
		PlaceRules: []string{RuleAccepted},
		Readings: []string{
			"a new login of the same user may end the user's earlier keys or keep them",
			"the document gives keys no lifetime: the exploration does not move the clock",
			"accounts with 2FA are left out of the exploration (the 2FA specs check them)",
		},
	}
	d.rules(
		must(RuleLogin, q002AddedKey),
		html(must(RuleWrong, q002Wrong)),
		html(must(RuleAccepted, q002Every)),
		html(must(RuleForged, q002Every)),
	)
	return d
}
