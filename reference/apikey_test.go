package reference

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/conformhq/conform/fixtures"
)

// swaggerDoc is fixtures/apikey/swagger.yaml, loaded and validated once.
var swaggerDoc = sync.OnceValues(func() (*openapi3.T, error) {
	doc, err := openapi3.NewLoader().LoadFromData(fixtures.APIKeySwagger)
	if err != nil {
		return nil, err
	}
	return doc, doc.Validate(context.Background())
})

// loginSchema is doc 001's ApiKeyLoginResponse.
func loginSchema(t testing.TB) *openapi3.Schema {
	t.Helper()
	doc, err := swaggerDoc()
	if err != nil {
		t.Fatalf("swagger.yaml: %v", err)
	}
	return doc.Components.Schemas["ApiKeyLoginResponse"].Value
}

// akLogin posts body to apikey's /auth/login (served at the root).
func (c *client) akLogin(body string) resp {
	c.t.Helper()
	return c.do("POST", "/auth/login", map[string]string{"Content-Type": "application/json"}, body)
}

const aliceKey = `{"apiKey":"alice-api-key","apiSecret":"alice-api-secret"}`

func TestAPIKeySwaggerIsValidOpenAPI(t *testing.T) {
	doc, err := swaggerDoc()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(doc.OpenAPI, "3.0") {
		t.Errorf("openapi %q, want 3.0.x", doc.OpenAPI)
	}
	op := doc.Paths.Find("/auth/login").Post
	if op == nil || op.RequestBody.Value.Content["application/json"].Schema.Ref != "#/components/schemas/ApiKeyLogin" {
		t.Fatal("POST /auth/login does not take ApiKeyLogin")
	}
	if op.Responses.Status(200).Value.Content["application/json"].Schema.Ref != "#/components/schemas/ApiKeyLoginResponse" {
		t.Fatal("POST /auth/login 200 is not ApiKeyLoginResponse")
	}
	s := doc.Components.Schemas
	for name, want := range map[string]string{
		"ApiKeyLogin": "apiKey apiSecret", "Account": "accountName accountId id name", "ApiKeyLoginResponse": "id email token",
	} {
		if got := strings.Join(s[name].Value.Required, " "); got != want {
			t.Errorf("%s required %q, want %q", name, got, want)
		}
	}
	r := s["ApiKeyLoginResponse"].Value.Properties
	if !r["id"].Value.Type.Is("integer") || r["createdAt"].Value.Format != "date-time" || r["updatedAt"].Value.Format != "date-time" ||
		r["primaryAccount"].Ref != "#/components/schemas/Account" || r["accounts"].Value.Items.Ref != "#/components/schemas/Account" {
		t.Errorf("ApiKeyLoginResponse properties differ from doc 001")
	}
	if len(s["Account"].Value.Properties) != 13 || len(r) != 11 {
		t.Errorf("Account has %d properties (want 13), ApiKeyLoginResponse %d (want 11)", len(s["Account"].Value.Properties), len(r))
	}
}

func TestAPIKeyServesSwagger(t *testing.T) {
	c := newClient(t, newTestServer(t, apikeyOnly))
	r := c.do("GET", "/apikeys/swagger.yaml", nil, "")
	if r.status != 200 || r.raw != string(fixtures.APIKeySwagger) || r.header.Get("Content-Type") != "application/yaml" {
		t.Fatalf("swagger.yaml: %d %v", r.status, r.header)
	}
	cc := newClient(t, newTestServer(t, nil))
	if r := cc.do("GET", "/apikey/apikeys/swagger.yaml", nil, ""); r.status != 200 {
		t.Errorf("prefixed swagger.yaml: %d", r.status)
	}
}

func TestAPIKeyLoginMatchesSchema(t *testing.T) {
	c := newClient(t, newTestServer(t, apikeyOnly))
	r := c.akLogin(aliceKey)
	if r.status != 200 {
		t.Fatalf("login: %d %s", r.status, r.raw)
	}
	if err := loginSchema(t).VisitJSON(r.body); err != nil {
		t.Fatalf("answer does not match ApiKeyLoginResponse: %v\n%s", err, r.raw)
	}
	if r.body["id"] != 1.0 || r.body["email"] != "alice@example.com" || len(r.body["token"].(string)) != 32 {
		t.Errorf("answer: %s", r.raw)
	}
	// Each break that mistypes or drops a field fails the schema.
	for _, brk := range []string{"apikey.id-string", "apikey.bad-date", "apikey.missing-email", "apikey.account-missing-name"} {
		bc := newClient(t, newTestServer(t, func(o *Options) { apikeyOnly(o); o.Breaks = []string{brk} }))
		r := bc.akLogin(aliceKey)
		if err := loginSchema(t).VisitJSON(r.body); err == nil {
			t.Errorf("%s: answer still matches the schema: %s", brk, r.raw)
		}
	}
}

func TestAPIKeyLoginFailures(t *testing.T) {
	c := newClient(t, newTestServer(t, apikeyOnly))
	for body, status := range map[string]int{
		`{"apiSecret":"alice-api-secret"}`:                        401,
		`{"apiKey":"alice-api-key"}`:                              401,
		`{"apiKey":"alice-api-key","apiSecret":"wrong"}`:          401,
		`{"apiKey":"bob-api-key","apiSecret":"alice-api-secret"}`: 401,
		`{"apiKey":"nobody","apiSecret":"alice-api-secret"}`:      401,
		`{"apiKey":"alice-api-key","apiSecret":""}`:               401,
		`{}`:                         401,
		`{"apiKey":`:                 400,
		`{"apiKey":1,"apiSecret":2}`: 400,
		`{"apiKey":"` + strings.Repeat("k", maxBodyBytes) + `"}`: 413,
	} {
		r := c.akLogin(body)
		msg, _ := r.body["message"].(string)
		if r.status != status || msg == "" || r.body["token"] != nil || len(r.body) != 1 {
			t.Errorf("%.60s: %d %s", body, r.status, r.raw)
		}
	}
	if r := c.akLogin(`{"apiKey":"bob-api-key","apiSecret":"bob-api-secret"}`); r.status != 200 || r.body["id"] != 2.0 {
		t.Errorf("bob: %d %s", r.status, r.raw)
	}
}

func TestAPIKeyProbe(t *testing.T) {
	c := newClient(t, newTestServer(t, apikeyOnly))
	tok := c.akLogin(aliceKey).body["token"].(string)
	if r := c.do("GET", "/auth/me", map[string]string{"Authorization": "Bearer " + tok}, ""); r.status != 200 || r.raw != `{"id":1,"email":"alice@example.com"}` {
		t.Errorf("probe: %d %s", r.status, r.raw)
	}
	for _, h := range []map[string]string{nil, {"Authorization": "Bearer garbage"}, {"Authorization": tok}, {"token": tok}} {
		if r := c.do("GET", "/auth/me", h, ""); r.status != 401 || r.body["message"] == nil {
			t.Errorf("probe with %v: %d %s", h, r.status, r.raw)
		}
	}
	c.advance(61 * time.Minute)
	if r := c.do("GET", "/auth/me", map[string]string{"Authorization": "Bearer " + tok}, ""); r.status != 401 {
		t.Errorf("token valid after its idle TTL: %d", r.status)
	}
}
