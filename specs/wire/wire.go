// Package wire holds the specs of category wire that every document gets alike: its requests
// sent in the other wire forms a standard makes the same request (package wireform's
// catalogue), each of which must get the document's answer, and the forms a standard makes
// another request, which must not. The specs are the same code for every profile; each
// profile's package gives, in a Plan, the sentences of its own document the answers are read
// against and the forms that change its requests, so every requirement quotes its document and
// names its standard.
package wire

import (
	"context"
	"strings"

	"github.com/onsi/ginkgo/v2"

	"github.com/conformhq/conform/client"
	"github.com/conformhq/conform/profile"
	"github.com/conformhq/conform/specs/cite"
	"github.com/conformhq/conform/specs/env"
	"github.com/conformhq/conform/wireform"
)

// Plan is one document's part in the wire specs.
type Plan struct {
	Doc cite.Document
	// Answer quotes the document's successful login answer (English renders it where the
	// document is not in English): what the login must get in every equivalent form.
	Answer, English string
	// Rendering is the markup Answer and Required are read through (cite.Requirement's).
	Rendering cite.Rendering
	// Forms are the catalogue ids of the equivalent forms that change the document's
	// requests (its login, the probe, its logout).
	Forms []string
	// Required quotes the sentence that makes the login's members required (RequiredEnglish
	// renders it), and Member names the secret's member: the member-case spec sends it in
	// another letter case. Empty Member leaves that spec out.
	Required, RequiredEnglish, Member string
	// Spaced, when not nil, changes a login so that a value holds a space, where the
	// document leaves a value to the client (doc 002's description): the space form's spec
	// (and only it) sends it.
	Spaced func(*client.Request)
	// LogoutAnswer, for a document with a logout, says what the logout's answer lacks of the
	// documented one ("" when it is that answer).
	LogoutAnswer func(*client.Response) string
}

// Register declares the wire specs of one document in b against e.
func Register(b *cite.Book, e *env.Env, p Plan) {
	ginkgo.Describe("wire forms", func() {
		for _, id := range p.Forms {
			equivalentSpec(b, e, p, wireform.MustGet(id))
		}
		if p.Member != "" {
			memberCaseSpec(b, e, p)
		}
	})
}

// requirement is the requirement of form f in p's document: the document's answer, read
// through f's standard; a should, with f's reason, where a conforming server may differ.
func requirement(p Plan, f wireform.Form, quote, english string) cite.Requirement {
	var r cite.Requirement
	if f.Open != "" {
		r = p.Doc.Should("wire."+f.ID, cite.Wire, quote, f.Open)
	} else {
		r = p.Doc.Must("wire."+f.ID, cite.Wire, quote)
	}
	if english != "" {
		r = r.InEnglish(english)
	}
	if p.Rendering != "" {
		r = r.RenderedFrom(p.Rendering)
	}
	return r.Under(f.Standard)
}

// equivalentSpec sends the document's login, then the probe and the logout where the document
// has them, each in form f where f changes it, and expects each the document's answer: the
// documented success with a token, the token accepted, the documented logout.
func equivalentSpec(b *cite.Book, e *env.Env, p Plan, f wireform.Form) {
	b.It(requirement(p, f, p.Answer, p.English), "sends the documented requests with "+f.Sends, func(ctx ginkgo.SpecContext) {
		a := e.PlainAccount(0)
		login := e.LoginRequest(a, 0)
		if p.Spaced != nil && f.ID == wireform.SpacePercent20 {
			p.Spaced(&login)
		}
		placeholder := profile.Session{Account: a, Token: "conform-placeholder"}
		probe, logout := e.Config.Probe != nil && f.Applies(probeRequest(e, placeholder)), false
		if e.Wire.Logout != nil && p.LogoutAnswer != nil {
			logout = f.Applies(e.Wire.Logout(e.Config, placeholder))
		}
		if !f.Applies(login) && !probe && !logout {
			ginkgo.Skip("the form changes none of this target's requests (" + f.Sends + ")")
		}
		resp := e.Do(ctx, f.Apply(login))
		tok, why := e.Wire.LoginToken(resp.Body)
		if tok != "" {
			endSession(e, profile.Session{Account: a, Token: tok})
		}
		env.Expect(why == "", "the document's successful login answer to the login sent with "+f.Sends, why+": "+env.DescribeBody(resp))
		s := profile.Session{Account: a, Token: tok}
		if probe {
			resp := e.Do(ctx, f.Apply(probeRequest(e, s)))
			env.Expect(e.ProbeAccepts(resp), "the probe sent with "+f.Sends+" to accept the token", env.DescribeBody(resp))
		}
		if logout {
			resp := e.Do(ctx, f.Apply(e.Wire.Logout(e.Config, s)))
			why := p.LogoutAnswer(resp)
			env.Expect(why == "", "the document's logout answer to the logout sent with "+f.Sends, why+": "+env.DescribeBody(resp))
		}
	})
}

// memberCaseSpec sends the login with its secret's member in another letter case and the
// member itself left out: a login without it, which gets no token.
func memberCaseSpec(b *cite.Book, e *env.Env, p Plan) {
	f := wireform.MustGet(wireform.MemberCase).On(p.Member)
	other := f.Apply(client.Request{JSON: map[string]any{p.Member: ""}}).JSON.(map[string]any)
	var renamed string
	for k := range other {
		renamed = k
	}
	b.It(requirement(p, f, p.Required, p.RequiredEnglish), "sends a login with "+p.Member+" spelled "+renamed+" and no "+p.Member, func(ctx ginkgo.SpecContext) {
		a := e.PlainAccount(0)
		login := e.LoginRequest(a, 0)
		if !f.Applies(login) {
			ginkgo.Skip("the login has no member " + p.Member)
		}
		resp := e.Do(ctx, f.Apply(login))
		tok := e.Token(resp)
		if tok != "" {
			endSession(e, profile.Session{Account: a, Token: tok})
		}
		env.Expect(tok == "", "no token for a login whose "+p.Member+" is spelled "+renamed+" (RFC 8259 §8.3: another member)", "a token: "+env.DescribeBody(resp))
	})
}

// probeRequest is the config's probe with session s's token placed where the document puts it,
// and what the document asks of every request besides (doc 000's company key).
func probeRequest(e *env.Env, s profile.Session) client.Request {
	return e.ProbeRequest("", func(r *client.Request) { e.Wire.Place(e.Config, r, s) })
}

// endSession logs s out after the spec where the document has a logout (a leftover session of
// doc 003 ends other users' logins from this address); its outcome is not part of the spec.
func endSession(e *env.Env, s profile.Session) {
	if e.Wire.Logout == nil {
		return
	}
	r := e.Wire.Logout(e.Config, s)
	r.Path = e.Config.BasePath + r.Path
	ginkgo.DeferCleanup(func(ctx context.Context) {
		_, _ = e.Client.Do(ctx, r)
	})
}

// Spaced returns a Plan.Spaced that sets query parameter name to value, a value with a space.
func Spaced(name, value string) func(*client.Request) {
	if !strings.Contains(value, " ") {
		panic("wire.Spaced: " + value + " holds no space")
	}
	return func(r *client.Request) {
		if r.Query != nil {
			r.Query.Set(name, value)
		}
	}
}
