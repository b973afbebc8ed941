package client

import (
	"bufio"
	"bytes"
	"io"
	"net/http"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/conformhq/conform/redact"

	"github.com/tidwall/gjson"
)

// FuzzResponse feeds arbitrary answers (status, raw header block, body) through what conform
// does with an answer: the bounded body read, the JSON view and path lookups, the transcript's
// masking and clipping, its terminal rendering and curl line. None may panic, and what reaches
// a terminal must hold no control character of the target's.
func FuzzResponse(f *testing.F) {
	f.Add(200, "Content-Type: application/json\r\n", []byte(`{"token":"abc","uid":"u-1"}`))
	f.Add(401, "", []byte(`{"success":false,"message":"wrong password"}`))
	f.Add(429, "Retry-After: 0\r\n", []byte{})
	f.Add(200, "X-Evil: a\x1b[31mred\r\n", []byte("line\r\n::error::forged\x1b[2K\x00\xff"))
	f.Add(200, "", []byte(strings.Repeat("[", 100)+strings.Repeat("]", 100)))
	f.Add(200, "", []byte(`{"a":"\u202e\u0000","b":[1,2,{"c":null}]}`))
	f.Add(599, "Set-Cookie: "+strings.Repeat("c", 90)+"\r\n", []byte(strings.Repeat("x", 200)))
	tg, err := New(Options{URL: "http://127.0.0.1:1", Redactor: redact.New("hunter2")})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, status int, header string, body []byte) {
		h := http.Header{}
		if mh, err := readHeader(header); err == nil {
			h = mh
		}
		resp := &http.Response{StatusCode: status, Header: h, Body: io.NopCloser(bytes.NewReader(body))}
		data, truncated, err := readBody(resp)
		if err != nil || truncated || !bytes.Equal(data, body[:min(len(body), maxBody)]) {
			t.Fatalf("readBody: %d bytes, truncated %v, %v", len(data), truncated, err)
		}
		r := &Response{Status: status, Header: h, Body: data}
		j := r.JSON()
		if j.Exists() != (r.NotJSON() == "") {
			t.Fatalf("JSON().Exists() %v but NotJSON() %q", j.Exists(), r.NotJSON())
		}
		if j.Exists() && !gjson.ValidBytes(data) {
			t.Fatalf("JSON() of a body gjson finds invalid")
		}
		_ = r.Get("token").String()
		_ = r.Get("response.result").Type

		ex := &Exchange{Method: "POST", URL: "http://127.0.0.1:1/login?pass=hunter2", ReqHeader: http.Header{"Token": {string(body)}},
			ReqBody: `{"password":"hunter2"}`, Status: status, RespHeader: h, RespBody: string(data), RespBodyBytes: int64(len(data))}
		tg.record(ex)
		kept := tg.Transcript().Exchanges()
		tg.Transcript().Reset()
		if len(kept) != 1 {
			t.Fatalf("%d exchanges kept", len(kept))
		}
		e := kept[0]
		if len(e.RespBody) > keptBody || len(e.ReqBody) > keptBody || len(e.URL) > keptValue+100 {
			t.Fatalf("kept %d, %d and %d bytes", len(e.RespBody), len(e.ReqBody), len(e.URL))
		}
		if e.RespBodyClipped != len(data)-len(e.RespBody) && !strings.Contains(string(data), "hunter2") {
			t.Fatalf("clipped %d of %d, kept %d", e.RespBodyClipped, len(data), len(e.RespBody))
		}
		text := e.String()
		for _, line := range strings.Split(strings.TrimSuffix(text, "\n"), "\n") {
			if !strings.HasPrefix(line, "> ") && !strings.HasPrefix(line, "< ") && line != ">" && line != "<" {
				t.Fatalf("a line of the rendering has no direction: %q", line)
			}
		}
		checkPrintable(t, strings.ReplaceAll(text, "\n", ""))
		checkPrintable(t, Printable(e.Curl()))
		if strings.Contains(text, "hunter2") {
			t.Fatalf("secret in the rendering")
		}
	})
}

// readHeader parses a raw header block as net/http would, for the fuzzer's headers.
func readHeader(block string) (http.Header, error) {
	resp, err := http.ReadResponse(bufio.NewReader(strings.NewReader("HTTP/1.1 200 OK\r\n"+block+"\r\n")), nil)
	if err != nil {
		return nil, err
	}
	return resp.Header, nil
}

// checkPrintable fails when s holds what Printable must escape.
func checkPrintable(t *testing.T, s string) {
	t.Helper()
	if !utf8.ValidString(s) {
		t.Fatalf("not UTF-8: %q", s)
	}
	for _, r := range s {
		if unprintable(r, false) {
			t.Fatalf("control character %U in %q", r, s)
		}
	}
}

// FuzzPrintable checks the escaping itself: its output is printable, and text that needed no
// escaping comes back unchanged.
func FuzzPrintable(f *testing.F) {
	for _, s := range []string{"plain", "a\r\nb", "\x1b[31m", "\u202eevil", "\xff\xfe", "tab\there", "\u0085", `back\slash`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p := Printable(s)
		checkPrintable(t, p)
		text := PrintableText(s)
		checkPrintable(t, strings.ReplaceAll(text, "\n", ""))
		if strings.Count(text, "\n") != strings.Count(s, "\n") {
			t.Fatalf("PrintableText changed the line breaks of %q: %q", s, text)
		}
		if p == s != (escape(s, false) == s) {
			t.Fatal("inconsistent")
		}
	})
}

// FuzzJSONDepth checks the one-pass depth count against encoding/json's reading of the same
// document, and that ValidJSON agrees with gjson on documents within the bound.
func FuzzJSONDepth(f *testing.F) {
	for _, s := range []string{`{}`, `[[["a]"]]]`, `{"a":"\"[["}`, `[` + strings.Repeat(`[`, 70) + strings.Repeat(`]`, 71), `"\\"`, `{"a":[{"b":[1]}]}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		d := jsonDepth(body, 1<<30)
		if gjson.ValidBytes(body) && d != naiveDepth(gjson.ParseBytes(body)) {
			t.Fatalf("depth %d, want %d", d, naiveDepth(gjson.ParseBytes(body)))
		}
		if d <= MaxJSONDepth && ValidJSON(body) != gjson.ValidBytes(body) {
			t.Fatalf("ValidJSON %v, gjson %v", ValidJSON(body), gjson.ValidBytes(body))
		}
		if d > MaxJSONDepth && ValidJSON(body) {
			t.Fatalf("ValidJSON of a document %d deep", d)
		}
	})
}

// naiveDepth is the nesting depth of v by recursion, for documents the fuzzer makes (small).
func naiveDepth(v gjson.Result) int {
	if !v.IsObject() && !v.IsArray() {
		return 0
	}
	deepest := 0
	v.ForEach(func(_, c gjson.Result) bool {
		deepest = max(deepest, naiveDepth(c))
		return true
	})
	return deepest + 1
}
