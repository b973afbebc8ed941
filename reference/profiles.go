package reference

import (
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/conformhq/conform/reference/delivery"
	"github.com/conformhq/conform/reference/store"
)

// profileDef is one document's API. Adding a profile means one new file
// defining a profileDef and one line in builtinProfiles.
type profileDef struct {
	name   string   // the --profile value and, when several are served, the path prefix
	doc    string   // the document number it implements, e.g. "003"
	breaks []string // the Options.Breaks names it honours
	// mount registers the profile's routes on mux under prefix ("" or
	// "/<name>") and returns its banner lines.
	mount func(e *deps, breaks map[string]bool, mux *http.ServeMux, prefix string) ([]string, error)
}

// Profiles lists the names of the profiles the reference serves, in banner order. conform's
// profile registry is kept apart from the reference on purpose; a test asserts both know the
// same names.
func Profiles() []string {
	var out []string
	for _, p := range builtinProfiles() {
		out = append(out, p.name)
	}
	return out
}

// builtinProfiles lists the served profiles, in banner order.
func builtinProfiles() []profileDef {
	ps := []profileDef{
		lptrackerProfile(),
		jwtProfile(),
		flylogsProfile(),
		apikeyProfile(),
		newapikeyProfile(),
	}
	for i := range ps {
		ps[i].breaks = append(ps[i].breaks, hostileBreakNames(ps[i].name)...)
	}
	return ps
}

// deps is what a profile handler gets from the server: shared, read-only after New.
type deps struct {
	now      func() time.Time // the server clock
	store    store.Store
	users    *userIndex
	ttl      time.Duration
	trustXFF bool
	secret   []byte                           // HS256 key
	logf     func(format string, args ...any) // never nil
	// mail and sms carry generated 2FA codes (flylogs mails, newapikey texts).
	mail, sms  delivery.Sender
	flylogsKey string // doc 000's company API key
	// hold is Options.BreakHold, the concurrent breaks' window (see holdLong).
	hold time.Duration
	// passwordOK checks password against u's hash; with u nil it still
	// spends one bcrypt so that unknown and known users take as long.
	passwordOK func(u *User, password string) bool
	// verified remembers the secrets that passed (Options.CacheVerifiedSecrets); nil when off.
	verified *verifiedSecrets
	// kept holds secrets in clear by their hash, for the breaks that let a prefix of a
	// secret pass (see secretOK); the only state here written after New, and only then.
	kept sync.Map
	// throttle counts wrong secrets per account and address (Options.LoginThrottle); nil
	// when off.
	throttle *throttle
	// shared is the state instances sharing the Redis store share besides sessions (2FA
	// codes); nil with the memory store.
	shared *store.Shared
}

func (e *deps) clientIP(r *http.Request) string { return clientIP(r, e.trustXFF) }

// describeLine formats one banner line of Server.Describe.
func describeLine(profile, method, path, what string) string {
	return fmt.Sprintf("%-10s %-4s %-37s %s", profile, method, path, what)
}
