package jwt

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"strings"

	"github.com/onsi/ginkgo/v2"

	"github.com/conformhq/conform/client"
	"github.com/conformhq/conform/config"
	"github.com/conformhq/conform/specs/env"
)

// login sends doc 004's login (the wire's) with the given email and password.
func login(ctx context.Context, e *env.Env, email, password string) *client.Response {
	ginkgo.GinkgoHelper()
	return e.Do(ctx, e.LoginRequest(config.Account{Login: email, Password: password}, 0))
}

// logIn logs a in and returns the token and the answer, failing the spec without a token.
func logIn(ctx context.Context, e *env.Env, a config.Account) (string, *client.Response) {
	ginkgo.GinkgoHelper()
	resp := login(ctx, e, a.Login, a.Password)
	tok := e.Token(resp)
	env.Expect(tok != "", "a successful login with a token (account "+a.Login+")", env.DescribeField(resp, "token"))
	return tok, resp
}

// The wire lists doc 004's two ways in the document's order: "as a header on future
// requests using the header x-access-token", then "as a query parameter".
const (
	header = iota
	query
)

// way is one of doc 004's two ways to pass a token, with the name spec texts give it (the wire
// gives the name in force at run time).
type way struct {
	at   int
	name string
}

// ways lists doc 004's two ways: a check that holds in one may not in the other, when a server
// verifies the header and takes the query parameter on trust.
var ways = []way{{header, "header x-access-token"}, {query, "query parameter token"}}

// in places the token the given way.
func (w way) in(e *env.Env, token string) func(*client.Request) {
	ginkgo.GinkgoHelper()
	return env.Placed(e.Placements()[w.at], config.Account{}, token)
}

// inHeader places the token in header x-access-token (doc 004's first way).
func inHeader(e *env.Env, token string) func(*client.Request) {
	ginkgo.GinkgoHelper()
	return env.Placed(e.Placements()[header], config.Account{}, token)
}

// inQuery places the token in query parameter token (doc 004's second way).
func inQuery(e *env.Env, token string) func(*client.Request) {
	ginkgo.GinkgoHelper()
	return env.Placed(e.Placements()[query], config.Account{}, token)
}

// parts splits a compact JWS and decodes header and payload; ok is false when token is not
// three base64url parts whose first two are JSON objects.
func parts(token string) (header, payload map[string]any, sig string, ok bool) {
	p := strings.Split(token, ".")
	if len(p) != 3 {
		return nil, nil, "", false
	}
	if json.Unmarshal(b64(p[0]), &header) != nil || json.Unmarshal(b64(p[1]), &payload) != nil {
		return nil, nil, "", false
	}
	return header, payload, p[2], header != nil && payload != nil
}

func b64(s string) []byte {
	b, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(s, "="))
	if err != nil {
		return nil
	}
	return b
}

func enc(v any) string {
	b, _ := json.Marshal(v)
	return base64.RawURLEncoding.EncodeToString(b)
}
