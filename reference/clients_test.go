package reference

import (
	"bufio"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
)

// wire is one raw HTTP/1.1 connection to a reference served on loopback: a test writes a
// published client's request byte for byte and reads the answer.
type wire struct {
	t    *testing.T
	conn net.Conn
	rd   *bufio.Reader
	host string
}

// dialReference serves s on a loopback port with the reference's own http.Server.
func dialReference(t *testing.T, s *Server) *wire {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	hs := HTTPServer(s.Handler())
	go hs.Serve(ln) //nolint:errcheck // ends at Close
	t.Cleanup(func() { hs.Close() })
	conn, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return &wire{t: t, conn: conn, rd: bufio.NewReader(conn), host: ln.Addr().String()}
}

// send writes the request head lines (Host is filled in) and body, and reads the answer.
func (c *wire) send(lines []string, body string) (*http.Response, string) {
	c.t.Helper()
	raw := strings.ReplaceAll(strings.Join(lines, "\r\n"), "{host}", c.host) + "\r\n\r\n" + body
	if _, err := io.WriteString(c.conn, raw); err != nil {
		c.t.Fatal(err)
	}
	resp, err := http.ReadResponse(c.rd, nil)
	if err != nil {
		c.t.Fatalf("reading the answer to %q: %v", lines[0], err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		c.t.Fatal(err)
	}
	return resp, string(b)
}

// TestPHPIntegrationLogsInWithAFormPOST replays doc 002's service's published PHP client: it
// POSTs user, pass and description as a form body built as a string, which PHP's curl
// (CURLOPT_POSTFIELDS) sends as application/x-www-form-urlencoded, with curl's Accept and no
// User-Agent. The answer is doc 002's ADDED_KEY; the key then works in a view sent the same
// way, and a wrong pass gets doc 002's USER_NOT_FOUND with the login echoed.
func TestPHPIntegrationLogsInWithAFormPOST(t *testing.T) {
	c := dialReference(t, newTestServer(t, newapikeyOnly))
	post := func(path, body string) (*http.Response, map[string]any) {
		resp, raw := c.send([]string{
			"POST " + path + " HTTP/1.1",
			"Host: {host}",
			"Accept: */*",
			"Content-Length: " + strconv.Itoa(len(body)),
			"Content-Type: application/x-www-form-urlencoded",
		}, body)
		var m map[string]any
		if err := json.Unmarshal([]byte(raw), &m); err != nil {
			t.Fatalf("POST %s: not JSON: %d %q", path, resp.StatusCode, raw)
		}
		return resp, m
	}
	pass := url.QueryEscape(testPasswords["alice@example.com"])
	resp, m := post("/user/newapikey/login.json", "user=alice%40example.com&pass="+pass+"&description=My+PHP+shop")
	nk, _ := m["newapikey"].(map[string]any)
	key, _ := nk["key"].(string)
	if resp.StatusCode != 200 || m["status"] != "success" || m["success"] != "ADDED_KEY" || nk["controlapikey"] != 0.0 || len(key) != 10 {
		t.Fatalf("login: %d %v; want doc 002's ADDED_KEY with a key", resp.StatusCode, m)
	}
	if resp.Header.Get("Cache-Control") != "no-store" || resp.Header.Get("Pragma") != "no-cache" {
		t.Errorf("login answer: Cache-Control %q, Pragma %q", resp.Header.Get("Cache-Control"), resp.Header.Get("Pragma"))
	}
	resp, m = post("/view/user/api.json", "user=alice%40example.com&key="+key)
	if u, _ := m["user"].(map[string]any); resp.StatusCode != 200 || u["email"] != "alice@example.com" {
		t.Errorf("view: %d %v", resp.StatusCode, m)
	}
	resp, m = post("/user/newapikey/login.json", "user=alice%40example.com&pass=wrong-pass&description=My+PHP+shop")
	if login, _ := m["login"].(map[string]any); m["status"] != "error" || m["error"] != "USER_NOT_FOUND" || login["user"] != "alice@example.com" || login["pass"] != "wrong-pass" {
		t.Errorf("wrong pass: %d %v; want doc 002's USER_NOT_FOUND echoing the login", resp.StatusCode, m)
	}
}

// TestNewAPIKeyFieldsFromQueryAndBody: the query and a form body are merged on GET and POST,
// the body's value first (PHP's request_order "GP"), and a body of another type is ignored.
func TestNewAPIKeyFieldsFromQueryAndBody(t *testing.T) {
	c := newClient(t, newTestServer(t, newapikeyOnly))
	good, bad := url.QueryEscape(testPasswords["alice@example.com"]), "wrong"
	form := map[string]string{"Content-Type": "application/x-www-form-urlencoded"}
	cases := []struct {
		name, method, query string
		header              map[string]string
		body                string
		ok                  bool
	}{
		{"GET, query (the document's)", "GET", "user=alice%40example.com&pass=" + good, nil, "", true},
		{"POST, query", "POST", "user=alice%40example.com&pass=" + good, nil, "", true},
		{"POST, form body", "POST", "", form, "user=alice%40example.com&pass=" + good, true},
		{"GET, form body", "GET", "", form, "user=alice%40example.com&pass=" + good, true},
		{"split between query and body", "POST", "user=alice%40example.com", form, "pass=" + good, true},
		{"the body's pass over the query's", "POST", "user=alice%40example.com&pass=" + bad, form, "pass=" + good, true},
		{"the body's wrong pass over the query's right one", "POST", "user=alice%40example.com&pass=" + good, form, "pass=" + bad, false},
		{"a JSON body is not read", "POST", "", map[string]string{"Content-Type": "application/json"}, `{"user":"alice@example.com","pass":"` + good + `"}`, false},
	}
	for _, tc := range cases {
		target := "/user/newapikey/login.json"
		if tc.query != "" {
			target += "?" + tc.query + "&description=d"
		}
		r := c.do(tc.method, target, tc.header, tc.body)
		if got := r.body["success"] == "ADDED_KEY"; got != tc.ok {
			t.Errorf("%s: %d %s; want logged in %v", tc.name, r.status, r.raw, tc.ok)
		}
	}
	multipart := "--b\r\nContent-Disposition: form-data; name=\"user\"\r\n\r\nalice@example.com\r\n--b\r\nContent-Disposition: form-data; name=\"pass\"\r\n\r\n" + testPasswords["alice@example.com"] + "\r\n--b--\r\n"
	if r := c.do("POST", "/user/newapikey/login.xml", map[string]string{"Content-Type": "multipart/form-data; boundary=b"}, multipart); !strings.Contains(r.raw, "<success>ADDED_KEY</success>") {
		t.Errorf("multipart form: %d %s", r.status, r.raw)
	}
	if r := c.do("POST", "/user/newapikey/login.json", form, "user="+strings.Repeat("a", maxBodyBytes+1)); r.status != http.StatusRequestEntityTooLarge {
		t.Errorf("a form body over the limit: %d %s; want 413", r.status, r.raw)
	}
}

// TestPythonIntegrationOfDoc003 replays a published Python client of doc 003 (requests): a
// JSON login with version "1.0", the projects with the token header, and a wrong password,
// with the headers python-requests sends and json.dumps' separators.
func TestPythonIntegrationOfDoc003(t *testing.T) {
	c := dialReference(t, newTestServer(t, lpOnly))
	head := func(first string) []string {
		return []string{first, "Host: {host}", "User-Agent: python-requests/2.31.0", "Accept-Encoding: gzip, deflate", "Accept: */*", "Connection: keep-alive"}
	}
	login := func(password string) (*http.Response, map[string]any) {
		body := `{"login": "alice@example.com", "password": "` + password + `", "service": "my-crm", "version": "1.0"}`
		resp, raw := c.send(append(head("POST /login HTTP/1.1"), "Content-Length: "+strconv.Itoa(len(body)), "Content-Type: application/json"), body)
		var m map[string]any
		if err := json.Unmarshal([]byte(raw), &m); err != nil {
			t.Fatalf("login: not JSON: %d %q", resp.StatusCode, raw)
		}
		return resp, m
	}
	resp, m := login(testPasswords["alice@example.com"])
	res, _ := m["result"].(map[string]any)
	tok, _ := res["token"].(string)
	if resp.StatusCode != 200 || m["status"] != "success" || tok == "" {
		t.Fatalf("login: %d %v; want doc 003's success with a token", resp.StatusCode, m)
	}
	if resp.Header.Get("Cache-Control") != "no-store" || resp.Header.Get("Pragma") != "no-cache" {
		t.Errorf("login answer: Cache-Control %q, Pragma %q", resp.Header.Get("Cache-Control"), resp.Header.Get("Pragma"))
	}
	resp, raw := c.send(append(head("GET /projects HTTP/1.1"), "token: "+tok), "")
	if resp.StatusCode != 200 || !strings.Contains(raw, `"status":"success"`) {
		t.Errorf("projects: %d %s", resp.StatusCode, raw)
	}
	resp, m = login("wrong-password")
	errs, _ := m["errors"].([]any)
	first, _ := func() (map[string]any, bool) {
		if len(errs) == 0 {
			return nil, false
		}
		e, ok := errs[0].(map[string]any)
		return e, ok
	}()
	if m["status"] != "error" || first["code"] != 401.0 || first["message"] == nil {
		t.Errorf("wrong password: %d %v; want doc 003's error with code 401", resp.StatusCode, m)
	}
}
