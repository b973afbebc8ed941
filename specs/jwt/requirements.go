// Package jwt encodes doc 004 (a login API that "Uses JSON Web Tokens").
package jwt

import "github.com/conformhq/conform/specs/cite"

// doc is the document this package encodes.
var doc = cite.Document{Profile: "jwt", Number: "004"}

// The document's sentences, verbatim, with line breaks folded into spaces. qReturns starts in the
// document's markdown table ("POST | /users/login | expects JSON ...") and is quoted without its
// pipes, so its requirement says so: RenderedFrom(cite.MarkdownTable).
const (
	qUses      = "Uses JSON Web Tokens"
	qReturns   = `POST /users/login expects JSON in the message body. [...] Returns the following { "uid": "a52ee085-ff47-4ee1-bac3-a8a319f674ed", "token": "eyJ0eXAiOiJKV1Qi[...]" }`
	qFail      = "Or it will respond with a status code of 401 and a message explaining why they can't login."
	qFailShape = `{ "success": false, "message": "Authentication failed. Wrong password." }`
	qHeader    = "The returned token must then be passed in as a header on future requests using the header x-access-token"
	qQuery     = "Pass the token as a query parameter."
	qMe        = "GET /users/me - returns the logged in user's object"
)

var (
	reqSuccessShape = doc.Must("login.success-shape", cite.Shape, qReturns).RenderedFrom(cite.MarkdownTable)
	reqIsJWT        = doc.Must("login.token-is-jwt", cite.Shape, qUses)
	reqFail401      = doc.Must("login.failure-401", cite.Auth, qFail)
	reqFailShape    = doc.Must("login.failure-shape", cite.Shape, qFailShape)
	reqHeader       = doc.Must("token.header", cite.Placement, qHeader)
	reqQuery        = doc.Must("token.query", cite.Placement, qQuery)
	reqRequired     = doc.Must("token.required", cite.Placement, qHeader)
	reqMe           = doc.Must("me.returns-logged-in-user", cite.Auth, qMe)
	reqMessage      = doc.Should("login.example-message", cite.Shape, qFailShape,
		`Doc 004 shows "Authentication failed. Wrong password." as its failure example for a wrong password, and says only that the message explains "why they can't login". Clients show the message, or match it; a different text for the same cause is a difference from the document a client may trip on.`)

	reqAlgNone = doc.Should("security.alg-none-refused", cite.Security, qUses,
		`Doc 004 only says it uses JWTs. RFC 8725 §3.1 (JWT best practices): libraries must let callers refuse "alg":"none"; a server that accepts an unsigned token lets anyone forge any user.`)
	reqTampered = doc.Should("security.tampered-signature-refused", cite.Security, qUses,
		"Doc 004 only says it uses JWTs. RFC 7515 §5.2: a JWS whose signature does not validate must be rejected; otherwise the payload (the user id) can be rewritten by the client.")
	reqExpired = doc.Should("security.expired-refused", cite.Security, qUses,
		`Doc 004 only says it uses JWTs. RFC 7519 §4.1.4: the token "MUST NOT be accepted for processing" on or after its exp; doc 004's own example token carries exp.`)
	reqNoSecret = doc.Should("security.no-password-in-payload", cite.Security, qUses,
		"A JWT payload is only base64url, readable by anyone holding the token (RFC 7519 §12). Doc 004's own example token carries a bcrypt password hash; conform flags that instead of copying it.")
)
