// Package apikey encodes doc 001 (POST /auth/login with an API key and secret): the request's
// required fields, the answer's schema (ApiKeyLoginResponse and Account, checked with
// kin-openapi against fixtures/apikey/doc001-schemas.yaml, the document's schemas as it lists
// them), the token for later requests, and the swagger.yaml the document says it was generated
// from, compared with those schemas.
package apikey

import "github.com/conformhq/conform/specs/cite"

// doc is the document this package encodes.
var doc = cite.Document{Profile: "apikey", Number: "001"}

// The document's sentences and schema lines, verbatim, with line breaks folded into spaces.
const (
	qLoginRequired = "#/components/schemas/ApiKeyLogin type: object required: - apiKey - apiSecret"
	qKey           = "apiKey: type: string description: The API key to authenticate with"
	qSecret        = "apiSecret: type: string description: The API secret to authenticate with"
	qRespRequired  = "#/components/schemas/ApiKeyLoginResponse type: object required: - id - email - token"
	qID            = "id: type: integer description: User ID associated with the API key"
	qDates         = "createdAt: type: string format: date-time updatedAt: type: string format: date-time"
	qAccount       = "#/components/schemas/Account description: The user's primary account type: object required: - accountName - accountId - id - name"
	qSchema        = "Responses Description Successfully logged in [...] #/components/schemas/ApiKeyLoginResponse type: object"
	qToken         = "token: type: string description: Authentication token to use for subsequent API requests"
	qSwagger       = "Or the swagger.yaml spec this documentation was generated from: /apikeys/swagger.yaml"
)

var (
	reqFieldRequired = doc.Must("login.field-required", cite.Auth, qLoginRequired)
	reqWrongKey      = doc.Must("login.wrong-key-refused", cite.Auth, qKey)
	reqWrongSecret   = doc.Must("login.wrong-secret-refused", cite.Auth, qSecret)
	reqRespRequired  = doc.Must("login.required-fields", cite.Shape, qRespRequired)
	reqIDInteger     = doc.Must("login.id-integer", cite.Shape, qID)
	reqDateTime      = doc.Must("login.date-time", cite.Shape, qDates)
	reqAccounts      = doc.Must("login.account-schema", cite.Shape, qAccount)
	reqSchema        = doc.Must("login.schema", cite.Shape, qSchema)
	reqTokenWorks    = doc.Must("token.accepted", cite.Placement, qToken)
	reqTokenRequired = doc.Must("token.required", cite.Placement, qToken)
	reqSwagger       = doc.Must("swagger.served", cite.Shape, qSwagger)
	reqSwaggerSame   = doc.Must("swagger.matches-document", cite.Shape, qSwagger)
)
