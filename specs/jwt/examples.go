package jwt

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"

	"github.com/onsi/ginkgo/v2"

	"github.com/conformhq/conform/client"
	"github.com/conformhq/conform/config"
	"github.com/conformhq/conform/specs/cite"
	"github.com/conformhq/conform/specs/env"
	"github.com/conformhq/conform/wireform"
)

// Doc 004's request examples: the login row's example body and the two curl lines for
// /users/me (the token elided).
const (
	qCurlHeader = `curl --header "x-access-token: [...]" api.example.com/users/me`
	qCurlQuery  = `curl api.example.com/users/me?token=[...]`
)

var (
	reqExampleLogin  = doc.Must("example.login-body", cite.Wire, qLoginBody).RenderedFrom(cite.MarkdownTable)
	reqExampleHeader = doc.Must("example.me-curl-header", cite.Wire, qCurlHeader)
	reqExampleQuery  = doc.Must("example.me-curl-query", cite.Wire, qCurlQuery)
)

// exampleSpecs send doc 004's request examples as written, with the config's credentials and
// the token put in.
//
// How they are read: the login row gives no curl, only "expects JSON in the message body. e.g.
// {"email": "email@example.com", password: ""}": a POST with Content-Type application/json
// and that body, its members in that order and spacing; the example's password key is
// unquoted (JavaScript's object notation, not JSON), and is sent quoted, as the row's "expects
// JSON" asks. The curl lines are sent as curl sends them: a GET, the header named as written
// (x-access-token, in lower case) or the query parameter token, and curl's own User-Agent and
// Accept: */*. Each must get "the logged in user's object".
func exampleSpecs(b *cite.Book, e *env.Env) {
	ginkgo.Describe("the document's examples", func() {
		b.It(reqExampleLogin, `sends doc 004's example login body as written: {"email": ..., "password": ...} with a space after each colon and comma`, func(ctx ginkgo.SpecContext) {
			a := e.Account(0)
			r := client.Request{Method: http.MethodPost, Path: "/users/login", Header: http.Header{"Content-Type": {"application/json"}},
				Body: `{"email": ` + jsonString(a.Login) + `, "password": ` + jsonString(a.Password) + `}`}
			resp := e.Do(ctx, r)
			env.ExpectField(resp, "uid", env.Present)
			env.ExpectField(resp, "token", env.NonEmptyString)
		})

		b.It(reqExampleHeader, `sends doc 004's curl example for GET /users/me with header x-access-token as written`, func(ctx ginkgo.SpecContext) {
			a := e.Account(0)
			tok, login := logIn(ctx, e, a)
			r := wireform.AsCurl(client.Request{Method: http.MethodGet, Path: "/users/me", Header: http.Header{"x-access-token": {tok}}})
			expectUser(ctx, e, a, login, r)
		})

		b.It(reqExampleQuery, `sends doc 004's curl example for GET /users/me?token= as written`, func(ctx ginkgo.SpecContext) {
			a := e.Account(0)
			tok, login := logIn(ctx, e, a)
			r := wireform.AsCurl(client.Request{Method: http.MethodGet, Path: "/users/me?token=" + url.QueryEscape(tok)})
			expectUser(ctx, e, a, login, r)
		})
	})
}

// expectUser sends r and fails the spec unless it gets a's user object: a 2xx JSON object
// naming a (its email, or the uid its login answered).
func expectUser(ctx context.Context, e *env.Env, a config.Account, login *client.Response, r client.Request) {
	ginkgo.GinkgoHelper()
	resp := e.Do(ctx, r)
	env.Expect(resp.Status >= 200 && resp.Status < 300, "a 2xx answer to the example", env.DescribeBody(resp))
	env.ExpectField(resp, "@this", env.Object)
	vals, err := stringsIn(resp)
	env.Expect(err == nil, "a user object conform can walk", fmt.Sprint(err))
	env.Expect(containsAny(vals, identity(a.Login, login.Get("uid"))), "the user object of "+a.Login+" (its email or the uid its login returned)", env.DescribeBody(resp))
}

// jsonString is s as a JSON string.
func jsonString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
