package apikey

import (
	"context"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/onsi/ginkgo/v2"

	"github.com/conformhq/conform/client"
	"github.com/conformhq/conform/specs/cite"
	"github.com/conformhq/conform/specs/env"
)

// schemaNames are the schemas doc 001 lists under References.
func schemaNames() []string { return []string{"ApiKeyLogin", "ApiKeyLoginResponse", "Account"} }

func swaggerSpecs(b *cite.Book, e *env.Env) {
	ginkgo.Describe("GET /apikeys/swagger.yaml", func() {
		b.It(reqSwagger, "fetches /apikeys/swagger.yaml and loads it as OpenAPI", func(ctx ginkgo.SpecContext) {
			doc, why := servedSwagger(ctx, e)
			env.Expect(why == "", "a valid OpenAPI document at /apikeys/swagger.yaml", why)
			// The page names the schemas it was generated from.
			for _, name := range schemaNames() {
				env.Expect(doc.Components != nil && doc.Components.Schemas[name] != nil, "components.schemas."+name+" (doc 001's #/components/schemas/"+name+")", "absent")
			}
		})

		// "the swagger.yaml spec this documentation was generated from": the served document
		// declares doc 001's three schemas as the page lists them: each one's type, format,
		// required list, item types, and each listed property the same way, through a $ref
		// or inline alike. It may hold more than the page shows (other paths and schemas,
		// descriptions, examples, properties the page leaves out), which a page generated
		// from it need not show; it may not declare another type, format or required list.
		b.It(reqSwaggerSame, "fetches /apikeys/swagger.yaml and compares its schemas with doc 001's", func(ctx ginkgo.SpecContext) {
			doc, why := servedSwagger(ctx, e)
			if why != "" || doc.Components == nil {
				ginkgo.Skip("no valid OpenAPI document with components to compare (see apikey.swagger.served)")
			}
			want := docSchemas()
			var diffs []string
			for _, name := range schemaNames() {
				got := doc.Components.Schemas[name]
				if got == nil || got.Value == nil {
					diffs = append(diffs, name+": absent")
					continue
				}
				diffs = append(diffs, schemaDiffs(name, want[name].Value, got.Value, map[[2]*openapi3.Schema]bool{})...)
			}
			env.Expect(len(diffs) == 0, "the served schemas to declare what doc 001's do", strings.Join(diffs, "\n          "))
		})
	})
}

// maxSwagger bounds the swagger document conform loads.
const maxSwagger = 1 << 20

// servedSwagger fetches /apikeys/swagger.yaml and loads it as OpenAPI, or says why it could
// not: not a 2xx answer, not OpenAPI, not valid OpenAPI.
func servedSwagger(ctx context.Context, e *env.Env) (*openapi3.T, string) {
	ginkgo.GinkgoHelper()
	resp := e.Do(ctx, client.Request{Method: http.MethodGet, Path: "/apikeys/swagger.yaml"})
	if resp.Status < 200 || resp.Status > 299 {
		return nil, fmt.Sprintf("HTTP %d", resp.Status)
	}
	// Loading builds every node of the document: bound it first (doc 001's is 4 KiB).
	if len(resp.Body) > maxSwagger || resp.Truncated {
		return nil, fmt.Sprintf("more than the %d bytes conform loads: %s", maxSwagger, env.DescribeBody(resp))
	}
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(resp.Body)
	if err != nil {
		return nil, fmt.Sprintf("not OpenAPI: %s in %s", env.Clip(fmt.Sprint(err), 300), env.DescribeBody(resp))
	}
	if err := doc.Validate(loader.Context); err != nil {
		return nil, "not valid OpenAPI: " + env.Clip(err.Error(), 500)
	}
	return doc, ""
}

// schemaDiffs lists how got differs from doc 001's want at path: its type, format, required
// list, items, and each of want's properties. References are resolved on load, so a $ref and
// the schema it names compare the same; seen stops at a schema pair already compared.
func schemaDiffs(path string, want, got *openapi3.Schema, seen map[[2]*openapi3.Schema]bool) []string {
	if got == nil {
		return []string{path + ": absent"}
	}
	if seen[[2]*openapi3.Schema{want, got}] {
		return nil
	}
	seen[[2]*openapi3.Schema{want, got}] = true
	var out []string
	if w, g := sortedTypes(want), sortedTypes(got); !slices.Equal(w, g) {
		out = append(out, fmt.Sprintf("%s: type %v, doc 001 has %v", path, g, w))
	}
	if want.Format != got.Format {
		out = append(out, fmt.Sprintf("%s: format %q, doc 001 has %q", path, got.Format, want.Format))
	}
	w, g := slices.Sorted(slices.Values(want.Required)), slices.Sorted(slices.Values(got.Required))
	if !slices.Equal(w, g) {
		out = append(out, fmt.Sprintf("%s: required %v, doc 001 has %v", path, g, w))
	}
	if want.Items != nil {
		var gi *openapi3.Schema
		if got.Items != nil {
			gi = got.Items.Value
		}
		out = append(out, schemaDiffs(path+"[]", want.Items.Value, gi, seen)...)
	}
	for _, name := range slices.Sorted(maps.Keys(want.Properties)) {
		var gp *openapi3.Schema
		if ref := got.Properties[name]; ref != nil {
			gp = ref.Value
		}
		out = append(out, schemaDiffs(path+"."+name, want.Properties[name].Value, gp, seen)...)
	}
	return out
}

func sortedTypes(s *openapi3.Schema) []string {
	return slices.Sorted(slices.Values(s.Type.Slice()))
}
