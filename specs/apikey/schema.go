package apikey

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"

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
	err = responseSchema().VisitJSON(v, openapi3.MultiErrors(), openapi3.EnableFormatValidation())
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
