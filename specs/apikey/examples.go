package apikey

import (
	"encoding/json"
	"net/http"

	"github.com/onsi/ginkgo/v2"

	"github.com/conformhq/conform/client"
	"github.com/conformhq/conform/specs/cite"
	"github.com/conformhq/conform/specs/env"
)

// qExampleBody is doc 001's request example: the endpoint and its Request Body.
const qExampleBody = `POST /auth/login (apiKey) [...] Request Body { "apiKey": "string", "apiSecret": "string" }`

var reqExampleBody = doc.Must("example.login-body", cite.Wire, qExampleBody)

// exampleSpecs send doc 001's request example as written: POST /auth/login with its Request
// Body, laid out as the document lays it out (one member a line, no indentation), the
// config's key and secret in place of "string", Content-Type application/json.
func exampleSpecs(b *cite.Book, e *env.Env) {
	b.It(reqExampleBody, "sends doc 001's example request body as written, one member a line", func(ctx ginkgo.SpecContext) {
		a := e.Account(0)
		key, _ := json.Marshal(a.APIKey)
		secret, _ := json.Marshal(a.APISecret)
		r := client.Request{Method: http.MethodPost, Path: "/auth/login", Header: http.Header{"Content-Type": {"application/json"}},
			Body: "{\n\"apiKey\": " + string(key) + ",\n\"apiSecret\": " + string(secret) + "\n}"}
		resp := e.Do(ctx, r)
		_, why := e.Wire.LoginToken(resp.Body)
		env.Expect(why == "", "a successful login with a token, the document's answer to its own example", why+": "+env.DescribeBody(resp))
	})
}
