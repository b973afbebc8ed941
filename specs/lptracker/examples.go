package lptracker

import (
	"encoding/json"
	"net/http"

	"github.com/onsi/ginkgo/v2"

	"github.com/conformhq/conform/client"
	"github.com/conformhq/conform/profile"
	"github.com/conformhq/conform/specs/cite"
	"github.com/conformhq/conform/specs/env"
	"github.com/conformhq/conform/wireform"
)

// Doc 003's two request examples ("Пример запроса").
const (
	qLoginCurl  = `curl -H 'Content-Type: application/json' \ -X POST \ -d '{"login": "yourlogin@example.com", "password": "yourstrongpassword", "service": "ServiceName", "version": "1.0"}}' \ direct.lptracker.ru/login`
	qLogoutCurl = `curl -H 'Content-Type: application/json' \ -X POST \ direct.lptracker.ru/logout`
)

var (
	reqExampleLogin  = doc.Must("example.login-curl", cite.Wire, qLoginCurl).InEnglish("Request example: curl -H 'Content-Type: application/json' -X POST -d '{login, password, service, version}' .../login")
	reqExampleLogout = doc.Must("example.logout-curl", cite.Wire, qLogoutCurl).InEnglish("Request example: curl -H 'Content-Type: application/json' -X POST .../logout (no body)")
)

// exampleSpecs send doc 003's request examples as written, with the config's credentials and
// the token put in.
//
// How they are read: the login's body is the example's, its members in the example's order
// and spacing, without the stray closing brace the example ends with ({...}}): with it the
// body is not a JSON text (RFC 8259 §2: one value), and a conforming server may refuse it (a
// JSON.parse) or read the first value (a streaming decoder), so nothing can be asked of it. Its
// service is the config's first, or the example's ServiceName. The logout is sent as written:
// Content-Type application/json and no body at all (the document: "the request body is not
// required here"), with the header token the document asks for ("В заголовке запроса
// необходимо указать Ваш token"); its answer is the documented one, and the token is deleted.
func exampleSpecs(b *cite.Book, e *env.Env) {
	ginkgo.Describe("the document's examples", func() {
		b.It(reqExampleLogin, "sends doc 003's login curl example as written (without its stray closing brace)", func(ctx ginkgo.SpecContext) {
			a := e.Account(0)
			service := "ServiceName"
			if len(e.Config.Services) > 0 {
				service = profile.Service(e.Config, 0)
			}
			body := `{"login": ` + jsonString(a.Login) + `, "password": ` + jsonString(a.Password) + `, "service": ` + jsonString(service) + `, "version": "1.0"}`
			r := wireform.AsCurl(client.Request{Method: http.MethodPost, Path: "/login",
				Header: http.Header{"Content-Type": {"application/json"}}, Body: body})
			resp := e.Do(ctx, r)
			tok, why := e.Wire.LoginToken(resp.Body)
			if tok != "" {
				cleanup(e, tok, "")
			}
			env.Expect(why == "", "the document's successful answer (status success, result.token) to its own example", why+": "+env.DescribeBody(resp))
		})

		b.It(reqExampleLogout, "sends doc 003's logout curl example as written: Content-Type application/json, no body, the token in header token", func(ctx ginkgo.SpecContext) {
			tok := logIn(ctx, e, e.Account(0), 0, "")
			r := wireform.AsCurl(client.Request{Method: http.MethodPost, Path: "/logout",
				Header: http.Header{"Content-Type": {"application/json"}}})
			withToken(e, tok)(&r)
			resp := e.Do(ctx, r)
			env.ExpectValue(resp, "status", "success")
			env.Expect(resp.Get("result").Raw == "true", "result true, the document's logout answer", env.DescribeField(resp, "result"))
			ok, probe := e.Probe(ctx, "", withToken(e, tok))
			env.Expect(!ok, "the token deleted by the example's logout (the probe refuses it)", env.DescribeBody(probe))
		})
	})
}

// jsonString is s as a JSON string.
func jsonString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
