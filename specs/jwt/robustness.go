package jwt

import (
	"github.com/conformhq/conform/specs/cite"
	"github.com/conformhq/conform/specs/negative"
)

// Doc 004 defines the refusal of a login ("respond with a status code of 401 and a message")
// and its body, so a hostile login gets no token and that body (must); the rest is silent.
// A JWT of the same claims signed in the same second is the same token, so doc 004 has no
// uniqueness spec: its tokens' unpredictability is the signing key's (security.weak-key).
var (
	reqHostileNoToken = doc.Must("robustness.hostile-login-refused", cite.Robustness, qFail)
	reqHostileShape   = doc.Must("robustness.hostile-login-shape", cite.Robustness, qFailShape)
	reqHostileNo5xx   = doc.Should("robustness.no-5xx", cite.Robustness, qFail, negative.ReasonNo5xx)
	reqSurvives       = doc.Should("robustness.survives-oversize", cite.Robustness, qReturns, negative.ReasonSurvives).RenderedFrom(cite.MarkdownTable)
	reqHostileToken   = doc.Should("robustness.hostile-token-refused", cite.Robustness, qHeader, negative.ReasonTokenRefused)
	reqNoPassword     = doc.Should("security.no-password-in-answer", cite.Security, qFailShape, negative.ReasonNoPassword)
	reqAdvice         = doc.Should("security.advisories", cite.Security, qQuery, negative.ReasonAdvice)
)

var plan = negative.Plan{
	NoToken: reqHostileNoToken, Shape: &reqHostileShape, No5xx: reqHostileNo5xx, Survives: reqSurvives,
	TokenRefused: reqHostileToken, NoPassword: reqNoPassword, Advice: reqAdvice, QueryTokenShown: true,
}
