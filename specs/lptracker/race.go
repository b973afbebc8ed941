package lptracker

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/onsi/ginkgo/v2"

	"github.com/conformhq/conform/client"
	"github.com/conformhq/conform/config"
	"github.com/conformhq/conform/profile"
	"github.com/conformhq/conform/specs/cite"
	"github.com/conformhq/conform/specs/env"
)

// qSignature says each service signs its own actions: a request carries only its token, so the
// token is what tells one service from another.
const qSignature = "Указанное название будет использоваться как подпись для всех действий выполняемых сервисом"

// The race specs check doc 003's invariants under requests released together (env.Race: N at
// once, several rounds). Each holds or fails whatever the order the target serves them in;
// none asserts an outcome the document leaves open.
var (
	reqRaceOneUser  = doc.Must("race.one-user-per-ip", cite.Race, qOneUser).InEnglish("From one IP address only one lptracker user can be authorized.")
	reqRaceServices = doc.Must("race.many-services", cite.Race, qServices).InEnglish("From one IP address any number of services can be authorized.")
	reqRaceDistinct = doc.Must("race.services-distinct-tokens", cite.Race, qSignature).InEnglish("The given name is used as the signature of every action the service performs.")
	reqRaceLogout   = doc.Must("race.logout-final", cite.Race, qLogoutDeletes).InEnglish("Logout is a POST request that deletes your token from the database.")
)

func raceSpecs(b *cite.Book, e *env.Env) {
	ginkgo.Describe("concurrent requests", func() {
		// Readings accepted: the target may refuse the later logins or end the earlier
		// sessions (the document does not say which), and any login may win. Only the
		// invariant is checked, once every login has answered: the tokens the probe accepts
		// from the address all belong to one user.
		b.It(reqRaceOneUser, "logs two users in from one client address at the same instant", func(ctx ginkgo.SpecContext) {
			ip, _ := e.ClientIPs()
			users := []config.Account{e.Account(0), e.Account(1)}
			for round := range e.Race.Rounds {
				reqs := make([]client.Request, e.Race.N)
				for i := range reqs {
					reqs[i] = e.LoginRequest(users[i%2], i/2)
					reqs[i].From = ip
				}
				var tokens []string
				validFor := map[string][]string{} // user -> tokens the probe accepted
				for i, resp := range e.Together(ctx, reqs...) {
					tok := e.Token(resp)
					if tok == "" {
						continue // refused: one reading of the rule
					}
					tokens = append(tokens, tok)
					cleanup(e, tok, ip)
					if ok, _ := e.Probe(ctx, ip, withToken(e, tok)); ok {
						validFor[users[i%2].Login] = append(validFor[users[i%2].Login], tok)
					}
				}
				env.Expect(len(validFor) < 2,
					fmt.Sprintf("after %d logins of %s and %s from %s at one instant, the valid tokens all of one user", e.Race.N, users[0].Login, users[1].Login, ip),
					fmt.Sprintf("round %d of %d: %s", round+1, e.Race.Rounds, describeValid(validFor)))
				logoutAll(ctx, e, tokens, ip)
			}
		})

		// Readings accepted: any token format, any order of answers. Every login of one user
		// with its own service must succeed and stay valid once all have answered: "any number
		// of services" leaves the target no reading in which one ends another.
		b.It(reqRaceServices, "logs one user in from one client address with several services at the same instant", func(ctx ginkgo.SpecContext) {
			ip := serviceRaceAddress(e)
			for round := range e.Race.Rounds {
				tokens := serviceRound(ctx, e, ip)
				var refused []string
				for i, tok := range tokens {
					if ok, resp := e.Probe(ctx, ip, withToken(e, tok)); !ok {
						refused = append(refused, profile.Service(e.Config, i)+" ("+env.DescribeField(resp, "status")+")")
					}
				}
				env.Expect(len(refused) == 0,
					fmt.Sprintf("the tokens of all %d services of %s, logged in at one instant, valid once all logins answered", e.Race.N, e.Account(0).Login),
					fmt.Sprintf("round %d of %d: the probe refused the token of service %s", round+1, e.Race.Rounds, strings.Join(refused, ", ")))
				logoutAll(ctx, e, tokens, ip)
			}
		})

		// Readings accepted: any token format; the tokens need not be valid here (the spec
		// above checks that). A token shared by two services could not tell the target which
		// service an action is signed with, so distinct services get distinct tokens. Logins of
		// one service twice are not compared: the document does not say they are two sessions.
		b.It(reqRaceDistinct, "logs one user in with several services at the same instant and compares the tokens", func(ctx ginkgo.SpecContext) {
			ip := serviceRaceAddress(e)
			for round := range e.Race.Rounds {
				tokens := serviceRound(ctx, e, ip)
				first := map[string]int{}
				var shared []string
				for i, tok := range tokens {
					if j, dup := first[tok]; dup {
						shared = append(shared, profile.Service(e.Config, j)+" and "+profile.Service(e.Config, i))
						continue
					}
					first[tok] = i
				}
				env.Expect(len(shared) == 0,
					fmt.Sprintf("a distinct token for each of %d services logged in at one instant", e.Race.N),
					fmt.Sprintf("round %d of %d: services %s got the same token", round+1, e.Race.Rounds, strings.Join(shared, "; ")))
				logoutAll(ctx, e, tokens, ip)
			}
		})

		// Readings accepted: the probes in flight while the logout is served may be accepted
		// or refused (the document says nothing of requests that cross); once the logout has
		// answered success, the token is deleted and no later request may be accepted.
		b.It(reqRaceLogout, "logs a token out while probes with it are in flight, then sends the probe again", func(ctx ginkgo.SpecContext) {
			a := e.Account(0)
			for round := range e.Race.Rounds {
				tok := logIn(ctx, e, a, 0, "")
				out, inFlight := e.During(ctx, logoutRequest(e, tok, ""), e.Race.N-1, func() client.Request {
					return e.ProbeRequest("", withToken(e, tok))
				})
				env.Expect(out.Get("status").String() == "success",
					"the logout to succeed with probes in flight", env.DescribeField(out, "status"))
				ok, resp := e.Probe(ctx, "", withToken(e, tok))
				env.Expect(!ok, fmt.Sprintf("the probe to refuse the token after its logout answered (%d probes were in flight)", len(inFlight)),
					fmt.Sprintf("round %d of %d: %s", round+1, e.Race.Rounds, env.DescribeField(resp, "status")))
			}
		})
	})
}

// serviceRaceAddress is the client address of the services' race: the first of the run's
// addresses when it has two, else the client's own.
func serviceRaceAddress(e *env.Env) string {
	ginkgo.GinkgoHelper()
	if len(e.Config.Services) < 2 {
		ginkgo.Skip("needs two services: add a second name to lptracker.services (the race adds numbered ones)")
	}
	if ips, _ := e.Client.ClientIPs(); len(ips) > 0 {
		return ips[0]
	}
	return ""
}

// serviceRound logs account 0 in with N services at one instant from ip and returns the
// tokens, one per service; a login without a token fails the spec.
func serviceRound(ctx context.Context, e *env.Env, ip string) []string {
	ginkgo.GinkgoHelper()
	a := e.Account(0)
	reqs := make([]client.Request, e.Race.N)
	for i := range reqs {
		reqs[i] = e.LoginRequest(a, i)
		reqs[i].From = ip
	}
	resps := e.Together(ctx, reqs...)
	tokens := make([]string, len(resps))
	for i, resp := range resps {
		if tokens[i] = e.Token(resp); tokens[i] != "" {
			cleanup(e, tokens[i], ip)
		}
	}
	for i, tok := range tokens {
		env.Expect(tok != "", "a successful login with result.token for service "+profile.Service(e.Config, i)+" (logged in at one instant with others)",
			env.DescribeField(resps[i], "result.token"))
	}
	return tokens
}

// logoutAll logs tokens out from ip at the end of a round, so the next starts clean; the
// outcome is not part of the spec.
func logoutAll(ctx context.Context, e *env.Env, tokens []string, ip string) {
	ginkgo.GinkgoHelper()
	for _, tok := range tokens {
		if tok != "" {
			logout(ctx, e, tok, ip)
		}
	}
}

// describeValid says whose tokens the probe accepted, without the tokens.
func describeValid(validFor map[string][]string) string {
	if len(validFor) == 0 {
		return "no token valid"
	}
	var parts []string
	for _, user := range slices.Sorted(maps.Keys(validFor)) {
		parts = append(parts, fmt.Sprintf("%d valid token(s) of %s", len(validFor[user]), user))
	}
	return strings.Join(parts, " and ")
}
