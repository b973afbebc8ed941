package reference

import (
	"bufio"
	"fmt"
	"net"
	"net/http"
	"strings"
)

// The wire breaks' checks: the form a break refuses is served on the unbroken server.
func init() {
	lp := func(header map[string]string, body string) func(c *client) bool {
		return func(c *client) bool {
			r := c.do("POST", "/login", header, body)
			res, _ := r.body["result"].(map[string]any)
			tok, _ := res["token"].(string)
			flat, _ := r.body["token"].(string) // lptracker.success-shape's
			return tok != "" || flat != ""
		}
	}
	const lpBody = `{"login":"alice@example.com","password":"alice-password-1","service":"S","version":"1.0"}`
	for name, check := range map[string]func(c *client) bool{
		"lptracker.wire-charset-utf8-refused":      lp(map[string]string{"Content-Type": "application/json; charset=utf-8"}, lpBody),
		"lptracker.wire-media-type-case-refused":   lp(map[string]string{"Content-Type": "Application/JSON"}, lpBody),
		"lptracker.wire-json-member-order-refused": lp(nil, `{"version":"1.0","service":"S","password":"alice-password-1","login":"alice@example.com"}`),
		"lptracker.wire-json-whitespace-refused":   lp(nil, strings.ReplaceAll(lpBody, ",", ",\n  ")),
		"lptracker.wire-expect-continue-refused":   lp(map[string]string{"Expect": "100-continue"}, lpBody),
		"lptracker.wire-connection-close-refused":  lp(map[string]string{"Connection": "close"}, lpBody),
		"lptracker.wire-any-form-refused":          lp(map[string]string{"Accept": "*/*"}, lpBody),
		"lptracker.wire-member-case-folded": func(c *client) bool {
			return lpRefused(c, strings.Replace(lpBody, `"password"`, `"Password"`, 1))
		},
		"jwt.wire-accept-json-refused":           jwtServed(map[string]string{"Accept": "application/json, text/plain, */*"}),
		"jwt.wire-connection-keep-alive-refused": jwtServed(map[string]string{"Connection": "keep-alive"}),
		"jwt.wire-any-form-refused":              jwtServed(map[string]string{"Accept": "*/*"}),
		"jwt.example-curl-header-refused":        jwtServed(map[string]string{"User-Agent": "curl/8.5.0"}),
		"jwt.example-curl-query-refused": func(c *client) bool {
			tok := c.jwtLogin("alice@example.com")
			return c.do("GET", "/users/me?token="+tok, map[string]string{"User-Agent": "curl/8.5.0"}, "").status == 200
		},
		"jwt.example-spaced-json-refused": func(c *client) bool {
			r := c.do("POST", "/users/login", map[string]string{"Content-Type": "application/json"}, `{"email": "alice@example.com", "password": "alice-password-1"}`)
			return r.body["token"] != nil
		},
		"lptracker.example-curl-refused": lp(map[string]string{"User-Agent": "curl/8.5.0"}, lpBody),
		"lptracker.logout-empty-json-400": func(c *client) bool {
			tok := c.lpLogin("alice@example.com", "S")
			r := c.do("POST", "/logout", map[string]string{"token": tok, "Content-Type": "application/json"}, "")
			return r.body["status"] == "success" && !c.lpValid(tok)
		},
		"flylogs.wire-auth-scheme-case-refused": flyServed(map[string]string{"Authorization": strings.Replace(flyAuth["Authorization"], "Basic", "basic", 1)}, "email=alice%40example.com&password=alice-password-1"),
		"flylogs.wire-unencoded-refused":        flyServed(nil, "email=alice@example.com&password=alice-password-1"),
		"flylogs.wire-percent-encoded-refused":  flyServed(nil, "email=%61lice%40example.com&password=alice-password-1"),
		"flylogs.example-curl-refused":          flyServed(map[string]string{"User-Agent": "curl/8.5.0"}, "email=alice%40example.com&password=alice-password-1"),
		"flylogs.wire-any-form-refused":         flyServed(map[string]string{"Accept": "*/*"}, "email=alice%40example.com&password=alice-password-1"),
		"apikey.example-unindented-json-refused": func(c *client) bool {
			return c.do("POST", "/auth/login", map[string]string{"Content-Type": "application/json"}, "{\n\"apiKey\": \"alice-api-key\",\n\"apiSecret\": \"alice-api-secret\"\n}").body["token"] != nil
		},
		// Over a real connection: the break reads the names from its bytes.
		"apikey.wire-header-name-case-refused": func(c *client) bool {
			return rawStatus(c, "POST /auth/login HTTP/1.1\r\nHost: x\r\ncontent-type: application/json\r\ncontent-length: "+fmt.Sprint(len(aliceKey))+"\r\n\r\n"+aliceKey) == http.StatusOK
		},
		"apikey.wire-any-form-refused": func(c *client) bool {
			return c.do("POST", "/auth/login", map[string]string{"Content-Type": "application/json", "Accept": "*/*"}, aliceKey).body["token"] != nil
		},
		"newapikey.wire-query-order-refused":      nkServed(nil, "user=alice%40example.com&description=conform&pass=alice-password-1"),
		"newapikey.wire-query-extra-refused":      nkServed(nil, "conform_unrelated=1&description=conform&pass=alice-password-1&user=alice%40example.com"),
		"newapikey.wire-space-percent-20-refused": nkServed(nil, "description=conform%20wire&pass=alice-password-1&user=alice%40example.com"),
		"newapikey.wire-accept-any-refused":       nkServed(map[string]string{"Accept": "*/*"}, "description=conform&pass=alice-password-1&user=alice%40example.com"),
		"newapikey.wire-unencoded-refused":        nkServed(nil, "description=conform&pass=alice-password-1&user=alice@example.com"),
		"newapikey.wire-any-form-refused":         nkServed(map[string]string{"Connection": "close"}, "description=conform&pass=alice-password-1&user=alice%40example.com"),
		"newapikey.example-login-order-refused":   nkServed(nil, "user=alice%40example.com&pass=alice-password-1&description=YourAPP"),
		"newapikey.example-tfkey-order-refused":   nkServed(nil, "user=alice%40example.com&pass=alice-password-1&description=YourAPP&tfkey=1234"),
		"newapikey.example-view-order-refused": func(c *client) bool {
			r := c.do("GET", "/user/newapikey/login.json?description=conform&pass=alice-password-1&user=alice%40example.com", nil, "")
			nk, _ := r.body["newapikey"].(map[string]any)
			key, _ := nk["key"].(string)
			return c.do("GET", "/view/user/api.json?user=alice%40example.com&key="+key, nil, "").body["status"] != "error"
		},
	} {
		documented[name] = check
	}
	// The strict break refuses every form: each form's check fails on it by construction.
	for name := range documented {
		if p, _, _ := strings.Cut(name, "."); strings.HasPrefix(name, p+".wire-") || strings.HasPrefix(name, p+".example-") {
			coupled[p+".wire-any-form-refused "+name] = true
		}
	}
	// The jwt checks prove a token valid through header x-access-token.
	for _, n := range []string{"jwt.wire-accept-json-refused", "jwt.wire-connection-keep-alive-refused", "jwt.wire-any-form-refused", "jwt.example-curl-header-refused"} {
		coupled["jwt.no-header-token "+n] = true
	}
	// The flylogs checks read the token inside "response" of a form login.
	for _, b := range []string{"flylogs.json-only", "flylogs.success-shape"} {
		for _, n := range []string{"flylogs.example-curl-refused", "flylogs.wire-any-form-refused", "flylogs.wire-auth-scheme-case-refused",
			"flylogs.wire-percent-encoded-refused", "flylogs.wire-unencoded-refused"} {
			coupled[b+" "+n] = true
		}
	}
	// The logout check proves the token deleted through header token and the probe.
	for _, b := range []string{"lptracker.ignore-token", "lptracker.logout-keeps-token", "lptracker.token-header-authorization"} {
		coupled[b+" lptracker.logout-empty-json-400"] = true
	}
	coupled["jwt.no-query-token jwt.example-curl-query-refused"] = true
	// A login without its password is the member-case form's very request.
	coupled["lptracker.accept-missing-password lptracker.wire-member-case-folded"] = true
}

// jwtServed checks that a login and /users/me with header are both served.
func jwtServed(header map[string]string) func(c *client) bool {
	return func(c *client) bool {
		r := c.do("POST", "/users/login", header, `{"email":"alice@example.com","password":"alice-password-1"}`)
		tok, _ := r.body["token"].(string)
		if tok == "" {
			return false
		}
		h := map[string]string{"x-access-token": tok}
		for k, v := range header {
			h[k] = v
		}
		return c.do("GET", "/users/me", h, "").status == 200
	}
}

// flyServed checks that a form login with body (and header) gets a token.
func flyServed(header map[string]string, body string) func(c *client) bool {
	return func(c *client) bool {
		h := map[string]string{"Authorization": flyAuth["Authorization"], "Content-Type": "application/x-www-form-urlencoded"}
		for k, v := range header {
			h[k] = v
		}
		return flyToken(c.do("POST", "/users/login.json", h, body)) != ""
	}
}

// nkServed checks that a login with query (and header) gets a key.
func nkServed(header map[string]string, query string) func(c *client) bool {
	return func(c *client) bool {
		r := c.do("GET", "/user/newapikey/login.json?"+query, header, "")
		return r.body["success"] == "ADDED_KEY"
	}
}

// rawStatus sends req, the bytes of one HTTP/1.1 request, to c's server over a real connection
// (the listener WrapListener gives, served as Start serves) and returns the answer's status.
func rawStatus(c *client, req string) int {
	c.t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		c.t.Fatal(err)
	}
	hs := HTTPServer(c.h)
	go func() { _ = hs.Serve(c.srv.WrapListener(ln)) }()
	defer hs.Close()
	conn, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		c.t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.Write([]byte(req)); err != nil {
		c.t.Fatal(err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	return resp.StatusCode
}
