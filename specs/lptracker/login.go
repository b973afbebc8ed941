package lptracker

import (
	"encoding/json"

	"github.com/onsi/ginkgo/v2"

	"github.com/conformhq/conform/client"
	"github.com/conformhq/conform/specs/cite"
	"github.com/conformhq/conform/specs/env"
)

func loginSpecs(b *cite.Book, e *env.Env) {
	ginkgo.Describe("POST /login", func() {
		for _, field := range []string{"login", "password", "service", "version"} {
			b.It(reqFieldRequired, "sends a login without "+field, func(ctx ginkgo.SpecContext) {
				r, body := loginBody(e, e.Account(0), 0)
				delete(body, field)
				resp := login(ctx, e, r, "")
				env.Expect(!resp.Get("result.token").Exists(), "no token when "+field+" is missing", env.DescribeField(resp, "result.token"))
				env.Expect(resp.Get("status").String() != "success", "status other than success when "+field+" is missing", env.DescribeField(resp, "status"))
			})
		}

		// A required field given without a value. JSON null is no value, and the example's
		// service is a string: a service of null is not given, whether a server reads
		// "required" as "present with a value" or checks the string (must). An empty string is
		// a string given, which a server reading "required" as "present" may take: refusing it
		// is a should (reqFieldEmpty says why). The other fields' null and empty forms are
		// tried elsewhere: version below, password's empty form among the wrong passwords,
		// login and password as null among the hostile logins.
		for _, c := range []struct {
			req   cite.Requirement
			what  string
			value any
		}{
			{reqFieldRequired, "service null", nil},
			{reqFieldEmpty, `an empty service ""`, ""},
		} {
			b.It(c.req, "sends a login with "+c.what, func(ctx ginkgo.SpecContext) {
				r, body := loginBody(e, e.Account(0), 0)
				body["service"] = c.value
				resp := login(ctx, e, r, "")
				if tok := resp.Get("result.token").String(); tok != "" {
					cleanup(e, tok, "")
				}
				env.Expect(!resp.Get("result.token").Exists(), "no token for "+c.what, env.DescribeField(resp, "result.token"))
				env.Expect(resp.Get("status").String() != "success", "status other than success for "+c.what, env.DescribeField(resp, "status"))
			})
		}

		// "Only version 1.0 is available" rules out every other version (must): a later major
		// and minor one, an earlier one, an empty one, and null (no version at all, whether
		// read as a missing field or as a version other than 1.0). Other spellings of 1.0 ("1",
		// "1.00", "1.0.0", " 1.0" padded, "v1.0", the number 1.0) are another matter: a
		// lenient server may read them as version 1.0, so refusing them is a should
		// (reqVersionSpelling says why). Either way the login gets no result.token and no
		// status success, whatever the HTTP status.
		for _, c := range []struct {
			req     cite.Requirement
			what    string
			version any
		}{
			{reqVersion, "version 2.0", "2.0"},
			{reqVersion, "version 1.1", "1.1"},
			{reqVersion, "version 0.9", "0.9"},
			{reqVersion, "an empty version", ""},
			{reqVersion, "version null", nil},
			{reqVersionSpelling, `version "1"`, "1"},
			{reqVersionSpelling, `version "1.00"`, "1.00"},
			{reqVersionSpelling, `version "1.0.0"`, "1.0.0"},
			{reqVersionSpelling, `version " 1.0" (a leading space)`, " 1.0"},
			{reqVersionSpelling, `version "v1.0"`, "v1.0"},
			{reqVersionSpelling, "version 1.0 as a JSON number", json.Number("1.0")},
		} {
			b.It(c.req, "sends a login with "+c.what, func(ctx ginkgo.SpecContext) {
				r, body := loginBody(e, e.Account(0), 0)
				body["version"] = c.version
				resp := login(ctx, e, r, "")
				if tok := resp.Get("result.token").String(); tok != "" {
					cleanup(e, tok, "") // a wrong version let in must not hold the address for the next spec
				}
				env.Expect(!resp.Get("result.token").Exists(), "no token for "+c.what, env.DescribeField(resp, "result.token"))
				env.Expect(resp.Get("status").String() != "success", "status other than success for "+c.what, env.DescribeField(resp, "status"))
			})
		}

		// A wrong password in each form a real comparison lets through (env.Forms): no token
		// and status error. An empty password is refused either as a missing field ("All
		// fields in this request are required") or as a wrong password; both readings pass.
		for _, f := range env.Forms() {
			b.It(reqWrongPassword, "sends a login with "+f.What("password"), func(ctx ginkgo.SpecContext) {
				a := e.Account(0)
				r, body := loginBody(e, a, 0)
				body["password"] = f.Of(a.Password, e.Other(a, password), "account "+a.Login+"'s password")
				resp := login(ctx, e, r, "")
				if tok := resp.Get("result.token").String(); tok != "" {
					cleanup(e, tok, "")
				}
				env.Expect(!resp.Get("result.token").Exists(), "no token for a wrong password", env.DescribeField(resp, "result.token"))
				env.ExpectValue(resp, "status", "error")
			})
		}

		// The documented error on each refusal its message names, "Invalid login or
		// password": a wrong password and an unknown login.
		for _, c := range []struct{ what, field, prefix string }{
			{"a wrong password", "password", ""},
			{"an unknown login", "login", "conform-nobody-"},
		} {
			b.It(reqErrorShape, "sends a login with "+c.what+" and reads the error", func(ctx ginkgo.SpecContext) {
				r, body := loginBody(e, e.Account(0), 0)
				if c.field == "password" {
					body["password"] = env.Wrong(e.Account(0).Password)
				} else {
					body["login"] = c.prefix + e.Account(0).Login
				}
				expectLoginError(login(ctx, e, r, ""))
			})
		}

		// Every configured account: a server may answer one user in the documented shape and
		// another not. One at a time from one address, each logged out before the next logs
		// in: "from one IP address only one lptracker user can be authorized", and a logged-out
		// user is no longer authorized, whichever way the server keeps the rule.
		b.It(reqSuccessShape, "sends a valid login of every configured account, one after the other, and reads each answer", func(ctx ginkgo.SpecContext) {
			for _, a := range e.Config.Accounts {
				resp := login(ctx, e, e.LoginRequest(a, 0), "")
				if tok := resp.Get("result.token").String(); tok != "" {
					logout(ctx, e, tok, "")
				}
				env.ExpectValueOf(a.Login, resp, "status", "success")
				env.ExpectFieldOf(a.Login, resp, "result", env.Object)
				env.ExpectFieldOf(a.Login, resp, "result.token", env.NonEmptyString)
			}
		})
	})
}

// expectLoginError fails the spec unless a login answer is doc 003's error example: status
// error and errors [{code 401, message}].
func expectLoginError(resp *client.Response) {
	ginkgo.GinkgoHelper()
	env.ExpectValue(resp, "status", "error")
	env.ExpectField(resp, "errors", env.NonEmptyArray)
	env.ExpectField(resp, "errors.0", env.Object)
	env.ExpectField(resp, "errors.0.code", env.Integer)
	env.Expect(resp.Get("errors.0.code").Int() == 401, "errors.0.code 401, as in the document's example for a bad login or password", env.DescribeField(resp, "errors.0.code"))
	env.ExpectField(resp, "errors.0.message", env.NonEmptyString)
}
