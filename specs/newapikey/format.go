package newapikey

import (
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"

	"github.com/onsi/ginkgo/v2"
	"github.com/tidwall/gjson"

	"github.com/conformhq/conform/client"
	"github.com/conformhq/conform/specs/cite"
	"github.com/conformhq/conform/specs/env"
)

func formatSpecs(b *cite.Book, e *env.Env) {
	ginkgo.Describe("output format by file suffix", func() {
		b.It(reqXMLWellFormed, "sends /view/user/api.xml with user and key", func(ctx ginkgo.SpecContext) {
			a := e.PlainAccount(0)
			resp := viewAs(ctx, e, a.Login, logIn(ctx, e, a), ".xml")
			_, err := xmlValues(resp.Body)
			env.Expect(err == nil, "a well-formed XML document", fmt.Sprintf("%v in HTTP %d %.200s", err, resp.Status, resp.Body))
		})

		b.It(reqXMLSameAsJSON, "sends /view/user/api.json and /view/user/api.xml with the same user and key", func(ctx ginkgo.SpecContext) {
			a := e.PlainAccount(0)
			k := logIn(ctx, e, a)
			j := viewAs(ctx, e, a.Login, k, ".json")
			x := viewAs(ctx, e, a.Login, k, ".xml")
			env.ExpectJSON(j)
			xv, err := xmlValues(x.Body)
			if err != nil {
				ginkgo.Skip("the .xml answer is not well-formed XML (see newapikey.format.xml-well-formed)")
			}
			jv := jsonValues(j.JSON())
			env.Expect(j.Status == x.Status, fmt.Sprintf("the same HTTP status for .xml as for .json (%d)", j.Status), fmt.Sprint(x.Status))
			// Every value of the .json answer must be in the .xml one. Not the reverse: XML
			// serializers add metadata of their own (type="integer", nil="true"), which the
			// document does not rule out.
			var onlyJSON []string
			for v := range jv {
				if !xv[v] {
					onlyJSON = append(onlyJSON, v)
				}
			}
			slices.Sort(onlyJSON)
			env.Expect(len(onlyJSON) == 0, "every value of the .json answer in the .xml answer",
				fmt.Sprintf("only in .json: %q", onlyJSON))
		})
	})
}

// viewAs sends the probe query with its .json suffix switched to suffix.
func viewAs(ctx context.Context, e *env.Env, user, k, suffix string) *client.Response {
	ginkgo.GinkgoHelper()
	p := e.Config.Probe
	path, query, _ := strings.Cut(p.Path, "?")
	base, ok := strings.CutSuffix(path, ".json")
	if !ok {
		ginkgo.Skip(fmt.Sprintf("newapikey.probe.path %q does not end in .json, so there is no suffix to switch", p.Path))
	}
	if query != "" {
		query = "?" + query
	}
	r := client.Request{Method: http.MethodGet, Path: base + suffix + query}
	withKey(e, user, k)(&r)
	return e.Do(ctx, r)
}

// jsonValues collects the scalar values of a JSON document as text (null left out).
func jsonValues(v gjson.Result) map[string]bool {
	out := map[string]bool{}
	var walk func(gjson.Result)
	walk = func(v gjson.Result) {
		switch {
		case v.IsObject() || v.IsArray():
			v.ForEach(func(_, c gjson.Result) bool { walk(c); return true })
		case v.Type == gjson.Null:
		case v.Type == gjson.String:
			out[strings.TrimSpace(v.Str)] = true
		default:
			out[v.Raw] = true
		}
	}
	walk(v)
	return out
}

// xmlValues checks that body is one well-formed XML document and collects its non-blank text
// and attribute values.
func xmlValues(body []byte) (map[string]bool, error) {
	out := map[string]bool{}
	d := xml.NewDecoder(strings.NewReader(string(body)))
	depth, roots := 0, 0
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if depth == 0 {
				roots++
			}
			depth++
			for _, a := range t.Attr {
				if a.Name.Space != "xmlns" && a.Name.Local != "xmlns" {
					out[strings.TrimSpace(a.Value)] = true
				}
			}
		case xml.EndElement:
			depth--
		case xml.CharData:
			if s := strings.TrimSpace(string(t)); s != "" {
				if depth == 0 {
					return nil, fmt.Errorf("text %q outside the root element", s)
				}
				out[s] = true
			}
		}
	}
	switch {
	case roots == 0:
		return nil, errors.New("no root element")
	case roots > 1:
		return nil, fmt.Errorf("%d root elements", roots)
	case depth != 0:
		return nil, errors.New("unclosed elements at the end")
	}
	return out, nil
}
