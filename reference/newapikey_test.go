package reference

import (
	"encoding/xml"
	"fmt"
	"io"
	"net/url"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"
)

// nkLogin calls /user/newapikey/login.<format> (served at the root).
func (c *client) nkLogin(format string, q url.Values) resp {
	c.t.Helper()
	if q.Get("description") == "" {
		q.Set("description", "conform")
	}
	return c.do("GET", "/user/newapikey/login."+format+"?"+q.Encode(), nil, "")
}

// nkKey logs in a user without 2FA and returns the new key.
func (c *client) nkKey(user string) string {
	c.t.Helper()
	r := c.nkLogin("json", url.Values{"user": {user}, "pass": {testPasswords[user]}})
	nk, _ := r.body["newapikey"].(map[string]any)
	key, _ := nk["key"].(string)
	if key == "" {
		c.t.Fatalf("newapikey login %s: %d %s", user, r.status, r.raw)
	}
	return key
}

// nkView calls /view/user/api.<format>.
func (c *client) nkView(format, user, key string) resp {
	c.t.Helper()
	return c.do("GET", "/view/user/api."+format+"?"+url.Values{"user": {user}, "key": {key}}.Encode(), nil, "")
}

// xmlTree decodes an XML answer into nested maps of strings (elements
// without children are strings), the shape of the JSON answer.
func xmlTree(raw string) (map[string]any, error) {
	d := xml.NewDecoder(strings.NewReader(raw))
	var stack []map[string]any
	var names []string
	var text strings.Builder
	var root map[string]any
	for {
		tok, err := d.Token()
		if err == io.EOF {
			if root == nil || len(stack) != 0 {
				return nil, fmt.Errorf("unterminated document")
			}
			return root, nil
		}
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			stack = append(stack, map[string]any{})
			names = append(names, t.Name.Local)
			text.Reset()
		case xml.CharData:
			text.Write(t)
		case xml.EndElement:
			m, name := stack[len(stack)-1], names[len(names)-1]
			stack, names = stack[:len(stack)-1], names[:len(names)-1]
			var v any = m
			if len(m) == 0 {
				v = text.String()
			}
			text.Reset()
			if len(stack) == 0 {
				if name != "response" {
					return nil, fmt.Errorf("root element %s, want response", name)
				}
				root = m
			} else {
				stack[len(stack)-1][name] = v
			}
		}
	}
}

// stringify turns JSON numbers into their text, as XML carries them.
func stringify(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := map[string]any{}
		for k, e := range x {
			out[k] = stringify(e)
		}
		return out
	case float64:
		return fmt.Sprint(x)
	}
	return v
}

var keyShape = regexp.MustCompile(`^[A-Za-z0-9]{10}$`)

func TestNewAPIKeyLogin(t *testing.T) {
	c := newClient(t, newTestServer(t, newapikeyOnly))
	r := c.nkLogin("json", url.Values{"user": {"alice@example.com"}, "pass": {"alice-password-1"}, "description": {"YourAPP"}})
	key, _ := r.body["newapikey"].(map[string]any)["key"].(string)
	if want := `{"status":"success","success":"ADDED_KEY","newapikey":{"controlapikey":0,"key":"` + key + `"}}`; r.status != 200 || r.raw != want || !keyShape.MatchString(key) {
		t.Fatalf("login: %d %s", r.status, r.raw)
	}
	if r.header.Get("Content-Type") != "application/json; charset=utf-8" {
		t.Errorf("json Content-Type %q", r.header.Get("Content-Type"))
	}
	for name, q := range map[string]url.Values{
		"wrong pass":   {"user": {"alice@example.com"}, "pass": {"wrong"}},
		"unknown user": {"user": {"nobody"}, "pass": {"wrong"}},
		"no pass":      {"user": {"alice@example.com"}},
		"nothing":      {},
		"odd chars":    {"user": {"<a>&\"'"}, "pass": {"p ss]]>"}},
	} {
		r := c.nkLogin("json", q)
		want := fmt.Sprintf(`{"status":"error","error":"USER_NOT_FOUND","login":{"user":%s,"pass":%s}}`, encode(q.Get("user")), encode(q.Get("pass")))
		if r.status != 401 || r.raw != want {
			t.Errorf("%s: %d %s, want %s", name, r.status, r.raw, want)
		}
		x := c.nkLogin("xml", q)
		tree, err := xmlTree(x.raw)
		if err != nil || !reflect.DeepEqual(tree, stringify(r.body)) {
			t.Errorf("%s: xml %s (%v) differs from json %s", name, x.raw, err, r.raw)
		}
	}
}

func TestNewAPIKeyView(t *testing.T) {
	c := newClient(t, newTestServer(t, newapikeyOnly))
	key := c.nkKey("alice@example.com")
	const alice = `{"status":"success","user":{"username":"alice@example.com","name":"Alice Example","email":"alice@example.com"}}`
	for i := range 3 { // "This only needs to be done once."
		if r := c.nkView("json", "alice@example.com", key); r.status != 200 || r.raw != alice {
			t.Fatalf("view #%d: %d %s", i, r.status, r.raw)
		}
	}
	c.advance(48 * time.Hour)
	if r := c.nkView("json", "alice@example.com", key); r.status != 200 {
		t.Errorf("key expired after two days: %d", r.status)
	}
	// A second login adds a key; the first stays valid.
	key2 := c.nkKey("alice@example.com")
	if key2 == key || c.nkView("json", "alice@example.com", key).status != 200 || c.nkView("json", "alice@example.com", key2).status != 200 {
		t.Errorf("keys after a second login: %s %s", key, key2)
	}
	bobs := c.nkKey("bob@example.com")
	const invalid = `{"status":"error","error":"KEY_NOT_VALID"}`
	for name, q := range map[string][2]string{
		"wrong key":           {"alice@example.com", "AAAAAAAAAA"},
		"another user's key":  {"alice@example.com", bobs},
		"key with other name": {"bob@example.com", key},
		"no key":              {"alice@example.com", ""},
		"unknown user":        {"nobody", key},
		"no user":             {"", key},
	} {
		if r := c.nkView("json", q[0], q[1]); r.status != 401 || r.raw != invalid {
			t.Errorf("%s: %d %s", name, r.status, r.raw)
		}
	}
	// A flylogs-style session token is not a key.
	lp := newClient(t, newTestServer(t, nil))
	tok := lp.do("POST", "/lptracker/login", nil, `{"login":"alice@example.com","password":"alice-password-1","service":"S","version":"1.0"}`).body["result"].(map[string]any)["token"].(string)
	if r := lp.do("GET", "/newapikey/view/user/api.json?user=alice@example.com&key="+tok, nil, ""); r.status != 401 {
		t.Errorf("lptracker token accepted as a key: %d", r.status)
	}
}

func TestNewAPIKeyXMLCarriesTheSameData(t *testing.T) {
	c := newClient(t, newTestServer(t, newapikeyOnly))
	x := c.nkLogin("xml", url.Values{"user": {"alice@example.com"}, "pass": {"alice-password-1"}})
	tree, err := xmlTree(x.raw)
	if err != nil || x.status != 200 || x.header.Get("Content-Type") != "application/xml; charset=utf-8" {
		t.Fatalf("login.xml: %d %v %s", x.status, err, x.raw)
	}
	nk, _ := tree["newapikey"].(map[string]any)
	key, _ := nk["key"].(string)
	if tree["status"] != "success" || tree["success"] != "ADDED_KEY" || nk["controlapikey"] != "0" || !keyShape.MatchString(key) {
		t.Fatalf("login.xml: %s", x.raw)
	}
	if !strings.HasPrefix(x.raw, `<?xml version="1.0" encoding="UTF-8"?>`) {
		t.Errorf("no XML declaration: %s", x.raw)
	}
	j := c.nkView("json", "alice@example.com", key)
	xv := c.nkView("xml", "alice@example.com", key)
	xt, err := xmlTree(xv.raw)
	if j.status != 200 || xv.status != 200 || err != nil || !reflect.DeepEqual(xt, stringify(j.body)) {
		t.Errorf("view.xml %s (%v) differs from view.json %s", xv.raw, err, j.raw)
	}
	bad := c.nkView("xml", "alice@example.com", "wrong")
	if bt, err := xmlTree(bad.raw); bad.status != 401 || err != nil || bt["error"] != "KEY_NOT_VALID" {
		t.Errorf("view.xml with a wrong key: %d %s", bad.status, bad.raw)
	}
}

func TestNewAPIKey2FA(t *testing.T) {
	c := newClient(t, newTestServer(t, newapikeyOnly))
	const dave, carol = "dave@example.com", "carol@example.com"
	login := func(user, tfkey string) resp {
		q := url.Values{"user": {user}, "pass": {testPasswords[user]}}
		if tfkey != "" {
			q.Set("tfkey", tfkey)
		}
		return c.nkLogin("json", q)
	}
	const addedTF = `{"status":"success","success":"ADDED_TF"}`
	if r := login(dave, ""); r.status != 200 || r.raw != addedTF {
		t.Fatalf("dave without tfkey: %d %s", r.status, r.raw)
	}
	code := c.codes.last(dave)
	if len(code) != 4 || !strings.Contains(strings.Join(c.codes.lines, "\n"), "to +15550100004; sms") {
		t.Fatalf("no 4-digit code texted to dave's phone: %v", c.codes.lines)
	}
	if r := login(dave, "0000"); r.status != 401 || r.body["error"] != "USER_NOT_FOUND" {
		t.Errorf("wrong tfkey: %d %s", r.status, r.raw)
	}
	// carol has two_factor email; newapikey texts her code all the same.
	login(carol, "")
	if r := login(carol, code); r.body["error"] != "USER_NOT_FOUND" {
		t.Errorf("dave's code logged carol in: %s", r.raw)
	}
	r := login(dave, code)
	if r.body["success"] != "ADDED_KEY" {
		t.Fatalf("right tfkey: %d %s", r.status, r.raw)
	}
	key := r.body["newapikey"].(map[string]any)["key"].(string)
	if c.nkView("json", dave, key).status != 200 {
		t.Error("key of a 2FA login refused")
	}
	if r := login(dave, code); r.body["error"] != "USER_NOT_FOUND" {
		t.Errorf("tfkey reused: %s", r.raw)
	}
	// totp and static users: ADDED_TF without delivery, then their code.
	erinCode, _ := totp.GenerateCode(testTOTPSecret, time.Now())
	for user, code := range map[string]string{"erin@example.com": erinCode, "frank@example.com": "424242"} {
		if r := login(user, ""); r.raw != addedTF {
			t.Errorf("%s without tfkey: %s", user, r.raw)
		}
		if r := login(user, code); r.body["success"] != "ADDED_KEY" {
			t.Errorf("%s with tfkey %s: %s", user, code, r.raw)
		}
		if c.codes.count(user) != 0 {
			t.Errorf("a code was delivered to %s", user)
		}
	}
	// A user without 2FA ignores tfkey.
	if r := login("alice@example.com", "1234"); r.body["success"] != "ADDED_KEY" {
		t.Errorf("alice with a tfkey: %s", r.raw)
	}
}
