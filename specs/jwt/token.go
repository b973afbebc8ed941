package jwt

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/onsi/ginkgo/v2"
	"github.com/tidwall/gjson"

	"github.com/conformhq/conform/client"
	"github.com/conformhq/conform/config"
	"github.com/conformhq/conform/specs/cite"
	"github.com/conformhq/conform/specs/env"
)

func tokenSpecs(b *cite.Book, e *env.Env) {
	ginkgo.Describe("the token", func() {
		b.It(reqHeader, "sends the probe with the token in header x-access-token", func(ctx ginkgo.SpecContext) {
			tok, _ := logIn(ctx, e, e.Account(0))
			ok, resp := e.Probe(ctx, "", inHeader(e, tok))
			env.Expect(ok, "the probe to accept the token in header x-access-token", env.DescribeField(resp, "@this"))
		})

		b.It(reqQuery, "sends the probe with the token in query parameter token", func(ctx ginkgo.SpecContext) {
			tok, _ := logIn(ctx, e, e.Account(0))
			ok, resp := e.Probe(ctx, "", inQuery(e, tok))
			env.Expect(ok, "the probe to accept the token in query parameter token", env.DescribeField(resp, "@this"))
		})

		b.It(reqRequired, "sends the probe without a token", func(ctx ginkgo.SpecContext) {
			ok, resp := e.Probe(ctx, "", nil)
			env.Expect(!ok, "the probe to refuse a request without a token", env.DescribeField(resp, "@this"))
		})

		// A token no login returned, in each of the document's two ways: a server may check
		// the header and take the query parameter on trust. The placement's name comes from
		// the wire at run time; the spec text names the document's.
		for _, p := range ways {
			b.It(reqRequired, "sends the probe with a garbage token in "+p.name, func(ctx ginkgo.SpecContext) {
				ok, resp := e.Probe(ctx, "", p.in(e, "conform.garbage.token"))
				env.Expect(!ok, "the probe to refuse a token that no login returned", env.DescribeField(resp, "@this"))
			})
		}

		// GET /users/me with each user's token in each of the document's two ways: the user
		// object of the token's user, whichever way it came.
		for _, p := range ways {
			b.It(reqMe, "sends GET /users/me with each of two users' tokens in "+p.name, func(ctx ginkgo.SpecContext) {
				meAsEach(ctx, e, p.at)
			})
		}
	})
}

// meAsEach logs two users in and asks GET /users/me with each one's token in placement at:
// each answer names its token's user (its login email, or the uid its login returned) and not
// the other. Which fields the user object has the document does not say; any of its values
// naming the user passes.
func meAsEach(ctx context.Context, e *env.Env, at int) {
	ginkgo.GinkgoHelper()
	a, bb := e.Account(0), e.Account(1)
	answers := e.LoginEach(ctx, []config.Account{a, bb})
	loginA, loginB := answers[0], answers[1]
	tokA, tokB := e.Token(loginA), e.Token(loginB)
	env.Expect(tokA != "", "a successful login with a token (account "+a.Login+")", env.DescribeField(loginA, "token"))
	env.Expect(tokB != "", "a successful login with a token (account "+bb.Login+")", env.DescribeField(loginB, "token"))
	idsA := identity(a.Login, loginA.Get("uid"))
	idsB := identity(bb.Login, loginB.Get("uid"))
	for _, c := range []struct {
		tok       string
		who, not  []string
		whoLogin  string
		notLogins string
	}{{tokA, idsA, idsB, a.Login, bb.Login}, {tokB, idsB, idsA, bb.Login, a.Login}} {
		r := client.Request{Method: http.MethodGet, Path: "/users/me"}
		env.Placed(e.Placements()[at], config.Account{}, c.tok)(&r)
		resp := e.Do(ctx, r)
		env.Expect(resp.Status >= 200 && resp.Status < 300, "a 2xx answer to /users/me with "+c.whoLogin+"'s token", env.DescribeField(resp, "@this"))
		env.ExpectField(resp, "@this", env.Object)
		vals, err := stringsIn(resp)
		env.Expect(err == nil, "a user object conform can walk", fmt.Sprint(err))
		env.Expect(containsAny(vals, c.who), "the user object of "+c.whoLogin+" (its email or the uid its login returned)", env.DescribeField(resp, "@this"))
		env.Expect(!containsAny(vals, c.not), "no trace of the other user "+c.notLogins, env.DescribeField(resp, "@this"))
	}
}

// identity is what names a user in a user object: the login email and the uid login returned.
func identity(email string, uid gjson.Result) []string {
	ids := []string{strings.ToLower(email)}
	if uid.Exists() && uid.String() != "" {
		ids = append(ids, strings.ToLower(uid.String()))
	}
	return ids
}

// stringsIn collects every scalar value of a JSON answer, lower-cased, in one bounded pass
// (env.Scalars).
func stringsIn(resp *client.Response) (map[string]bool, error) {
	vals, err := env.Scalars(resp)
	if err != nil {
		return nil, err
	}
	out := map[string]bool{}
	for _, v := range vals {
		if v.Kind != gjson.Null {
			out[strings.ToLower(v.Text)] = true
		}
	}
	return out, nil
}

func containsAny(vals map[string]bool, ids []string) bool {
	for _, id := range ids {
		if vals[id] {
			return true
		}
	}
	return false
}
