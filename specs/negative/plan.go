// Package negative holds the specs every login document gets alike: what a login endpoint
// must survive (category robustness), the token properties auditors check (category
// security) and the advisories (findings that are not failures). The specs are the same code
// for every profile; each profile's package cites its own document's sentences in a Plan, so
// every requirement still quotes the document it belongs to.
//
// Where the documents are silent the requirements are should-level, each citing the OWASP
// ASVS requirement it checks: 4.0.3 (https://github.com/OWASP/ASVS/tree/v4.0.3) and 5.0
// (https://github.com/OWASP/ASVS/tree/v5.0.0).
package negative

import (
	"github.com/onsi/ginkgo/v2"

	"github.com/conformhq/conform/specs/cite"
	"github.com/conformhq/conform/specs/env"
)

// Plan is one document's requirements for the shared specs (see Cite). A nil requirement
// leaves its spec out for that document.
type Plan struct {
	// NoToken (must): a hostile login gets no token. It cites the document's sentence that
	// makes the credentials required (a login without them, or with other values, is not a
	// login the document describes).
	NoToken cite.Requirement
	// Shape (must), when the document gives its failure envelope (the wire's Failure): a
	// hostile login that the target read as a login (see variant.parsed) is answered in it.
	Shape *cite.Requirement
	// No5xx (should): no hostile login or hostile token gets a 5xx.
	No5xx cite.Requirement
	// Survives (should): after a 10 MiB body, a valid login and the probe still work.
	Survives cite.Requirement
	// TokenRefused (should): the probe (and the logout, where the document has one) with a
	// hostile token gets no 5xx and is not accepted.
	TokenRefused cite.Requirement

	// Unique (should): tokens of many logins differ and carry at least 128 bits that vary.
	Unique *cite.Requirement
	// NoPassword (should): no answer carries the password or a password hash.
	NoPassword cite.Requirement
	// OwnToken (should): a login of a second user gets a token of its own, not the first
	// user's, and where the answers say whose a token is, each says its own user.
	OwnToken cite.Requirement

	// Advice (should) backs the advisory specs, which never fail: they record findings
	// (env.Advise).
	Advice cite.Requirement

	Readings
}

// Register declares the shared specs of one document in b against e.
func Register(b *cite.Book, e *env.Env, p Plan) {
	ginkgo.Describe("robustness", func() { robustnessSpecs(b, e, p) })
	ginkgo.Describe("token properties", func() { securitySpecs(b, e, p) })
	ginkgo.Describe("advisories", func() { adviceSpecs(b, e, p) })
}
