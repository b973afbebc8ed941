package client

import (
	"context"
	"encoding/base64"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/conformhq/conform/redact"
)

// TestExchangesMaskEveryForm sends a secret full of special characters as a JSON body, a form,
// a query and a Basic credential to a server that echoes it back in several forms, and finds
// it in none of the recorded exchanges or curl lines, while the spec still reads the answer as
// it came.
func TestExchangesMaskEveryForm(t *testing.T) {
	const secret = `p&ss<w>"o'r\d%+ é`
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		w.Header().Set("X-Echo", r.URL.RawQuery)
		w.Write([]byte(`{"form":"` + r.Form.Get("pass") + `","query":"` + r.URL.RawQuery + `"}`))
	}))
	defer srv.Close()
	tg, _ := New(Options{URL: srv.URL, Redactor: redact.New(secret)})
	ctx := context.Background()
	basic := "Basic " + base64.StdEncoding.EncodeToString([]byte(secret+":"))
	reqs := []Request{
		{Method: "POST", Path: "/json", JSON: map[string]string{"password": secret}},
		{Method: "POST", Path: "/form", Form: url.Values{"pass": {secret}}},
		{Path: "/query", Query: url.Values{"pass": {secret}}, Header: http.Header{"Authorization": {basic}}},
	}
	var resp *Response
	for _, r := range reqs {
		var err error
		if resp, err = tg.Do(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	if got, want := resp.Header.Get("X-Echo"), (url.Values{"pass": {secret}}).Encode(); got != want {
		t.Errorf("the spec reads a masked header: %q", got)
	}
	ex := tg.Transcript().Exchanges()
	if len(ex) != 3 {
		t.Fatalf("%d exchanges", len(ex))
	}
	for _, e := range ex {
		for _, text := range []string{e.String(), e.Curl()} {
			for _, form := range []string{secret, url.QueryEscape(secret), `p\u0026ss`, "cCZzczx3", "p&ss"} {
				if strings.Contains(text, form) {
					t.Errorf("%q in:\n%s", form, text)
				}
			}
		}
	}
}

func TestTransportErrorMasksTheURL(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			c.Close() // no answer
		}
	}()
	defer ln.Close()
	tg, _ := New(Options{URL: "http://" + ln.Addr().String(), Redactor: redact.New("hunter2-password")})
	_, err = tg.Do(context.Background(), Request{Path: "/login", Query: url.Values{"pass": {"hunter2-password"}}})
	var te *TransportError
	if !errors.As(err, &te) {
		t.Fatalf("got %v, want a TransportError", err)
	}
	if strings.Contains(err.Error(), "hunter2") || !strings.Contains(err.Error(), "pass=****") {
		t.Errorf("error %q", err)
	}
	if ex := tg.Transcript().Exchanges(); strings.Contains(ex[0].String(), "hunter2") {
		t.Errorf("exchange %s", ex[0])
	}
}
