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
	reqHostileNoToken = doc.Must("robustness.hostile-login-refused", cite.Robustness, qWrong).RenderedFrom(cite.HTML)
	reqHostileShape   = doc.Must("robustness.hostile-login-shape", cite.Robustness, qWrong).RenderedFrom(cite.HTML)
	reqHostileNo5xx   = doc.Should("robustness.no-5xx", cite.Robustness, qWrong, negative.ReasonNo5xx).RenderedFrom(cite.HTML)
	reqSurvives       = doc.Should("robustness.survives-oversize", cite.Robustness, qAddedKey, negative.ReasonSurvives)
	reqHostileToken   = doc.Should("robustness.hostile-token-refused", cite.Robustness, qEvery, negative.ReasonTokenRefused).RenderedFrom(cite.HTML)
	reqUnique         = doc.Should("security.tokens-unpredictable", cite.Security, qAddedKey, negative.ReasonUnique)
	reqNoPassword     = doc.Should("security.no-password-in-answer", cite.Security, qWrong, negative.ReasonNoPassword).RenderedFrom(cite.HTML)
	reqAdvice         = doc.Should("security.advisories", cite.Security, qEvery, negative.ReasonAdvice).RenderedFrom(cite.HTML)
)

var plan = negative.Plan{
	NoToken: reqHostileNoToken, Shape: &reqHostileShape, No5xx: reqHostileNo5xx, Survives: reqSurvives,
	TokenRefused: reqHostileToken, Unique: &reqUnique, ShortKeysShown: true, NoPassword: reqNoPassword,
	PasswordEchoShown: true, Advice: reqAdvice, QueryTokenShown: true,
}
