package flylogs

import (
	"context"

	"github.com/onsi/ginkgo/v2"
	"github.com/tidwall/gjson"

	"github.com/conformhq/conform/client"
	"github.com/conformhq/conform/specs/cite"
	"github.com/conformhq/conform/specs/env"
)

var reqRaceCode = doc.Must("race.code-checked-twice", cite.Race, qCorrect)

// raceSpecs checks doc 000's 2FA answers when one code reaches the target in several logins
// at one instant (env.Race: N at once, several rounds), as a user double-clicking, or a
// client retrying, sends it.
func raceSpecs(b *cite.Book, e *env.Env) {
	ginkgo.Describe("concurrent requests", func() {
		// Doc 000 is silent on which of two submissions of one code wins, whether a code
		// serves once (see security.code-single-use, a should) and whether a new session ends
		// the user's earlier ones. Readings accepted: any number of the logins may succeed,
		// in any order; a refused one may answer either of doc 000's refusals (two_factor
		// false, "the provided code was not correct", or result false), with any status
		// below 500; of the tokens handed out, only one need still work once all have
		// answered. Checked, because every reading keeps it: each answer is one of those
		// the document gives a valid email and password (a success with a token, or a
		// refusal without one, never a 5xx); the correct code logs in at least once (the
		// submission served first has it); and a token of that login works on the probe
		// ("a session token ... that you will need to send in each following requests").
		b.It(reqRaceCode, "sends a 2FA user's valid login with one code several times at the same instant", func(ctx ginkgo.SpecContext) {
			a := e.TwoFactorAccount(0)
			e.RaceOneCode(ctx, a, env.CodeRace{
				Code: "code", Field: "response", Success: "a success with a token", Handed: "tokens",
				Current: func(ctx context.Context) string { return currentCode(ctx, e, a) },
				Login:   func(code string) client.Request { return loginRequest(e, withKey, a.Login, a.Password, str(code)) },
				Mailed:  mailed,
				Outcome: func(resp *client.Response) (string, bool) {
					if isCodeSuccess(resp) {
						return token(resp).String(), false
					}
					return "", !hasToken(resp) && (resp.Get("response.two_factor").Type == gjson.False || resp.Get("response.result").Type == gjson.False)
				},
				Works: func(ctx context.Context, tok string) bool { ok, _ := probe(ctx, e, withKey, tok); return ok },
			})
		})
	})
}

// isCodeSuccess reports whether a login answer is doc 000's success after a correct code:
// result true, two_factor true and a token.
func isCodeSuccess(resp *client.Response) bool {
	return resp.Get("response.result").Type == gjson.True && resp.Get("response.two_factor").Type == gjson.True && token(resp).String() != ""
}
