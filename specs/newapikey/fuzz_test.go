package newapikey

import (
	"bytes"
	"strings"
	"testing"

	"github.com/tidwall/gjson"

	"github.com/conformhq/conform/client"
	"github.com/conformhq/conform/specs/env"
)

// FuzzJSONValues checks the bounded walk over a .json answer against the plain recursive walk
// it replaced, on every document small enough for that one: the same values, or an error
// from the bound.
func FuzzJSONValues(f *testing.F) {
	for _, s := range []string{
		`{"status":"success","user":{"username":"alice","id":7,"admin":false,"note":null}}`,
		`[1,"1",1.0,true,"true",null,{"a":[{"b":" x "}]}]`,
		`{"":{"":""}}`, `"just a string"`, `{"k":"\u00e9\ud83d\ude00"}`,
		strings.Repeat("[", 70) + strings.Repeat("]", 70),
		`{"a":1}{"b":2}`, `not json`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		got, err := jsonValues(&client.Response{Status: 200, Body: body})
		if !client.ValidJSON(body) {
			if err == nil {
				t.Fatalf("values of a body that is not JSON for conform: %v", got)
			}
			return
		}
		if err != nil {
			if strings.Contains(err.Error(), "more than") {
				return
			}
			t.Fatalf("valid JSON refused: %v", err)
		}
		want := recursiveValues(gjson.ParseBytes(body))
		if len(got) != len(want) {
			t.Fatalf("got %d values %v, want %d %v", len(got), got, len(want), want)
		}
		for v := range want {
			if !got[v] {
				t.Fatalf("value %q missing from %v", v, got)
			}
		}
	})
}

// recursiveValues is the walk jsonValues had before it was bounded, kept as the fuzzer's
// oracle (fine on the small documents the fuzzer makes).
func recursiveValues(v gjson.Result) map[string]bool {
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

// FuzzXMLValues feeds arbitrary bodies to the .xml walk: it never panics, accepts only one
// root element, and stays within its bounds.
func FuzzXMLValues(f *testing.F) {
	for _, s := range []string{
		`<?xml version="1.0"?><response><status>success</status><user id="7"><username>alice</username></user></response>`,
		`<a xmlns="urn:x" xmlns:p="urn:p" p:k="v">t<!-- c --><![CDATA[d]]></a>`,
		`<a>1</a><b>2</b>`, `<a>&amp;&lt;&#x41;</a>`, `<a>&bogus;</a>`, `<!DOCTYPE a [<!ENTITY e "x">]><a>&e;</a>`,
		strings.Repeat("<a>", 70) + strings.Repeat("</a>", 70), ``,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		got, err := xmlValues(body)
		if err != nil {
			return
		}
		if len(got) > env.MaxScalars {
			t.Fatalf("%d values, over the bound", len(got))
		}
		if !bytes.Contains(body, []byte("<")) {
			t.Fatalf("a document without an element accepted: %q", body)
		}
	})
}
