package jwt

import (
	"github.com/conformhq/conform/specs/cite"
	"github.com/conformhq/conform/specs/negative"
)

// Doc 004 defines the refusal of a login ("respond with a status code of 401 and a message")
// and its body, so a hostile login gets no token and that body (must); the rest is silent.
// A JWT of the same claims signed in the same second is the same token, so doc 004 has no
// uniqueness spec: its tokens' unpredictability is the signing key's (security.weak-key). Its
// login answers the user's uid beside the token, which the own-token spec compares with the
// token's claims and /users/me.
var plan = negative.Cite(doc, negative.Sentences{
	Required: negative.Sentence{Quote: qFail},
	Envelope: &negative.Sentence{Quote: qFailShape},
	Login:    negative.Sentence{Quote: qReturns, Rendering: cite.MarkdownTable},
	Token:    negative.Sentence{Quote: qHeader},
	Password: negative.Sentence{Quote: qFailShape},
	Advice:   negative.Sentence{Quote: qQuery},
	Owner:    negative.Sentence{Quote: qMe},
	Readings: negative.Readings{QueryTokenShown: true, WhyMessageShown: true, OwnerFields: []string{"uid"}},
})
