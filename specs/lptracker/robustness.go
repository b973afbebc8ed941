package lptracker

import (
	"github.com/conformhq/conform/specs/cite"
	"github.com/conformhq/conform/specs/negative"
)

// Doc 003 makes every login field required and gives the error envelope (status error), so a
// hostile login gets no token and that envelope (must); the rest is silent.
var (
	reqHostileNoToken = doc.Must("robustness.hostile-login-refused", cite.Robustness, qRequired).InEnglish("All fields in this request are required.")
	reqHostileShape   = doc.Must("robustness.hostile-login-shape", cite.Robustness, qError).InEnglish("Error example: status error, errors [{code 401, message Invalid login or password}].")
	reqHostileNo5xx   = doc.Should("robustness.no-5xx", cite.Robustness, qRequired, negative.ReasonNo5xx).InEnglish("All fields in this request are required.")
	reqSurvives       = doc.Should("robustness.survives-oversize", cite.Robustness, qSuccess, negative.ReasonSurvives).InEnglish("Successful answer: status success, result.token.")
	reqHostileToken   = doc.Should("robustness.hostile-token-refused", cite.Robustness, qHeader, negative.ReasonTokenRefused).InEnglish("The token (result.token) from a successful login must be added to all other requests in the header field token.")
	reqUnique         = doc.Should("security.tokens-unpredictable", cite.Security, qSuccess, negative.ReasonUnique).InEnglish("Successful answer: status success, result.token.")
	reqNoPassword     = doc.Should("security.no-password-in-answer", cite.Security, qError, negative.ReasonNoPassword).InEnglish("Error example: status error, errors [{code 401, message Invalid login or password}].")
	reqAdvice         = doc.Should("security.advisories", cite.Security, qSuccess, negative.ReasonAdvice).InEnglish("Successful answer: status success, result.token.")
)

var plan = negative.Plan{
	NoToken: reqHostileNoToken, Shape: &reqHostileShape, No5xx: reqHostileNo5xx, Survives: reqSurvives,
	TokenRefused: reqHostileToken, Unique: &reqUnique, NoPassword: reqNoPassword, Advice: reqAdvice,
}
