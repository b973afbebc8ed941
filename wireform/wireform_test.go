package wireform

import (
	"net/url"
	"strings"
	"testing"

	"github.com/conformhq/conform/client"
)

func encoded(t *testing.T, r client.Request) client.Encoded {
	t.Helper()
	enc, err := r.Encode("http://t")
	if err != nil {
		t.Fatal(err)
	}
	return enc
}

func TestFormsOfAJSONLogin(t *testing.T) {
	login := client.Request{Method: "POST", Path: "/login", JSON: map[string]any{"login": "a@b", "password": "pw", "version": "1.0"}}
	for _, c := range []struct {
		id, header, body string
	}{
		{Charset, "application/json; charset=utf-8", `{"login":"a@b","password":"pw","version":"1.0"}`},
		{MediaTypeCase, "Application/JSON", `{"login":"a@b","password":"pw","version":"1.0"}`},
		{MemberOrder, "application/json", `{"version":"1.0","password":"pw","login":"a@b"}`},
		{Whitespace, "application/json", "{\n    \"login\": \"a@b\",\n    \"password\": \"pw\",\n    \"version\": \"1.0\"\n}"},
	} {
		enc := encoded(t, MustGet(c.id).Apply(login))
		if got := enc.Header.Get("Content-Type"); got != c.header {
			t.Errorf("%s: Content-Type %q, want %q", c.id, got, c.header)
		}
		if string(enc.Body) != c.body {
			t.Errorf("%s: body %q, want %q", c.id, enc.Body, c.body)
		}
	}
	if _, ok := login.JSON.(map[string]any)["Password"]; ok {
		t.Error("a form changed the request it was given")
	}
	mc := MustGet(MemberCase).On("password").Apply(login)
	if b := string(encoded(t, mc).Body); !strings.Contains(b, `"Password":"pw"`) || strings.Contains(b, `"password"`) {
		t.Errorf("member-case body %s", b)
	}
	if MustGet(PercentAll).Applies(login) || MustGet(QueryOrder).Applies(login) {
		t.Error("a form of a form body or query applies to a JSON login")
	}
}

func TestFormsOfAFormAndAQuery(t *testing.T) {
	form := client.Request{Method: "POST", Path: "/l", Form: url.Values{"email": {"a@b.c"}, "password": {"p w"}}}
	for _, c := range []struct{ id, body string }{
		{PercentAll, "email=%61%40%62%2E%63&password=%70%20%77"},
		{Unencoded, "email=a@b.c&password=p%20w"},
		{SpacePercent20, "email=a%40b.c&password=p%20w"},
	} {
		enc := encoded(t, MustGet(c.id).Apply(form))
		if string(enc.Body) != c.body || enc.Header.Get("Content-Type") != "application/x-www-form-urlencoded" {
			t.Errorf("%s: %q %q, want %q", c.id, enc.Body, enc.Header.Get("Content-Type"), c.body)
		}
	}
	q := client.Request{Path: "/v", Query: url.Values{"user": {"u"}, "key": {"k"}, "description": {"d"}}}
	if got := encoded(t, MustGet(QueryOrder).Apply(q)).URL; got != "http://t/v?user=u&description=d&key=k" {
		t.Errorf("query-order: %s", got)
	}
	if got := encoded(t, MustGet(QueryExtra).Apply(q)).URL; !strings.Contains(got, "conform_unrelated=1") {
		t.Errorf("query-extra: %s", got)
	}
}

func TestHeaderForms(t *testing.T) {
	r := client.Request{Method: "POST", Path: "/x", Header: map[string][]string{"token": {"t"}, "Authorization": {"Basic abc"}}, JSON: map[string]any{"a": 1}}
	enc := encoded(t, MustGet(HeaderNameCase).Apply(r))
	if enc.Header["Token"][0] != "t" || enc.Header["authorization"][0] != "Basic abc" || enc.Header["content-type"][0] != "application/json" || len(enc.Header) != 3 {
		t.Errorf("header-name-case: %v", enc.Header)
	}
	if got := encoded(t, MustGet(AuthSchemeCase).Apply(r)).Header.Get("Authorization"); got != "basic abc" {
		t.Errorf("auth-scheme-case: %q", got)
	}
	get := client.Request{Path: "/me"}
	if MustGet(ExpectContinue).Applies(get) || !MustGet(ExpectContinue).Applies(r) {
		t.Error("expect-continue applies to a request without a body, or not to one with")
	}
}

func TestEquivalentsAreTheSameForms(t *testing.T) {
	r := client.Request{Method: "POST", Path: "/login", JSON: map[string]any{"login": "a", "password": "b"}}
	vs := Equivalents(r)
	if len(vs) == 0 {
		t.Fatal("no equivalent forms of a JSON login")
	}
	for _, v := range vs {
		if !v.Form.Same || v.Form.Standard == "" {
			t.Errorf("%s: same %v standard %q", v.Form.ID, v.Form.Same, v.Form.Standard)
		}
	}
}
