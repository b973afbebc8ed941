package newapikey

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/onsi/ginkgo/v2"

	"github.com/conformhq/conform/client"
	"github.com/conformhq/conform/config"
	"github.com/conformhq/conform/specs/cite"
	"github.com/conformhq/conform/specs/env"
)

// Doc 002's three request examples, as the document writes them (its "$ " prompt included).
const (
	qExLogin = `$ /user/newapikey/login.json?user=username&pass=password&description=YourAPP`
	qExTfkey = `$ /user/newapikey/login.json?user=username&pass=password&description=YourAPP&tfkey=1234`
	qExView  = `$ /view/user/api.json?user=username&key=key`
)

var (
	reqExampleLogin = doc.Must("example.login", cite.Wire, qExLogin)
	reqExampleTfkey = doc.Must("example.login-tfkey", cite.Wire, qExTfkey)
	reqExampleView  = doc.Must("example.view", cite.Wire, qExView)
)

// exampleSpecs send doc 002's request examples as written: a GET of the path with its query
// parameters in the example's order, username, password, tfkey and key put in (each
// percent-encoded as a query value must be, as a browser's address bar does), the example's
// description YourAPP kept. Each must get the answer the document gives next to it.
func exampleSpecs(b *cite.Book, e *env.Env) {
	ginkgo.Describe("the document's examples", func() {
		b.It(reqExampleLogin, "sends doc 002's login example as written: user, pass and description=YourAPP, in that order", func(ctx ginkgo.SpecContext) {
			a := e.PlainAccount(0)
			resp := e.Do(ctx, exampleLogin(a, ""))
			env.ExpectValue(resp, "status", "success")
			env.ExpectValue(resp, "success", "ADDED_KEY")
			env.ExpectField(resp, "newapikey.key", env.NonEmptyString)
		})

		b.It(reqExampleTfkey, "sends doc 002's login example for a 2FA user as written, then its tfkey example with the code", func(ctx ginkgo.SpecContext) {
			a := e.TwoFactorAccount(0)
			src := e.Codes(a)
			mark := src.Mark(ctx)
			first := e.Do(ctx, exampleLogin(a, ""))
			env.ExpectValue(first, "success", "ADDED_TF")
			code := env.CodeOrSkip(ctx, src, mark, "newapikey.2fa.code-delivered")
			resp := e.Do(ctx, exampleLogin(a, code))
			env.ExpectValue(resp, "status", "success")
			env.ExpectValue(resp, "success", "ADDED_KEY")
			env.ExpectField(resp, "newapikey.key", env.NonEmptyString)
		})

		b.It(reqExampleView, "sends doc 002's example query of your personal information as written: user, then key", func(ctx ginkgo.SpecContext) {
			a := e.PlainAccount(0)
			k := logIn(ctx, e, a)
			resp := e.Do(ctx, client.Request{Method: http.MethodGet, Path: "/view/user/api.json?user=" + url.QueryEscape(a.Login) + "&key=" + url.QueryEscape(k)})
			env.Expect(resp.Status >= 200 && resp.Status < 300 && resp.Get("status").String() != "error", "your personal information: a 2xx answer that is not doc 002's error", env.DescribeBody(resp))
			// Whose information it is the document does not show (newapikey.view.names-user):
			// not another account's.
			vals := answerValues(resp, ".json")
			for _, o := range e.PlainAccounts() {
				if o.Login != a.Login {
					env.Expect(!vals[strings.ToLower(o.Login)], "no trace of another user, "+o.Login, env.DescribeBody(resp))
				}
			}
		})
	})
}

// exampleLogin is doc 002's login example for a, with tfkey when not empty.
func exampleLogin(a config.Account, tfkey string) client.Request {
	path := "/user/newapikey/login.json?user=" + url.QueryEscape(a.Login) + "&pass=" + url.QueryEscape(a.Password) + "&description=YourAPP"
	if tfkey != "" {
		path += "&tfkey=" + url.QueryEscape(tfkey)
	}
	return client.Request{Method: http.MethodGet, Path: path}
}
