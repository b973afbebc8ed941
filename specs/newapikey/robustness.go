package newapikey

import (
	"github.com/conformhq/conform/specs/cite"
	"github.com/conformhq/conform/specs/negative"
)

// Doc 002 answers "something wrong with username, password or tfkey" with status error, so a
// hostile login gets no key and that envelope (must). Its own example keys are 10 characters
// ("dcHZ2TXvMV", about 60 bits) and its error example echoes the pass it was sent: below 128
// bits and the echo are advisories here, not failures.
var (
	sWrong = negative.Sentence{Quote: qWrong, Rendering: cite.HTML}
	sEvery = negative.Sentence{Quote: qEvery, Rendering: cite.HTML}
)

var plan = negative.Cite(doc, negative.Sentences{
	Required: sWrong,
	Envelope: &sWrong,
	Login:    negative.Sentence{Quote: qAddedKey},
	Token:    sEvery,
	Unique:   &negative.Sentence{Quote: qAddedKey},
	Password: sWrong,
	Advice:   sEvery,
	Owner:    sEvery,
	Readings: negative.Readings{ShortKeysShown: true, PasswordEchoShown: true, QueryTokenShown: true},
})
