package apikey

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/onsi/ginkgo/v2"

	"github.com/conformhq/conform/client"
	"github.com/conformhq/conform/fixtures"
	"github.com/conformhq/conform/specs/env"
)

// schemaPart is one slice of the answer's schema, reported by its own requirement.
type schemaPart int

const (
	partRequired schemaPart = iota // a required top-level field missing
	partID                         // id not an integer
	partDates                      // createdAt, updatedAt not date-time
	partAccounts                   // primaryAccount, accounts[] not Account
	partOther                      // anything else (types of the other fields)
)

// partOf files a schema error under the part whose requirement it breaks.
func partOf(se *openapi3.SchemaError) schemaPart {
	p := se.JSONPointer()
	top := ""
	if len(p) > 0 {
		top = p[0]
	}
	switch {
	case top == "primaryAccount" || top == "accounts":
		return partAccounts
	case se.SchemaField == "required" && len(p) <= 1:
		return partRequired
	case top == "id":
		return partID
	case (top == "createdAt" || top == "updatedAt") && se.SchemaField == "format":
		return partDates
	}
	return partOther
}

// docSchemas are doc 001's three schemas as it lists them (fixtures/apikey/doc001-schemas.yaml).
func docSchemas() openapi3.Schemas {
	ginkgo.GinkgoHelper()
	doc, err := openapi3.NewLoader().LoadFromData(fixtures.APIKeyDocSchemas)
	if err != nil {
		ginkgo.Fail("fixtures/apikey/doc001-schemas.yaml does not load: " + err.Error())
	}
	return doc.Components.Schemas
}

// responseSchema is doc 001's ApiKeyLoginResponse.
func responseSchema() *openapi3.Schema {
	ginkgo.GinkgoHelper()
	ref := docSchemas()["ApiKeyLoginResponse"]
	if ref == nil || ref.Value == nil {
		ginkgo.Fail("fixtures/apikey/doc001-schemas.yaml has no components.schemas.ApiKeyLoginResponse")
	}
	return ref.Value
}

// expectSchemaPart validates who's login answer against ApiKeyLoginResponse with kin-openapi and
// fails the spec with the errors that fall under part.
func expectSchemaPart(who string, resp *client.Response, part schemaPart) {
	ginkgo.GinkgoHelper()
	env.ExpectJSON(resp)
	// Decoding builds every value: bound them first (a hostile answer holds millions).
	_, err := env.Scalars(resp)
	env.Expect(err == nil, "an answer conform can validate", fmt.Sprint(err))
	var v any
	if err := json.Unmarshal(resp.Body, &v); err != nil {
		ginkgo.Fail("the answer does not decode: " + env.Clip(err.Error(), 500))
	}
	err = responseSchema().VisitJSON(v, openapi3.MultiErrors(), openapi3.EnableFormatValidation(),
		openapi3.WithStringFormatValidator("date-time", openapi3.NewCallbackValidator(rfc3339DateTime)))
	var found []string
	for _, e := range flatten(err) {
		var se *openapi3.SchemaError
		if !errors.As(e, &se) {
			if part == partOther {
				found = append(found, e.Error())
			}
			continue
		}
		if partOf(se) == part {
			found = append(found, fmt.Sprintf("/%s: %s", strings.Join(se.JSONPointer(), "/"), se.Reason))
		}
	}
	env.ExpectNone(found, "the answer for "+who+" to validate against doc 001's ApiKeyLoginResponse")
}

// rfc3339DateTime checks OpenAPI's date-time format, RFC 3339's date-time. kin-openapi's own
// pattern takes "T" and "Z" in upper case only, but RFC 3339 (section 5.6, note) allows both in
// lower case: "2025-02-03t04:05:06.789z" conforms to doc 001's `format: date-time`. A leap
// second (":60") is RFC 3339 too; time.Parse refuses it, so it is checked as :59.
func rfc3339DateTime(s string) error {
	u := strings.ToUpper(s)
	if len(u) >= 19 && u[16:19] == ":60" {
		u = u[:17] + "59" + u[19:]
	}
	if _, err := time.Parse(time.RFC3339Nano, u); err != nil || !strings.Contains(u, "T") {
		return fmt.Errorf("not an RFC 3339 date-time")
	}
	return nil
}

// flatten lists the errors of a kin-openapi MultiError, nested ones included.
func flatten(err error) []error {
	if err == nil {
		return nil
	}
	var me openapi3.MultiError
	if !errors.As(err, &me) {
		return []error{err}
	}
	var out []error
	for _, e := range me {
		out = append(out, flatten(e)...)
	}
	return out
}
