package newapikey

import (
	"bytes"
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
			env.Expect(err == nil, "a well-formed XML document", fmt.Sprintf("%s in %s", env.Clip(fmt.Sprint(err), 200), env.DescribeBody(resp)))
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
			jv, err := jsonValues(j)
			env.Expect(err == nil, "a .json answer conform can walk", fmt.Sprint(err))
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
				env.Clip(fmt.Sprintf("only in .json: %q", onlyJSON), 2000))
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

// jsonValues collects the scalar values of a JSON answer as text (null left out), in one
// bounded pass (env.Scalars).
func jsonValues(resp *client.Response) (map[string]bool, error) {
	vals, err := env.Scalars(resp)
	if err != nil {
		return nil, err
	}
	out := map[string]bool{}
	for _, v := range vals {
		switch v.Kind {
		case gjson.Null:
		case gjson.String:
			out[strings.TrimSpace(v.Text)] = true
		default:
			out[v.Text] = true
		}
	}
	return out, nil
}

// maxXMLDepth bounds how deeply nested an XML answer conform reads, as client.MaxJSONDepth
// does for JSON: the decoder keeps a frame per open element.
const maxXMLDepth = client.MaxJSONDepth

// xmlValues checks that body is one well-formed XML document and collects its non-blank text
// and attribute values. It reads token by token, without recursion, and gives up (an error)
// on a document nested deeper than maxXMLDepth or holding more than env.MaxScalars values.
func xmlValues(body []byte) (map[string]bool, error) {
	out := map[string]bool{}
	d := xml.NewDecoder(bytes.NewReader(body))
	depth, roots := 0, 0
	add := func(s string) error {
		if len(out) == env.MaxScalars && !out[s] {
			return fmt.Errorf("more than %d values in the answer, more than conform walks", env.MaxScalars)
		}
		out[s] = true
		return nil
	}
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
			if depth++; depth > maxXMLDepth {
				return nil, fmt.Errorf("XML nested more than %d levels deep, deeper than conform reads", maxXMLDepth)
			}
			for _, a := range t.Attr {
				if a.Name.Space != "xmlns" && a.Name.Local != "xmlns" {
					if err := add(strings.TrimSpace(a.Value)); err != nil {
						return nil, err
					}
				}
			}
		case xml.EndElement:
			depth--
		case xml.CharData:
			if s := strings.TrimSpace(string(t)); s != "" {
				if depth == 0 {
					return nil, fmt.Errorf("text %q outside the root element", env.Clip(s, 100))
				}
				if err := add(s); err != nil {
					return nil, err
				}
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
