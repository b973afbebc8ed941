package model

import "github.com/conformhq/conform/specs/cite"

// Doc 001's schema lines the model's rules cite, verbatim.
const (
	q001Schema = "Responses Description Successfully logged in [...] #/components/schemas/ApiKeyLoginResponse type: object"
	q001Key    = "apiKey: type: string description: The API key to authenticate with"
	q001Secret = "apiSecret: type: string description: The API secret to authenticate with"
	q001Token  = "token: type: string description: Authentication token to use for subsequent API requests"
)

// APIKey is doc 001's model: a login with an API key and secret returns a token "to use for
// subsequent API requests". The document has no logout and gives no lifetime; where the token
// goes, and the request that proves it valid, the config says.
func APIKey() *Doc {
	doc := cite.Document{Profile: "apikey", Number: "001"}
	must := func(key, q string) keyed { return keyed{key, doc.Must("model."+key, cite.Model, q)} }
	d := &Doc{
		Profile:    "apikey",
		PlaceRules: []string{RuleAccepted},
		Readings: []string{
			"a new login with the same key may end the earlier tokens or keep them",
			"the document gives tokens no lifetime: the exploration does not move the clock",
			"a wrong apiKey is empty, cut, lengthened, another key or the key in another letter case: the document types the key a string to authenticate with and allows no other spelling of it, so each is refused (as the login specs read it)",
		},
	}
	d.rules(
		must(RuleLogin, q001Schema),
		must(RuleWrong, q001Secret),
		must(RuleWrongName, q001Key),
		must(RuleAccepted, q001Token),
		must(RuleForged, q001Token),
	)
	return d
}
