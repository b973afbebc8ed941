// Package newapikey encodes doc 002 (a login that hands out an API key): GET
// /user/newapikey/login.json with user, pass and description answers ADDED_KEY and a key, or
// ADDED_TF for a 2FA user, whose code goes to the phone and comes back as tfkey; every later
// query carries user and key; the file suffix picks JSON or XML.
package newapikey

import "github.com/conformhq/conform/specs/cite"

// doc is the document this package encodes.
var doc = cite.Document{Profile: "newapikey", Number: "002"}

// The document's sentences, verbatim; an example is quoted with its line breaks and indentation
// folded into single spaces. A quote that runs across HTML tags (a paragraph into its example,
// "<strong>once</strong>") is quoted without them and says so: RenderedFrom(cite.HTML).
const (
	qAddedKey = `$ /user/newapikey/login.json?user=username&pass=password&description=YourAPP { "status": "success", "success": "ADDED_KEY", "newapikey": { "controlapikey": 0, "key": "dcHZ2TXvMV" } }`
	qAddedTF  = `In case the user has two-factor-authentication activated, which will send a code to the users phone, you will get this response: { "status": "success", "success": "ADDED_TF" }`
	qTfkey    = `You provide a screen that takes the users code and make a new request: $ /user/newapikey/login.json?user=username&pass=password&description=YourAPP&tfkey=1234 { "status": "success", "success": "ADDED_KEY", "newapikey": { "controlapikey": 0, "key": "NGsfRk97bL" } }`
	qWrong    = `If something is wrong with username, password or tfkey the response will be: { "status": "error", "error": "USER_NOT_FOUND", "login": { "user": "username", "pass": "password" } }`
	qEvery    = "You have to append your username and key to every query you are making. Here is an example of querying your personal information: $ /view/user/api.json?user=username&key=key"
	qOnce     = "This only needs to be done once. When calling the API further on use the generated key."
	qFormat   = "Change output format by switching file suffix. Fx. api.[json, xml]"
)

var (
	reqAddedKey      = doc.Must("login.added-key", cite.Shape, qAddedKey)
	reqWrongRefused  = doc.Must("login.wrong-credentials-refused", cite.Auth, qWrong).RenderedFrom(cite.HTML)
	reqErrorShape    = doc.Must("login.error-shape", cite.Shape, qWrong).RenderedFrom(cite.HTML)
	reqAddedTF       = doc.Must("2fa.added-tf", cite.TwoFactor, qAddedTF).RenderedFrom(cite.HTML)
	reqCodeDelivered = doc.Must("2fa.code-delivered", cite.TwoFactor, qAddedTF).RenderedFrom(cite.HTML)
	reqTfkey         = doc.Must("2fa.tfkey", cite.TwoFactor, qTfkey).RenderedFrom(cite.HTML)
	reqWrongTfkey    = doc.Must("2fa.wrong-tfkey-refused", cite.TwoFactor, qWrong).RenderedFrom(cite.HTML)
	reqKeyWorks      = doc.Must("key.accepted", cite.Placement, qEvery).RenderedFrom(cite.HTML)
	reqKeyRequired   = doc.Must("key.required", cite.Placement, qEvery).RenderedFrom(cite.HTML)
	reqKeyOwnUser    = doc.Must("key.bound-to-user", cite.Placement, qEvery).RenderedFrom(cite.HTML)
	reqKeyReusable   = doc.Must("key.reusable", cite.Placement, qOnce).RenderedFrom(cite.HTML)
	reqUserRequired  = doc.Should("key.user-required", cite.Placement, qEvery,
		"Doc 002 says every query carries the username and the key. A query with a valid key and no username lacks what the document requires, but the key alone names its user, so a server may answer it without lowering the key's protection: refusing it is the document's rule read strictly, not something it says the server checks. A server that answers it lets clients drop the username, which a server keeping to the document then refuses.").RenderedFrom(cite.HTML)
	reqEarlierKeys = doc.Should("key.earlier-keys-kept", cite.Placement, qOnce,
		"Doc 002 does not say whether a key stays valid after a later login. It says the login \"only needs to be done once\" and that later calls \"use the generated key\", and the login names the application (description=YourAPP): an application that logged in once keeps calling with its key while another application of the same user logs in, which a server that revokes earlier keys breaks.").RenderedFrom(cite.HTML)
	reqOwnData   = doc.Must("view.personal-information", cite.Shape, qEvery).RenderedFrom(cite.HTML)
	reqNamesUser = doc.Should("view.names-user", cite.Shape, qEvery,
		"Doc 002 shows the query of \"your personal information\" and no answer. Personal information that names its user by the user name the query sent lets a client tell whose it is; a server may name the user by an id or an email instead, which the config does not know, so its absence is no breach of the document.").RenderedFrom(cite.HTML)
	reqXMLWellFormed = doc.Must("format.xml-well-formed", cite.Shape, qFormat)
	reqXMLSameAsJSON = doc.Must("format.xml-same-data", cite.Shape, qFormat)
)
