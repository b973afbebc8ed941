package newapikey

import (
	"context"

	"github.com/onsi/ginkgo/v2"

	"github.com/conformhq/conform/client"
	"github.com/conformhq/conform/specs/cite"
	"github.com/conformhq/conform/specs/env"
)

var reqRaceTfkey = doc.Must("race.tfkey-checked-twice", cite.Race, qTfkey).RenderedFrom(cite.HTML)

// raceSpecs checks doc 002's answers when one tfkey reaches the target in several logins at
// one instant (env.Race: N at once, several rounds), as a double-tapped "log in" on the screen
// that "takes the users code" sends it.
func raceSpecs(b *cite.Book, e *env.Env) {
	ginkgo.Describe("concurrent requests", func() {
		// Doc 002 is silent on which of two submissions of one tfkey wins, whether a tfkey
		// serves once, and whether a new key ends the user's earlier ones (INDEX: silences).
		// Readings accepted: any number of the logins may get ADDED_KEY, in any order; a
		// refused one answers status error ("something is wrong with ... tfkey"), with any
		// status below 500; of the keys handed out, only one need still work once all have
		// answered. Checked, because every reading keeps it: each answer is ADDED_KEY with a
		// key or status error without one, never a 5xx; the tfkey logs in at least once (the
		// submission served first has the correct code); and a key handed out works on the
		// probe with the code's user ("append your username and key to every query"), so a
		// key the target made for another user does not count.
		b.It(reqRaceTfkey, "sends a 2FA user's valid login with one tfkey several times at the same instant", func(ctx ginkgo.SpecContext) {
			a := e.TwoFactorAccount(0)
			e.RaceOneCode(ctx, a, env.CodeRace{
				Code: "tfkey", Field: "@this", Success: "ADDED_KEY with a key", Handed: "keys",
				Current: func(ctx context.Context) string { return currentCode(ctx, e, a) },
				Login:   func(code string) client.Request { return loginRequest(e, a.Login, a.Password, str(code)) },
				Mailed:  texted,
				Outcome: func(resp *client.Response) (string, bool) {
					if resp.Get("status").String() == "success" && resp.Get("success").String() == "ADDED_KEY" && key(resp) != "" {
						return key(resp), false
					}
					return "", resp.Get("status").String() == "error" && key(resp) == ""
				},
				// The key with the code's user: a key made for another user does not count.
				Works: func(ctx context.Context, k string) bool { ok, _ := view(ctx, e, a.Login, k); return ok },
			})
		})
	})
}
