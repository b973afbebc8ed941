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

// Plan is one document's citations for the shared specs. A nil requirement leaves its spec
// out for that document.
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
	// nil for documents whose tokens are deterministic by design (a JWT of the same claims).
	Unique *cite.Requirement
	// ShortKeysShown: the document's own token example is shorter than 128 bits (doc 002's
	// 10-character key); below 128 bits is then an advisory, not a failure.
	ShortKeysShown bool
	// NoPassword (should): no answer carries the password or a password hash.
	NoPassword cite.Requirement
	// PasswordEchoShown: the document shows its error answer echoing the password (doc 002):
	// an echo is then an advisory, not a failure.
	PasswordEchoShown bool

	// Advice (should) backs the advisory specs, which never fail: they record findings
	// (env.Advise). It cites the document's login sentence.
	Advice cite.Requirement
	// QueryTokenShown: the document tells clients to put the token in a URL query (docs 002
	// and 004), which ASVS 4.0.3 V3.1.1 advises against.
	QueryTokenShown bool
}

// Register declares the shared specs of one document in b against e.
func Register(b *cite.Book, e *env.Env, p Plan) {
	ginkgo.Describe("robustness", func() { robustnessSpecs(b, e, p) })
	ginkgo.Describe("token properties", func() { securitySpecs(b, e, p) })
	ginkgo.Describe("advisories", func() { adviceSpecs(b, e, p) })
}
