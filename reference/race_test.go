package reference

import (
	"encoding/json"
	"net/url"
	"slices"
	"sync"
	"time"
)

// The race breaks' checks join documented (breaks_test.go) here, so each race break is shown
// to switch off its invariant under requests released together, and only that one.
func init() {
	for name, check := range map[string]func(c *client) bool{
		"lptracker.race-one-user-per-ip": func(c *client) bool {
			ip := c.from("198.51.100.7")
			return raceRounds(func() bool {
				toks := lpLoginsAtOnce(ip, []string{"alice@example.com", "bob@example.com", "alice@example.com", "bob@example.com"}, nil)
				alice := ip.lpValid(toks[0]) || ip.lpValid(toks[2])
				bob := ip.lpValid(toks[1]) || ip.lpValid(toks[3])
				return !(alice && bob)
			})
		},
		"lptracker.race-lost-services": func(c *client) bool {
			return raceRounds(func() bool {
				for _, tok := range lpLoginsAtOnce(c, nil, []string{"S1", "S2", "S3", "S4"}) {
					if !c.lpValid(tok) {
						return false
					}
				}
				return true
			})
		},
		"lptracker.race-shared-token": func(c *client) bool {
			return raceRounds(func() bool {
				seen := map[string]bool{}
				for _, tok := range lpLoginsAtOnce(c, nil, []string{"S1", "S2", "S3", "S4"}) {
					if seen[tok] {
						return false
					}
					seen[tok] = true
				}
				return true
			})
		},
		"lptracker.race-logout-resurrects": func(c *client) bool {
			return raceRounds(func() bool {
				tok := lpLoginsAtOnce(c, nil, []string{"S"})[0]
				var wg sync.WaitGroup
				for range 3 {
					wg.Go(func() { c.lpValid(tok) })
				}
				time.Sleep(10 * time.Millisecond) // the probes in flight, as the spec sends them
				c.do("POST", "/logout", map[string]string{"token": tok}, "")
				wg.Wait()
				return !c.lpValid(tok)
			})
		},
		"flylogs.race-code-500": func(c *client) bool {
			return raceRounds(func() bool {
				c.flyJSON("carol@example.com", "carol-password-3", nil)
				code := c.codes.last("carol@example.com")
				var wg sync.WaitGroup
				statuses := make([]int, 4)
				for i := range statuses {
					wg.Go(func() { statuses[i] = c.flyJSON("carol@example.com", "carol-password-3", code).status })
				}
				wg.Wait()
				for _, s := range statuses {
					if s >= 500 {
						return false
					}
				}
				return true
			})
		},
		"newapikey.race-tfkey-500": func(c *client) bool {
			return raceRounds(func() bool {
				c.nkLogin("json", url.Values{"user": {"dave@example.com"}, "pass": {"dave-password-4"}})
				code := c.codes.last("dave@example.com")
				var wg sync.WaitGroup
				statuses := make([]int, 4)
				for i := range statuses {
					wg.Go(func() {
						statuses[i] = c.nkLogin("json", url.Values{"user": {"dave@example.com"}, "pass": {"dave-password-4"}, "tfkey": {code}}).status
					})
				}
				wg.Wait()
				return !slices.ContainsFunc(statuses, func(s int) bool { return s >= 500 })
			})
		},
	} {
		documented[name] = check
	}
	// Each race check observes its invariant through the behaviour these breaks move.
	for _, pair := range []string{
		"lptracker.multi-user-per-ip lptracker.race-one-user-per-ip",
		"lptracker.ignore-token lptracker.race-one-user-per-ip",
		"lptracker.one-service-per-ip lptracker.race-lost-services",
		"lptracker.token-header-authorization lptracker.race-lost-services",
		"lptracker.logout-keeps-token lptracker.race-logout-resurrects",
		"lptracker.ignore-token lptracker.race-logout-resurrects",
		// A code that is not used up, or never checked, has no second step to race.
		"flylogs.2fa-code-reusable flylogs.race-code-500",
		"flylogs.2fa-accept-wrong-code flylogs.race-code-500",
		"flylogs.2fa-token-without-code flylogs.race-code-500",
		"flylogs.2fa-no-delivery flylogs.race-code-500",
		"newapikey.2fa-accept-wrong-tfkey newapikey.race-tfkey-500",
		"newapikey.2fa-skip newapikey.race-tfkey-500",
		"newapikey.2fa-no-delivery newapikey.race-tfkey-500",
	} {
		coupled[pair] = true
	}
}

// raceRounds runs one round of a race check three times: the invariant holds when it holds
// in every round.
func raceRounds(round func() bool) bool {
	for range 3 {
		if !round() {
			return false
		}
	}
	return true
}

// lpLoginsAtOnce logs in at one instant: users[i] (alice when nil) with services[i] ("S"
// when nil), and returns the tokens, "" for a login without one.
func lpLoginsAtOnce(c *client, users, services []string) []string {
	n := max(len(users), len(services))
	toks := make([]string, n)
	release := make(chan struct{})
	var wg sync.WaitGroup
	for i := range n {
		user, service := "alice@example.com", "S"
		if users != nil {
			user = users[i]
		}
		if services != nil {
			service = services[i]
		}
		body, _ := json.Marshal(map[string]string{"login": user, "password": testPasswords[user], "service": service, "version": "1.0"})
		wg.Go(func() {
			<-release
			r := c.do("POST", "/login", nil, string(body))
			res, _ := r.body["result"].(map[string]any)
			toks[i], _ = res["token"].(string)
			if toks[i] == "" { // lptracker.success-shape
				toks[i], _ = r.body["token"].(string)
			}
		})
	}
	close(release)
	wg.Wait()
	return toks
}
