package env

import (
	"context"
	"fmt"

	"github.com/onsi/ginkgo/v2"
	"github.com/tidwall/gjson"

	"github.com/conformhq/conform/client"
	"github.com/conformhq/conform/config"
)

// PlainAccounts returns every configured account without two_factor, skipping the spec when
// there is none: the accounts a shape spec reads one valid login of each.
func (e *Env) PlainAccounts() []config.Account {
	ginkgo.GinkgoHelper()
	var out []config.Account
	for _, a := range e.Config.Accounts {
		if a.TwoFactor == nil {
			out = append(out, a)
		}
	}
	if len(out) == 0 {
		ginkgo.Skip(fmt.Sprintf("needs an account without two_factor; %s.accounts has none: add one to the config", e.Profile))
	}
	return out
}

// LoginEach sends the document's login of each account side by side (DoAll) and returns the
// answers in order: a shape spec reads every configured account's, since a server may answer
// one user in the documented shape and another not.
func (e *Env) LoginEach(ctx context.Context, accounts []config.Account) []*client.Response {
	ginkgo.GinkgoHelper()
	rs := make([]client.Request, len(accounts))
	for i, a := range accounts {
		rs[i] = e.LoginRequest(a, 0)
	}
	return e.DoAll(ctx, rs...)
}

// Who names an account in messages: its login, else its API key.
func Who(a config.Account) string {
	if a.Login != "" {
		return a.Login
	}
	return "api_key " + a.APIKey
}

// ExpectFieldOf is ExpectField for a spec reading several accounts' answers: the message names
// whose answer it is.
func ExpectFieldOf(who string, resp *client.Response, path string, k Kind) {
	ginkgo.GinkgoHelper()
	if why := resp.NotJSON(); why != "" {
		ginkgo.Fail(fmt.Sprintf("expected a JSON body in the answer for %s\n     got: %s (%s)", who, describeBody(resp), why))
	}
	if v := resp.Get(path); !k.holds(v) {
		ginkgo.Fail(fmt.Sprintf("expected body field %s to be %s in the answer for %s\n     got: %s", path, k, who, describe(v)))
	}
}

// ExpectValueOf is ExpectValue for a spec reading several accounts' answers.
func ExpectValueOf(who string, resp *client.Response, path, want string) {
	ginkgo.GinkgoHelper()
	if v := resp.Get(path); v.Type != gjson.String || v.Str != want {
		ginkgo.Fail(fmt.Sprintf("expected body field %s to be %q in the answer for %s\n     got: %s", path, want, who, describe(v)))
	}
}
