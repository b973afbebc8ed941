package newapikey

import (
	"fmt"
	"strings"

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
			for round := range e.Race.Rounds {
				code := currentCode(ctx, e, a)
				reqs := make([]client.Request, e.Race.N)
				for i := range reqs {
					reqs[i] = loginRequest(e, a.Login, a.Password, str(code))
				}
				var keys, odd []string
				for i, resp := range e.Together(ctx, reqs...) {
					status, success := resp.Get("status").String(), resp.Get("success").String()
					switch {
					case resp.Status < 500 && status == "success" && success == "ADDED_KEY" && key(resp) != "":
						keys = append(keys, key(resp))
					case resp.Status < 500 && status == "error" && key(resp) == "":
					default:
						odd = append(odd, fmt.Sprintf("login %d: HTTP %d, %s", i+1, resp.Status, env.DescribeField(resp, "@this")))
					}
				}
				where := fmt.Sprintf("round %d of %d, %d logins of %s with one tfkey at one instant", round+1, e.Race.Rounds, e.Race.N, a.Login)
				env.Expect(len(odd) == 0, "each answer ADDED_KEY with a key or status error without one, none a 5xx",
					where+": "+strings.Join(odd, "; "))
				env.Expect(len(keys) > 0, "at least one login with the correct tfkey to get ADDED_KEY", where+": every login was refused")
				works := false
				for _, k := range keys {
					if ok, _ := view(ctx, e, a.Login, k); ok {
						works = true
						break
					}
				}
				env.Expect(works, "a key handed out to work on the probe with "+a.Login,
					fmt.Sprintf("%s: the probe refused all %d keys handed out", where, len(keys)))
			}
		})
	})
}
