package jwt

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/onsi/ginkgo/v2"
	"github.com/tidwall/gjson"

	"github.com/conformhq/conform/client"
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

		b.It(reqRequired, "sends the probe with a garbage token in header x-access-token", func(ctx ginkgo.SpecContext) {
			ok, resp := e.Probe(ctx, "", inHeader(e, "conform.garbage.token"))
			env.Expect(!ok, "the probe to refuse a token that no login returned", env.DescribeField(resp, "@this"))
		})

		b.It(reqMe, "sends GET /users/me with each of two users' tokens", func(ctx ginkgo.SpecContext) {
			a, bb := e.Account(0), e.Account(1)
			tokA, loginA := logIn(ctx, e, a)
			tokB, loginB := logIn(ctx, e, bb)
			idsA := identity(a.Login, loginA.Get("uid"))
			idsB := identity(bb.Login, loginB.Get("uid"))
			for _, c := range []struct {
				tok       string
				who, not  []string
				whoLogin  string
				notLogins string
			}{{tokA, idsA, idsB, a.Login, bb.Login}, {tokB, idsB, idsA, bb.Login, a.Login}} {
				resp := e.Do(ctx, client.Request{Method: http.MethodGet, Path: "/users/me", Header: http.Header{"X-Access-Token": {c.tok}}})
				env.Expect(resp.Status >= 200 && resp.Status < 300, "a 2xx answer to /users/me with "+c.whoLogin+"'s token", env.DescribeField(resp, "@this"))
				env.ExpectField(resp, "@this", env.Object)
				vals, err := stringsIn(resp)
				env.Expect(err == nil, "a user object conform can walk", fmt.Sprint(err))
				env.Expect(containsAny(vals, c.who), "the user object of "+c.whoLogin+" (its email or the uid its login returned)", env.DescribeField(resp, "@this"))
				env.Expect(!containsAny(vals, c.not), "no trace of the other user "+c.notLogins, env.DescribeField(resp, "@this"))
			}
		})
	})
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
