// Package flylogs encodes doc 000 (the Flylogs API quick start): the company API key on every
// request, POST /users/login.json with its answers inside "response", 2FA by a code mailed
// when the code is missing or wrong, and the session token sent on later requests.
package flylogs

import "github.com/conformhq/conform/specs/cite"

// doc is the document this package encodes.
var doc = cite.Document{Profile: "flylogs", Number: "000"}

// The document's sentences, verbatim; a JSON example is quoted with its line breaks folded
// into spaces (its missing comma after "two_factor": null included).
const (
	qKeyRequired   = "Your API requests are authenticated using API keys. Any request that doesn't include an API key will return an error."
	qAuthenticated = "Your API requests are authenticated using API keys."
	qCompany       = "Valid email address of an existing user in your company."
	qSession       = "To make your first request, send an authenticated request to the users login url. This will store a session token in the database that you will need to send in each following requests."
	qSuccess       = `{ "response": { "result": true, "two_factor": null "message": null, "url": "/users", "token": "kub0bmm3immamk6q1brojrq527" } }`
	qFailure       = `{ "response": { "result": false, "message": "Incorrect email or password", "url": null } }`
	qCurl          = `curl https://www.flylogs.com.com/users/login.json -u YOUR_API_KEY: -d email='email@address.com' -d species='Secret-Password' -d code=''`
	qInitial       = "You should make an initial request and check code field to be null or true."
	qFalse         = "If two_factor field is false, the provided code was not correct or empty. This case, triggers a code generation process and email."
	qCorrect       = "Provide the correct code and Flylogs will return result=true for email and password validation, and two_factor=true for correct 2FA authentication."
)

var (
	reqKeyRequired   = doc.Must("api-key.required", cite.Auth, qKeyRequired)
	reqKeyUnknown    = doc.Must("api-key.unknown-refused", cite.Auth, qAuthenticated)
	reqCompanyUsers  = doc.Must("login.company-users-only", cite.Auth, qCompany)
	reqFormPost      = doc.Must("login.form-post", cite.Auth, qCurl)
	reqSuccessShape  = doc.Must("login.success-shape", cite.Shape, qSuccess)
	reqWrongPassword = doc.Must("login.wrong-password-refused", cite.Auth, qFailure)
	reqFailureShape  = doc.Must("login.failure-shape", cite.Shape, qFailure)
	reqNullWithout   = doc.Must("2fa.null-without-2fa", cite.TwoFactor, qInitial)
	reqCodeRequired  = doc.Must("2fa.code-required", cite.TwoFactor, qFalse)
	reqCodeDelivered = doc.Must("2fa.code-delivered", cite.TwoFactor, qFalse)
	reqWrongCode     = doc.Must("2fa.wrong-code-refused", cite.TwoFactor, qFalse)
	reqCorrectCode   = doc.Must("2fa.correct-code", cite.TwoFactor, qCorrect)
	reqOwnCode       = doc.Must("security.code-bound-to-user", cite.Security, qCorrect)
	reqTokenWorks    = doc.Must("token.accepted", cite.Placement, qSession)
	reqTokenRequired = doc.Must("token.required", cite.Placement, qSession)

	reqFailureURL = doc.Should("login.example-url-null", cite.Shape, qFailure,
		`Doc 000's failure example has "url": null, and its success example "url": "/users", without saying what url holds; login.failure-shape asks only that url is there. The success's url is where to go next, so a client may follow any url it is given: a failure's null says there is nowhere to go, where a path would send a refused client on as if it had logged in. Accepted readings: null only; a failure without url fails login.failure-shape, not this.`)
	reqMessage = doc.Should("login.example-message", cite.Shape, qFailure,
		`Doc 000 shows "Incorrect email or password" in its failure example without saying the text is fixed. Clients show the message, or match it, and it names both causes at once, so a wrong password and an unknown email answer alike and the message does not tell which emails exist.`)
)
