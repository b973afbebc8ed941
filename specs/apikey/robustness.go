package apikey

import (
	"github.com/conformhq/conform/specs/negative"
)

// Doc 001 makes apiKey and apiSecret required strings, so a hostile login gets no token
// (must). It documents no failure body: there is no shape spec. Its login answer names the
// user the token is for (id, email), which the own-token spec compares.
var plan = negative.Cite(doc, negative.Sentences{
	Required: negative.Sentence{Quote: qLoginRequired},
	Login:    negative.Sentence{Quote: qToken},
	Token:    negative.Sentence{Quote: qToken},
	Unique:   &negative.Sentence{Quote: qToken},
	Password: negative.Sentence{Quote: qSecret},
	Advice:   negative.Sentence{Quote: qToken},
	Owner:    negative.Sentence{Quote: qID},
	Readings: negative.Readings{OwnerFields: []string{"id", "email"}},
})
