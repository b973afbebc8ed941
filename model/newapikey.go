package model

import "github.com/conformhq/conform/specs/cite"

// Doc 002's sentences the model's rules cite, verbatim (read without their HTML tags where
// they run across them).
const (
	q002AddedKey = `$ /user/newapikey/login.json?user=username&pass=password&description=YourAPP { "status": "success", "success": "ADDED_KEY", "newapikey": { "controlapikey": 0, "key": "dcHZ2TXvMV" } }`
	q002Wrong    = `If something is wrong with username, password or tfkey the response will be: { "status": "error", "error": "USER_NOT_FOUND", "login": { "user": "username", "pass": "password" } }`
	q002Every    = "You have to append your username and key to every query you are making. Here is an example of querying your personal information: $ /view/user/api.json?user=username&key=key"
	q002AddedTF  = `In case the user has two-factor-authentication activated, which will send a code to the users phone, you will get this response: { "status": "success", "success": "ADDED_TF" }`
	q002Tfkey    = `You provide a screen that takes the users code and make a new request: $ /user/newapikey/login.json?user=username&pass=password&description=YourAPP&tfkey=1234 { "status": "success", "success": "ADDED_KEY", "newapikey": { "controlapikey": 0, "key": "NGsfRk97bL" } }`
)

// NewAPIKey is doc 002's model: a login adds a key, to append with the username "to every
// query"; "this only needs to be done once". A 2FA user's login gets ADDED_TF and a code to
// the phone, and with the code as tfkey a key. Whether a later login keeps the earlier keys
// the document does not say.
func NewAPIKey() *Doc {
	doc := cite.Document{Profile: "newapikey", Number: "002"}
	must := func(key, q string) keyed { return keyed{key, doc.Must("model."+key, cite.Model, q)} }
	html := func(k keyed) keyed { k.req = k.req.RenderedFrom(cite.HTML); return k }
	d := &Doc{
		Profile:   "newapikey",
		TwoFactor: true,
		NamesUser: true, MayLeaveUnnamed: true,
		PlaceRules: []string{RuleAccepted},
		Readings: []string{
			"a new login of the same user may end the user's earlier keys or keep them",
			"the document gives keys no lifetime: the exploration does not move the clock",
			"a tfkey superseded by a later code may still log its user in, or not; so may a tfkey that logged its user in already (the document does not say a code is single-use)",
			"after a refused tfkey a target may end the user's outstanding codes (a limit on failed attempts): the latest code is then not required to log in",
			"a key in another letter case is a key no login returned, refused as the key specs refuse it: the key is the one 'provided', and the document gives it no other spelling",
			"the personal information a view answers may have any fields (the document shows no answer): it may name the key's user by its user name, or by what the config does not know (an id, an email), but no other account; the .xml view's data is left to the view specs",
			"a key sent with another user's name is refused (the user and the key go together on every query); the username left out beside a valid key is a should (key-user-required), judged only with --strict",
			"a tfkey sent with a wrong password gets no token, whatever the answer otherwise; the attempt may use up the code or count as a failed attempt, so the latest code is not required to log in after it",
		},
	}
	d.rules(
		must(RuleLogin, q002AddedKey),
		html(must(RuleWrong, q002Wrong)),
		html(must(RuleAccepted, q002Every)),
		html(must(RuleForged, q002Every)),
		html(must(RuleKeyOwnUser, q002Every)),
		html(must(RuleNamesUser, q002Every)),
		keyed{RuleUserRequired, doc.Should("model."+RuleUserRequired, cite.Model, q002Every,
			"Doc 002 says every query carries the username and the key. A query with a valid key and no username lacks what the document requires, but the key alone names its user, so a server may answer it without lowering the key's protection: refusing it is the document's rule read strictly. The model judges it only with --strict, as newapikey.key.user-required does, at any point of a random sequence.").RenderedFrom(cite.HTML)},
		html(must(Rule2FAChallenge, q002AddedTF)),
		html(must(Rule2FACode, q002Tfkey)),
		html(must(Rule2FAWrong, q002Wrong)),
		html(must(Rule2FAOther, q002Wrong)),
	)
	return d
}
