package env

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/tidwall/gjson"

	"github.com/conformhq/conform/client"
)

// FuzzDescribe feeds arbitrary answers to what failure messages say of them: the body, a
// field, and each kind check. None may panic, and each rendering is one bounded line with no
// control character of the target's.
func FuzzDescribe(f *testing.F) {
	for _, s := range []string{
		`{"token":"abc","uid":7,"list":[1,2],"none":null,"ok":true}`,
		`{"token":"a\r\n::error::b\u001b[2K"}`, "raw\r\n\x1b[31m\xff", ``, `[]`, `{"token":[]}`,
		strings.Repeat(`[`, 80) + strings.Repeat(`]`, 80), `{"token":"` + strings.Repeat("é", 300) + `"}`,
	} {
		f.Add([]byte(s), "token")
	}
	f.Add([]byte(`{"a":{"b":[{"c":1}]}}`), "a.b.0.c")
	f.Fuzz(func(t *testing.T, body []byte, path string) {
		if path != client.Printable(path) || len(path) > 100 {
			return // paths are conform's own (short, printable), never the target's
		}
		resp := &client.Response{Status: 200, Body: body}
		for _, s := range []string{describeBody(resp), DescribeField(resp, path), describe(resp.Get(path))} {
			if len(s) > 1200 {
				t.Fatalf("%d bytes: %.100q...", len(s), s)
			}
			if !utf8.ValidString(s) || s != client.Printable(s) {
				t.Fatalf("not one printable line: %q", s)
			}
		}
		for k := String; k <= NonEmptyArray; k++ {
			_ = k.holds(resp.Get(path))
		}
		vals, err := Scalars(resp)
		if err == nil && len(vals) > MaxScalars {
			t.Fatalf("%d values", len(vals))
		}
		if err == nil && !gjson.ValidBytes(body) {
			t.Fatalf("values of a body gjson finds invalid")
		}
	})
}
