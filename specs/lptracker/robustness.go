package lptracker

import (
	"github.com/conformhq/conform/specs/negative"
)

// Doc 003 makes every login field required and gives the error envelope (status error), so a
// hostile login gets no token and that envelope (must); the rest is silent.
var (
	sRequired = negative.Sentence{Quote: qRequired, English: "All fields in this request are required."}
	sError    = negative.Sentence{Quote: qError, English: "Error example: status error, errors [{code 401, message Invalid login or password}]."}
	sSuccess  = negative.Sentence{Quote: qSuccess, English: "Successful answer: status success, result.token."}
	sHeader   = negative.Sentence{Quote: qHeader, English: "The token (result.token) from a successful login must be added to all other requests in the header field token."}
)

var plan = negative.Cite(doc, negative.Sentences{
	Required: sRequired,
	Envelope: &sError,
	Login:    sSuccess,
	Token:    sHeader,
	Unique:   &sSuccess,
	Password: sError,
	Advice:   sSuccess,
	Owner:    sHeader,
})
