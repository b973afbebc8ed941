package apikey

import (
	"fmt"
	"net/http"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/onsi/ginkgo/v2"

	"github.com/conformhq/conform/client"
	"github.com/conformhq/conform/specs/cite"
	"github.com/conformhq/conform/specs/env"
)

func swaggerSpecs(b *cite.Book, e *env.Env) {
	ginkgo.Describe("GET /apikeys/swagger.yaml", func() {
		b.It(reqSwagger, "fetches /apikeys/swagger.yaml and loads it as OpenAPI", func(ctx ginkgo.SpecContext) {
			resp := e.Do(ctx, client.Request{Method: http.MethodGet, Path: "/apikeys/swagger.yaml"})
			env.Expect(resp.Status >= 200 && resp.Status < 300, "a 2xx answer", fmt.Sprintf("HTTP %d", resp.Status))
			// Loading builds every node of the document: bound it first (doc 001's is 4 KiB).
			env.Expect(len(resp.Body) <= maxSwagger && !resp.Truncated, fmt.Sprintf("an OpenAPI document of at most %d bytes, as much as conform loads", maxSwagger), env.DescribeBody(resp))
			loader := openapi3.NewLoader()
			doc, err := loader.LoadFromData(resp.Body)
			env.Expect(err == nil, "an OpenAPI document", fmt.Sprintf("%s in %s", env.Clip(fmt.Sprint(err), 300), env.DescribeBody(resp)))
			err = doc.Validate(loader.Context)
			env.Expect(err == nil, "a valid OpenAPI document", fmt.Sprint(err))
			// The page names the schemas it was generated from.
			for _, name := range []string{"ApiKeyLogin", "ApiKeyLoginResponse", "Account"} {
				env.Expect(doc.Components != nil && doc.Components.Schemas[name] != nil, "components.schemas."+name+" (doc 001's #/components/schemas/"+name+")", "absent")
			}
		})
	})
}

// maxSwagger bounds the swagger document conform loads.
const maxSwagger = 1 << 20
