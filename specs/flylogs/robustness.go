package flylogs

import (
	"github.com/conformhq/conform/specs/negative"
)

// Doc 000 gives the answer to an incorrect email or password (result false), so a hostile
// login gets no token and that envelope (must); the rest is silent.
var plan = negative.Cite(doc, negative.Sentences{
	Required: negative.Sentence{Quote: qFailure},
	Envelope: &negative.Sentence{Quote: qFailure},
	Login:    negative.Sentence{Quote: qSuccess},
	Token:    negative.Sentence{Quote: qSession},
	Unique:   &negative.Sentence{Quote: qSession},
	Password: negative.Sentence{Quote: qFailure},
	Advice:   negative.Sentence{Quote: qSession},
	Owner:    negative.Sentence{Quote: qSession},
})
