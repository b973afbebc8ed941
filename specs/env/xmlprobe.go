package env

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"slices"
	"strings"

	"github.com/conformhq/conform/client"
	"github.com/conformhq/conform/config"
)

// XMLProbeAccepted applies the probe's rule to an XML answer: its status rule as is, and each
// valid_json or invalid_json path as a path of element names below the root element.
func XMLProbeAccepted(p *config.Probe, resp *client.Response) bool {
	status := *p
	status.ValidJSON, status.InvalidJSON = nil, nil
	if status.Rule().Refusal(resp.Status, nil) != "" {
		return false
	}
	fields, err := XMLFields(resp.Body)
	if err != nil {
		return false // not XML: no answer to the query
	}
	for path, want := range p.ValidJSON {
		if v, ok := fields[path]; !ok || v != want {
			return false
		}
	}
	for path, want := range p.InvalidJSON {
		if v, ok := fields[path]; ok && v == want {
			return false
		}
	}
	return true
}

// XMLFields maps each path of element names below the root ("status", "user.name") to its
// text, and each attribute to the path of its element and its name: doc 002 says only
// "Change output format by switching file suffix", so <response status="error"/> carries
// the envelope as well as <response><status>error</status></response> (xmlValues reads
// attributes for the data checks alike). An element's text wins over a same-named attribute.
func XMLFields(body []byte) (map[string]string, error) {
	out, attrs := map[string]string{}, map[string]string{}
	d := xml.NewDecoder(bytes.NewReader(body))
	var stack []string
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			for path, v := range attrs {
				if _, ok := out[path]; !ok {
					out[path] = v
				}
			}
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			stack = append(stack, t.Name.Local)
			for _, a := range t.Attr {
				path := strings.Join(append(slices.Clone(stack[1:]), a.Name.Local), ".")
				attrs[path] = a.Value
			}
		case xml.EndElement:
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
		case xml.CharData:
			if len(stack) > 1 {
				path := strings.Join(stack[1:], ".")
				out[path] += strings.TrimSpace(string(t))
			}
		}
	}
}
