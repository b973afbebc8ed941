package apikey

import (
	"github.com/conformhq/conform/specs/cite"
	"github.com/conformhq/conform/specs/negative"
)

// Doc 001 makes apiKey and apiSecret required strings, so a hostile login gets no token
// (must). It documents no failure body: there is no shape spec.
var (
	reqHostileNoToken = doc.Must("robustness.hostile-login-refused", cite.Robustness, qLoginRequired)
	reqHostileNo5xx   = doc.Should("robustness.no-5xx", cite.Robustness, qLoginRequired, negative.ReasonNo5xx)
	reqSurvives       = doc.Should("robustness.survives-oversize", cite.Robustness, qToken, negative.ReasonSurvives)
	reqHostileToken   = doc.Should("robustness.hostile-token-refused", cite.Robustness, qToken, negative.ReasonTokenRefused)
	reqUnique         = doc.Should("security.tokens-unpredictable", cite.Security, qToken, negative.ReasonUnique)
	reqNoPassword     = doc.Should("security.no-password-in-answer", cite.Security, qSecret, negative.ReasonNoPassword)
	reqAdvice         = doc.Should("security.advisories", cite.Security, qToken, negative.ReasonAdvice)
)

var plan = negative.Plan{
	NoToken: reqHostileNoToken, No5xx: reqHostileNo5xx, Survives: reqSurvives,
	TokenRefused: reqHostileToken, Unique: &reqUnique, NoPassword: reqNoPassword, Advice: reqAdvice,
}
