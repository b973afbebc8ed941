package config

import (
	"fmt"
	"strings"
)

// Rules is what one document asks of its section of a target config: which fields it requires
// or refuses and the defaults it gives. The profile package declares one per document; config
// itself knows no document by name, so a new document adds its rules there and nothing here.
type Rules struct {
	// Name is the profile name: the config section's key and the --profile value.
	Name string
	// Doc is the document number, e.g. 003, for messages.
	Doc string
	// Credentials is what the document's accounts log in with.
	Credentials Credentials
	// CompanyKey says the document sends a company API key on every request (doc 000):
	// api_key is required, and refused in every other section.
	CompanyKey bool
	// CompanyKeyHeader is the request header the company key takes, which a token may then
	// not take (doc 000's `curl -u KEY:` takes Authorization).
	CompanyKeyHeader string
	// OtherCompany says the document limits a login to the users of the company whose key
	// the request carries (doc 000: "an existing user in your company"): the section may give
	// other_company_account, a user of another company.
	OtherCompany bool
	// TokenSilent says the document does not say how the session token travels on later
	// requests: token is required, and refused where the document says.
	TokenSilent bool
	// TwoFactor says the document has 2FA: accounts may have two_factor.
	TwoFactor bool
	// Services are the default services (doc 003's `service` field); nil when the document
	// has none.
	Services []string
	// Probe is the request the document names as proving a token valid; nil when it names
	// none, and then the config must give one.
	Probe *Probe
	// ValidJSON and InvalidJSON are the probe rule's defaults, from the document's envelope.
	ValidJSON, InvalidJSON map[string]string
	// SigningKey says the section may carry jwt.secret (a document built on JWTs).
	SigningKey bool
}

// Credentials is what a document's accounts log in with.
type Credentials int

const (
	// LoginPassword: a login name or email and a password.
	LoginPassword Credentials = iota
	// KeySecret: an API key and secret (doc 001).
	KeySecret
)

// Schema is the set of documents a config may have sections for, in report order.
type Schema struct {
	Profiles []Rules
}

// Names lists the profile names in order.
func (s Schema) Names() []string {
	out := make([]string, len(s.Profiles))
	for i, r := range s.Profiles {
		out[i] = r.Name
	}
	return out
}

// rules returns the rules of a profile.
func (s Schema) rules(name string) (Rules, bool) {
	for _, r := range s.Profiles {
		if r.Name == name {
			return r, true
		}
	}
	return Rules{}, false
}

// describe lists the profiles for which pick holds, with their document numbers, for
// messages such as "only flylogs (doc 000) and newapikey (doc 002) document 2FA".
func (s Schema) describe(pick func(Rules) bool, withDoc bool) string {
	var names []string
	for _, r := range s.Profiles {
		if pick(r) {
			if withDoc {
				names = append(names, fmt.Sprintf("%s (doc %s)", r.Name, r.Doc))
			} else {
				names = append(names, r.Name)
			}
		}
	}
	switch len(names) {
	case 0:
		return "no profile"
	case 1:
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}
