package flylogs

import (
	"github.com/conformhq/conform/specs/cite"
	"github.com/conformhq/conform/specs/negative"
)

// Doc 000 gives the answer to an incorrect email or password (result false), so a hostile
// login gets no token and that envelope (must); the rest is silent.
var (
	reqHostileNoToken = doc.Must("robustness.hostile-login-refused", cite.Robustness, qFailure)
	reqHostileShape   = doc.Must("robustness.hostile-login-shape", cite.Robustness, qFailure)
	reqHostileNo5xx   = doc.Should("robustness.no-5xx", cite.Robustness, qFailure, negative.ReasonNo5xx)
	reqSurvives       = doc.Should("robustness.survives-oversize", cite.Robustness, qSuccess, negative.ReasonSurvives)
	reqHostileToken   = doc.Should("robustness.hostile-token-refused", cite.Robustness, qSession, negative.ReasonTokenRefused)
	reqUnique         = doc.Should("security.tokens-unpredictable", cite.Security, qSession, negative.ReasonUnique)
	reqNoPassword     = doc.Should("security.no-password-in-answer", cite.Security, qFailure, negative.ReasonNoPassword)
	reqAdvice         = doc.Should("security.advisories", cite.Security, qSession, negative.ReasonAdvice)
)

var plan = negative.Plan{
	NoToken: reqHostileNoToken, Shape: &reqHostileShape, No5xx: reqHostileNo5xx, Survives: reqSurvives,
	TokenRefused: reqHostileToken, Unique: &reqUnique, NoPassword: reqNoPassword, Advice: reqAdvice,
}
