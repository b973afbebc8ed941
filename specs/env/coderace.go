package env

import (
	"context"
	"fmt"
	"strings"

	"github.com/conformhq/conform/client"
	"github.com/conformhq/conform/config"
)

// CodeRace is one document's 2FA login raced with itself: one code in e.Race.N logins released
// together, e.Race.Rounds times. The documents are silent on which submission wins, whether a
// code serves once and whether a new session ends earlier ones, so it checks only what every
// reading keeps: each answer is the document's success (with what it hands out) or its
// refusal (without), never a 5xx; the correct code logs in at least once; and one of what was
// handed out works on the probe.
type CodeRace struct {
	// Code, what names the code in messages ("code", "tfkey") and the answer's field to show
	// for an answer that is neither success nor refusal.
	Code, Field string
	// Current gets a valid code of the account (after the initial request that sends one).
	Current func(ctx context.Context) string
	// Login is the login request of the account with code.
	Login func(code string) client.Request
	// Mailed reports whether an answer is one the document says sends the account a code (a
	// refused login may): that code is owed, for the next challenge to wait for.
	Mailed func(resp *client.Response) bool
	// Outcome reads one answer below 500: what it hands out (a token, a key) when it is the
	// document's success, refused when it is its refusal; neither is an undocumented answer.
	Outcome func(resp *client.Response) (handedOut string, refused bool)
	// Works reports whether one thing handed out works on the probe (for its account).
	Works func(ctx context.Context, handedOut string) bool
	// Success and Handed name the success ("ADDED_KEY with a key") and what it hands out
	// ("keys") in messages.
	Success, Handed string
}

// RaceOneCode runs r for account a; see CodeRace.
func (e *Env) RaceOneCode(ctx context.Context, a config.Account, r CodeRace) {
	for round := range e.Race.Rounds {
		code := r.Current(ctx)
		reqs, who := make([]client.Request, e.Race.N), make([]config.Account, e.Race.N)
		for i := range reqs {
			reqs[i], who[i] = r.Login(code), a
		}
		owing := e.MarkLogins(ctx, who...)
		answers := e.Together(ctx, reqs...)
		owing.Owe(answers, r.Mailed)
		var handed, odd []string
		for i, resp := range answers {
			got, refused := "", false
			if resp.Status < 500 {
				got, refused = r.Outcome(resp)
			}
			switch {
			case got != "":
				handed = append(handed, got)
			case !refused:
				odd = append(odd, fmt.Sprintf("login %d: HTTP %d, %s", i+1, resp.Status, DescribeField(resp, r.Field)))
			}
		}
		where := fmt.Sprintf("round %d of %d, %d logins of %s with one %s at one instant", round+1, e.Race.Rounds, e.Race.N, a.Login, r.Code)
		Expect(len(odd) == 0, "each answer "+r.Success+" or a refusal without one, none a 5xx", where+": "+strings.Join(odd, "; "))
		Expect(len(handed) > 0, "at least one login with the correct "+r.Code+" to succeed", where+": every login was refused")
		works := false
		for _, h := range handed {
			if works = r.Works(ctx, h); works {
				break
			}
		}
		Expect(works, "one of the "+r.Handed+" handed out to work on the probe with "+a.Login,
			fmt.Sprintf("%s: the probe refused all %d %s handed out", where, len(handed), r.Handed))
	}
}
