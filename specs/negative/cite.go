package negative

import (
	"github.com/conformhq/conform/specs/cite"
)

// Sentence is one quoted sentence of a document, as a cite.Requirement holds it.
type Sentence struct {
	Quote string
	// English renders Quote where the document is not in English (doc 003).
	English string
	// Rendering names the markup Quote was read through, if any (cite.Requirement.Rendering).
	Rendering cite.Rendering
}

// Sentences are one document's sentences behind the shared specs, and what the document shows
// that changes how a finding is judged. Cite turns them into the document's Plan: the
// requirement ids, levels and reasons are the same for every document and written once here;
// the quotes and readings are each profile's.
type Sentences struct {
	// Required makes the credentials required: hostile-login-refused (must) and no-5xx.
	Required Sentence
	// Envelope gives the failure envelope: hostile-login-shape (must); nil when the document
	// gives none (doc 001).
	Envelope *Sentence
	// Login says a valid login returns a token: survives-oversize.
	Login Sentence
	// Token says where the token goes on later requests: hostile-token-refused.
	Token Sentence
	// Unique backs tokens-unpredictable; nil for documents whose tokens are deterministic by
	// design (a JWT of the same claims).
	Unique *Sentence
	// Password backs no-password-in-answer.
	Password Sentence
	// Advice backs the advisories.
	Advice Sentence
	// Owner says whose the token is, or what it is for: own-token.
	Owner Sentence

	Readings
}

// Readings are what a document shows that turns a finding into an advisory, or what it gives
// a spec to read.
type Readings struct {
	// ShortKeysShown: the document's own token example is shorter than 128 bits (doc 002's
	// 10-character key); below 128 bits is then an advisory, not a failure.
	ShortKeysShown bool
	// PasswordEchoShown: the document shows its error answer echoing the password (doc 002):
	// an echo is then an advisory, not a failure.
	PasswordEchoShown bool
	// QueryTokenShown: the document tells clients to put the token in a URL query (docs 002
	// and 004), which ASVS 4.0.3 V3.1.1 advises against.
	QueryTokenShown bool
	// WhyMessageShown: the document says a refused login is answered "a message explaining
	// why" (doc 004): a wrong secret and an unknown login answered apart is then what it asks.
	WhyMessageShown bool
	// OwnerFields are the gjson paths of a login answer that name the user the document says
	// the answer is for (doc 001's id and email, doc 004's uid): own-token compares them.
	OwnerFields []string
}

// requirement declares one shared requirement of d from s.
func requirement(d cite.Document, id string, cat cite.Category, s Sentence, reason string) cite.Requirement {
	var r cite.Requirement
	if reason == "" {
		r = d.Must(id, cat, s.Quote)
	} else {
		r = d.Should(id, cat, s.Quote, reason)
	}
	if s.English != "" {
		r = r.InEnglish(s.English)
	}
	if s.Rendering != "" {
		r = r.RenderedFrom(s.Rendering)
	}
	return r
}

// Cite is the Plan of document d from its sentences.
func Cite(d cite.Document, s Sentences) Plan {
	p := Plan{
		NoToken:      requirement(d, "robustness.hostile-login-refused", cite.Robustness, s.Required, ""),
		No5xx:        requirement(d, "robustness.no-5xx", cite.Robustness, s.Required, ReasonNo5xx),
		Survives:     requirement(d, "robustness.survives-oversize", cite.Robustness, s.Login, ReasonSurvives),
		TokenRefused: requirement(d, "robustness.hostile-token-refused", cite.Robustness, s.Token, ReasonTokenRefused),
		NoPassword:   requirement(d, "security.no-password-in-answer", cite.Security, s.Password, ReasonNoPassword),
		OwnToken:     requirement(d, "security.own-token", cite.Security, s.Owner, ReasonOwnToken),
		Advice:       requirement(d, "security.advisories", cite.Security, s.Advice, ReasonAdvice),
		Readings:     s.Readings,
	}
	if s.Envelope != nil {
		r := requirement(d, "robustness.hostile-login-shape", cite.Robustness, *s.Envelope, "")
		p.Shape = &r
	}
	if s.Unique != nil {
		r := requirement(d, "security.tokens-unpredictable", cite.Security, *s.Unique, ReasonUnique)
		p.Unique = &r
	}
	return p
}
