package apikey

import (
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/conformhq/conform/fixtures"
)

func load(t *testing.T, data string) openapi3.Schemas {
	t.Helper()
	doc, err := openapi3.NewLoader().LoadFromData([]byte(data))
	if err != nil {
		t.Fatal(err)
	}
	return doc.Components.Schemas
}

func diffs(want, got openapi3.Schemas) []string {
	var out []string
	for _, name := range schemaNames() {
		out = append(out, schemaDiffs(name, want[name].Value, got[name].Value, map[[2]*openapi3.Schema]bool{})...)
	}
	return out
}

// The reference's swagger.yaml declares what doc 001 lists, with more (a path, descriptions);
// a changed type, format, required list or item type is a difference, and an inlined $ref is
// not.
func TestSchemaDiffs(t *testing.T) {
	doc := load(t, string(fixtures.APIKeyDocSchemas))
	served := string(fixtures.APIKeySwagger)
	if d := diffs(doc, load(t, served)); len(d) != 0 {
		t.Fatalf("the reference's swagger.yaml differs from doc 001: %v", d)
	}
	for name, c := range map[string]struct{ old, new, want string }{
		"type":     {"        id:\n          type: integer\n", "        id:\n          type: string\n", "ApiKeyLoginResponse.id: type [string], doc 001 has [integer]"},
		"format":   {"          type: string\n          format: date-time\n        updatedAt:", "          type: string\n        updatedAt:", `ApiKeyLoginResponse.createdAt: format "", doc 001 has "date-time"`},
		"required": {"        - email\n        - token\n", "        - email\n        - token\n        - createdBy\n", "ApiKeyLoginResponse: required [createdBy email id token], doc 001 has [email id token]"},
		"items":    {"            type: string\n          description: List of role", "            type: integer\n          description: List of role", "ApiKeyLoginResponse.flatRolesList[]: type [integer], doc 001 has [string]"},
		"inlined":  {"        primaryAccount:\n          $ref: \"#/components/schemas/Account\"\n", "        primaryAccount:\n          type: object\n          required: [accountName, accountId, id, name]\n          properties:\n            accountName: {type: string}\n            accountId: {type: string}\n            usersPrimaryAccount: {type: boolean}\n            accountAdmin: {type: boolean}\n            id: {type: string}\n            uniqueId: {type: string}\n            name: {type: string}\n            repcode: {type: string}\n            customerServicePhone: {type: string}\n            customerServiceEmail: {type: string}\n            whitelabelSettings: {type: object}\n            permissions: {type: array, items: {type: string}}\n            roles: {type: array, items: {type: string}}\n", ""},
	} {
		if !strings.Contains(served, c.old) {
			t.Fatalf("%s: swagger.yaml has no %q", name, c.old)
		}
		d := diffs(doc, load(t, strings.Replace(served, c.old, c.new, 1)))
		if c.want == "" && len(d) != 0 || c.want != "" && (len(d) != 1 || d[0] != c.want) {
			t.Errorf("%s: diffs %q, want %q", name, d, c.want)
		}
	}
}
