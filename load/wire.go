package load

import (
	"github.com/conformhq/conform/config"
	"github.com/conformhq/conform/profile"
)

// Session is a logged-in account of a load run: what its probes carry.
type Session struct {
	profile.Session
	// ClientIP, when set, is sent as X-Forwarded-For on every request of the session, so a
	// reference that trusts the header sees distinct clients.
	ClientIP string
}

// loadAccounts returns the accounts a load run logs in with: those without 2FA, whose codes
// travel out of band and cannot keep up with a load.
func loadAccounts(sec *config.Profile) []config.Account {
	var out []config.Account
	for _, a := range sec.Accounts {
		if a.TwoFactor == nil {
			out = append(out, a)
		}
	}
	return out
}
