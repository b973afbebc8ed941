package e2e_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"github.com/conformhq/conform/redact/redacttest"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	vegeta "github.com/tsenart/vegeta/v12/lib"
	"golang.org/x/crypto/bcrypt"

	"github.com/conformhq/conform/reference"
)

// special is what every secret of these tests is full of: the characters that JSON, XML, URL
// and shell encodings each change, and one that is not ASCII.
const special = `&<>"'\%+ é`

// secret is a distinct secret made of special around tag.
func secret(tag string) string { return tag + special + tag }

// leakSecrets are the secrets of the echo target's config: passwords, API keys and secrets,
// the flylogs company key, static 2FA codes, TOTP secrets and the JWT key.
var leakSecrets = struct {
	lptPass, jwtPass, flyPass, nkPass [2]string
	flyKey, jwtKey                    string
	apiKey, apiSecret                 [2]string
	flyCode, nkCode, flyTOTP, nkTOTP  string
	flyTwoFactorPass, nkTwoFactorPass [2]string
}{
	lptPass:          [2]string{secret("lpt1"), secret("lpt2")},
	jwtPass:          [2]string{secret("jwt1"), secret("jwt2")},
	flyPass:          [2]string{secret("fly1"), secret("fly2")},
	nkPass:           [2]string{secret("nk1"), secret("nk2")},
	flyKey:           secret("flykey"),
	jwtKey:           secret("jwtkey"),
	apiKey:           [2]string{secret("ak1"), secret("ak2")},
	apiSecret:        [2]string{secret("as1"), secret("as2")},
	flyCode:          secret("flycode"),
	nkCode:           secret("nkcode"),
	flyTOTP:          "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP",
	nkTOTP:           "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJR",
	flyTwoFactorPass: [2]string{secret("fly2fa1"), secret("fly2fa2")},
	nkTwoFactorPass:  [2]string{secret("nk2fa1"), secret("nk2fa2")},
}

// allLeakSecrets lists every secret of leakSecrets with a name for messages.
func allLeakSecrets() map[string]string {
	s := leakSecrets
	out := map[string]string{
		"flylogs.api_key": s.flyKey, "jwt.secret": s.jwtKey,
		"flylogs static code": s.flyCode, "newapikey static code": s.nkCode,
		"flylogs totp_secret": s.flyTOTP, "newapikey totp_secret": s.nkTOTP,
	}
	for i := range 2 {
		out[fmt.Sprintf("lptracker password %d", i)] = s.lptPass[i]
		out[fmt.Sprintf("jwt password %d", i)] = s.jwtPass[i]
		out[fmt.Sprintf("flylogs password %d", i)] = s.flyPass[i]
		out[fmt.Sprintf("newapikey password %d", i)] = s.nkPass[i]
		out[fmt.Sprintf("apikey api_key %d", i)] = s.apiKey[i]
		out[fmt.Sprintf("apikey api_secret %d", i)] = s.apiSecret[i]
		out[fmt.Sprintf("flylogs 2FA password %d", i)] = s.flyTwoFactorPass[i]
		out[fmt.Sprintf("newapikey 2FA password %d", i)] = s.nkTwoFactorPass[i]
	}
	return out
}

// leakConfig is a target config of all five profiles with leakSecrets, for a target at
// addresses on loopback. It is written as JSON, which is YAML.
func leakConfig(t *testing.T) string {
	t.Helper()
	s := leakSecrets
	acct := func(login, pass string) map[string]any { return map[string]any{"login": login, "password": pass} }
	twoFA := func(login, pass string, tf map[string]any) map[string]any {
		a := acct(login, pass)
		a["two_factor"] = tf
		return a
	}
	clock := map[string]any{"idle": "24h", "clock_hook": map[string]any{"method": "POST", "path": "/__conform/clock?advance={duration}"}}
	cfg := map[string]any{
		"client_ips": map[string]any{"mode": "source", "addresses": []string{"127.0.0.2", "127.0.0.3"}},
		"lptracker": map[string]any{
			"accounts": []any{acct("alice@example.com", s.lptPass[0]), acct("bob@example.com", s.lptPass[1])},
			"probe":    map[string]any{"method": "GET", "path": "/projects"},
			"ttl":      clock,
		},
		"jwt": map[string]any{
			"accounts": []any{acct("alice@example.com", s.jwtPass[0]), acct("bob@example.com", s.jwtPass[1])},
			"jwt":      map[string]any{"secret": s.jwtKey},
			"ttl":      clock,
		},
		"flylogs": map[string]any{
			"api_key": s.flyKey,
			"token":   map[string]any{"header": "token"},
			"probe":   map[string]any{"method": "GET", "path": "/users/me.json", "valid_json": map[string]any{"response.result": "true"}},
			"accounts": []any{
				acct("alice@example.com", s.flyPass[0]), acct("bob@example.com", s.flyPass[1]),
				twoFA("carol@example.com", s.flyTwoFactorPass[0], map[string]any{"source": "static", "code": s.flyCode}),
				twoFA("dave@example.com", s.flyTwoFactorPass[1], map[string]any{"source": "totp", "totp_secret": s.flyTOTP}),
			},
		},
		"apikey": map[string]any{
			"token": map[string]any{"bearer": true},
			"probe": map[string]any{"method": "GET", "path": "/auth/me"},
			"accounts": []any{
				map[string]any{"api_key": s.apiKey[0], "api_secret": s.apiSecret[0]},
				map[string]any{"api_key": s.apiKey[1], "api_secret": s.apiSecret[1]},
			},
		},
		"newapikey": map[string]any{
			"accounts": []any{
				acct("alice@example.com", s.nkPass[0]), acct("bob@example.com", s.nkPass[1]),
				twoFA("carol@example.com", s.nkTwoFactorPass[0], map[string]any{"source": "static", "code": s.nkCode}),
				twoFA("dave@example.com", s.nkTwoFactorPass[1], map[string]any{"source": "totp", "totp_secret": s.nkTOTP}),
			},
		},
	}
	data, err := json.MarshalIndent(cfg, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "leak.yaml")
	if err := os.WriteFile(p, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// echoMode is how an echo target answers.
type echoMode int

const (
	// echoToken answers every request 200 with everything it got and a token at every
	// profile's token path, so that specs go on past the login and send every request they
	// have; most then fail on the answer's shape and print their exchanges.
	echoToken echoMode = iota
	// echoNoToken answers the same without a token: logins fail, showing the answer.
	echoNoToken
	// echoHangUp answers GET / (reachability) and closes every other connection unanswered,
	// so the client's transport errors name the request's URL.
	echoHangUp
)

// startEcho starts a target that echoes each request (method, URL, decoded query and form,
// headers, decoded basic auth, body) into its answer: JSON, or XML for a path ending .xml,
// and a header with the raw query.
func startEcho(t *testing.T, mode echoMode) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if mode == echoHangUp && r.URL.Path != "/" {
			if hj, ok := w.(http.Hijacker); ok {
				if conn, _, err := hj.Hijack(); err == nil {
					conn.Close()
					return
				}
			}
		}
		body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		echo := map[string]any{
			"method": r.Method, "url": r.URL.String(), "query": r.URL.Query(), "headers": r.Header, "body": string(body),
		}
		if form, err := url.ParseQuery(string(body)); err == nil {
			echo["form"] = form
		}
		var parsed any
		if json.Unmarshal(body, &parsed) == nil {
			echo["json"] = parsed
		}
		if user, pass, ok := r.BasicAuth(); ok {
			echo["basic"] = map[string]string{"user": user, "pass": pass}
		}
		w.Header().Set("X-Echo-Query", r.URL.RawQuery)
		if strings.HasSuffix(r.URL.Path, ".xml") {
			w.Header().Set("Content-Type", "application/xml")
			var b strings.Builder
			b.WriteString("<echo><url>")
			xml.EscapeText(&b, []byte(r.URL.String()))
			b.WriteString("</url><query>")
			xml.EscapeText(&b, []byte(fmt.Sprint(r.URL.Query())))
			b.WriteString("</query><body>")
			xml.EscapeText(&b, body)
			b.WriteString("</body></echo>")
			w.Write([]byte(b.String()))
			return
		}
		answer := map[string]any{"status": "success", "echo": echo}
		if mode == echoToken {
			const tok = "echo-token-1"
			answer["token"] = tok
			answer["result"] = map[string]any{"token": tok}
			answer["response"] = map[string]any{"result": true, "token": tok, "two_factor": nil, "echo": echo}
			answer["newapikey"] = map[string]any{"key": tok}
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(answer)
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// output is one file or stream a run wrote, by name.
type output struct {
	name string
	data []byte
}

// runBinary runs conform with args from the module root and returns its exit code, stdout and
// stderr.
func runBinary(t *testing.T, args ...string) (int, []byte, []byte) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Dir = ".."
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		return ee.ExitCode(), out.Bytes(), errOut.Bytes()
	case err != nil:
		t.Fatalf("run conform: %v", err)
	}
	return 0, out.Bytes(), errOut.Bytes()
}

// encodings are the forms a secret s takes on the wire and in conform's outputs
// (redacttest.WireForms, computed with the standard library alone, not with package redact,
// which this checks), and the base64 of user:secret for each of users (a Basic credential).
func encodings(s string, users ...string) map[string]string {
	out := redacttest.WireForms(s)
	for _, u := range users {
		out["base64 of "+u+":secret"] = base64.StdEncoding.EncodeToString([]byte(u + ":" + s))
	}
	return out
}

// leak is one secret found in an output.
type leak struct {
	output, secret, encoding string
	count                    int
}

// findLeaks counts every encoding of every secret in each output, and in each output's
// decoded form where it has one (strings of a JSON document, text and attributes of XML,
// fields of vegeta results).
func findLeaks(t *testing.T, outs []output, secrets map[string]string) []leak {
	t.Helper()
	var found []leak
	for _, o := range outs {
		texts := map[string][]byte{o.name: o.data}
		if d := decoded(o.data); len(d) > 0 {
			texts[o.name+" (decoded)"] = []byte(strings.Join(d, "\x00"))
		}
		for where, text := range texts {
			for name, s := range secrets {
				for enc, form := range encodings(s, "alice@example.com", "bob@example.com") {
					if n := bytes.Count(text, []byte(form)); n > 0 {
						found = append(found, leak{where, name, enc, n})
					}
				}
			}
		}
	}
	sort.Slice(found, func(i, j int) bool {
		a, b := found[i], found[j]
		return a.output+a.secret+a.encoding < b.output+b.secret+b.encoding
	})
	return found
}

// decoded returns the strings a JSON document, an XML document, or a vegeta results file
// holds, each once decoded.
func decoded(data []byte) []string {
	var out []string
	var v any
	if json.Unmarshal(data, &v) == nil {
		var walk func(any)
		walk = func(v any) {
			switch x := v.(type) {
			case string:
				out = append(out, x)
			case []any:
				for _, e := range x {
					walk(e)
				}
			case map[string]any:
				for k, e := range x {
					out = append(out, k)
					walk(e)
				}
			}
		}
		walk(v)
		return out
	}
	if bytes.HasPrefix(bytes.TrimSpace(data), []byte("<?xml")) {
		d := xml.NewDecoder(bytes.NewReader(data))
		for {
			tok, err := d.Token()
			if err != nil {
				break
			}
			switch x := tok.(type) {
			case xml.CharData:
				out = append(out, string(x))
			case xml.StartElement:
				for _, a := range x.Attr {
					out = append(out, a.Value)
				}
			}
		}
		return out
	}
	if dec := vegeta.DecoderFor(bytes.NewReader(data)); dec != nil && len(data) > 0 {
		for {
			var r vegeta.Result
			if dec.Decode(&r) != nil {
				break
			}
			out = append(out, r.Error, r.URL, r.Method, string(r.Body))
		}
	}
	return out
}

// readOutputs reads the files a run wrote.
func readOutputs(t *testing.T, paths ...string) []output {
	t.Helper()
	var outs []output
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Errorf("%s not written: %v", filepath.Base(p), err)
			continue
		}
		outs = append(outs, output{filepath.Base(p), data})
	}
	return outs
}

// reportLeaks fails t with a summary of leaks, and logs how many were found either way.
func reportLeaks(t *testing.T, found []leak, outs []output) {
	t.Helper()
	total := 0
	byOutput := map[string]int{}
	for _, l := range found {
		total += l.count
		byOutput[l.output] += l.count
	}
	var bytesOut int
	for _, o := range outs {
		bytesOut += len(o.data)
	}
	t.Logf("%d outputs (%d bytes) searched: %d occurrences of a secret", len(outs), bytesOut, total)
	if total == 0 {
		return
	}
	var b strings.Builder
	for _, l := range found {
		fmt.Fprintf(&b, "  %-40s %-28s %-18s %d\n", l.output, l.secret, l.encoding, l.count)
	}
	t.Errorf("secrets in the outputs (output, secret, encoding, count), %d in all:\n%s", total, b.String())
}

// TestNoSecretInAnyOutput runs every profile against a target that echoes everything it gets,
// with secrets full of special characters in the config, and finds no secret, in any
// encoding, in stdout, stderr, the JSON and JUnit reports, conform load's report and its
// results file.
func TestNoSecretInAnyOutput(t *testing.T) {
	t.Parallel()
	cfg := leakConfig(t)
	secrets := allLeakSecrets()
	dir := t.TempDir()
	var (
		mu   sync.Mutex
		outs []output
	)
	add := func(o ...output) { mu.Lock(); outs = append(outs, o...); mu.Unlock() }
	stream := func(name string, code int, stdout, stderr []byte) {
		add(output{name + " stdout", stdout}, output{name + " stderr", stderr})
	}

	echo, noToken, hangUp := startEcho(t, echoToken), startEcho(t, echoNoToken), startEcho(t, echoHangUp)
	t.Run("run", func(t *testing.T) {
		// The hang-up target ends a run after three requests; newapikey's carry the password
		// in their URL.
		for _, tc := range []struct{ name, target, profiles string }{
			{"echo", echo, "lptracker,jwt,flylogs,apikey,newapikey"},
			{"no-token", noToken, "lptracker,jwt,flylogs,apikey,newapikey"},
			{"hang-up", hangUp, "newapikey"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				t.Parallel()
				jsonPath, junitPath := filepath.Join(dir, "run-"+tc.name+".json"), filepath.Join(dir, "run-"+tc.name+".xml")
				args := []string{"run", "--target", tc.target, "--config", cfg, "--profile", tc.profiles, "--strict", "-v",
					"--timeout", "2s", "--json-report", jsonPath, "--junit-report", junitPath}
				code, stdout, stderr := runBinary(t, args...)
				if code != 1 {
					t.Errorf("exit %d, want 1 (specs fail against an echo)\n%s\n%s", code, stdout, stderr)
				}
				stream("run "+tc.name, code, stdout, stderr)
				add(readOutputs(t, jsonPath, junitPath)...)
			})
		}
		for _, p := range []string{"lptracker", "jwt", "flylogs", "apikey", "newapikey"} {
			t.Run("load "+p, func(t *testing.T) {
				t.Parallel()
				results := filepath.Join(dir, "load-"+p+".bin")
				code, stdout, stderr := runBinary(t, "load", "--target", echo, "--config", cfg, "--profile", p,
					"--scenario", "login", "--rate", "20/s", "--duration", "500ms", "--output", results, "--report", "json")
				// A busy machine may fall short of the rate (exit 1, only "valid" broken): that
				// run's outputs are searched all the same.
				if code != 0 && (code != 1 || !strings.Contains(string(stdout), `"broken": [
      "valid"
    ]`)) {
					t.Errorf("exit %d, want 0\n%s\n%s", code, stdout, stderr)
				}
				stream("load "+p, code, stdout, stderr)
				add(readOutputs(t, results)...)
			})
		}
		t.Run("load newapikey hang-up", func(t *testing.T) {
			t.Parallel()
			results := filepath.Join(dir, "load-hang-up.bin")
			code, stdout, stderr := runBinary(t, "load", "--target", hangUp, "--config", cfg, "--profile", "newapikey",
				"--scenario", "login", "--rate", "20/s", "--duration", "500ms", "--output", results, "--report", "text")
			if !strings.Contains(string(stdout), "EOF") {
				t.Errorf("exit %d: the report names no transport error\n%s\n%s", code, stdout, stderr)
			}
			stream("load hang-up", code, stdout, stderr)
			add(readOutputs(t, results)...)
		})
		t.Run("load newapikey validate no-token", func(t *testing.T) {
			t.Parallel()
			code, stdout, stderr := runBinary(t, "load", "--target", noToken, "--config", cfg, "--profile", "newapikey",
				"--scenario", "validate", "--users", "2", "--rate", "20/s", "--duration", "500ms")
			if code == 0 || !strings.Contains(string(stderr), "without a token") {
				t.Errorf("exit %d: want the failed login on stderr\n%s\n%s", code, stdout, stderr)
			}
			stream("load validate no-token", code, stdout, stderr)
		})
	})
	if len(outs) == 0 {
		t.Fatal("no outputs")
	}
	// CONFORM_KEEP_OUTPUTS=DIR keeps every output in DIR, to look at what a leak looked like.
	if d := os.Getenv("CONFORM_KEEP_OUTPUTS"); d != "" {
		for _, o := range outs {
			os.WriteFile(filepath.Join(d, strings.ReplaceAll(o.name, " ", "_")), o.data, 0o644)
		}
	}
	reportLeaks(t, findLeaks(t, outs, secrets), outs)
}

// TestNoSecretAgainstTheReference runs every profile, every spec with every exchange kept,
// against the reference serving users whose passwords, API keys and secrets, company key and
// JWT key are full of special characters, with its 2FA codes mailed and texted to conform's
// sinks; the run passes and no secret shows in any output.
func TestNoSecretAgainstTheReference(t *testing.T) {
	t.Parallel()
	s := leakSecrets
	hash := func(p string) string {
		h, err := bcrypt.GenerateFromPassword([]byte(p), bcrypt.MinCost)
		if err != nil {
			t.Fatal(err)
		}
		return string(h)
	}
	// One password per user serves every profile; the reference has one user list.
	users := []reference.User{
		{ID: 1, UID: "u-1", Login: "alice@example.com", Email: "alice@example.com", Name: "Alice", Phone: "+15550100001",
			PasswordHash: hash(s.lptPass[0]), APIKey: s.apiKey[0], APISecretHash: hash(s.apiSecret[0])},
		{ID: 2, UID: "u-2", Login: "bob@example.com", Email: "bob@example.com", Name: "Bob", Phone: "+15550100002",
			PasswordHash: hash(s.lptPass[1]), APIKey: s.apiKey[1], APISecretHash: hash(s.apiSecret[1])},
		{ID: 3, UID: "u-3", Login: "carol@example.com", Email: "carol@example.com", Name: "Carol", Phone: "+15550100003",
			PasswordHash: hash(s.flyTwoFactorPass[0]), TwoFactor: reference.TwoFactorEmail},
		{ID: 4, UID: "u-4", Login: "dave@example.com", Email: "dave@example.com", Name: "Dave", Phone: "+15550100004",
			PasswordHash: hash(s.flyTwoFactorPass[1]), TwoFactor: reference.TwoFactorSMS},
	}
	smtpAddr, webhookAddr := freeAddr(t), freeAddr(t)
	srv, err := reference.New(reference.Options{Users: users, TestClock: true, BcryptCost: bcrypt.MinCost,
		JWTSecret: []byte(s.jwtKey), FlylogsAPIKey: s.flyKey, SMTPAddr: smtpAddr, SMSWebhookURL: "http://" + webhookAddr + "/sms"})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv.Handler())
	t.Cleanup(func() { hs.Close(); srv.Close() })

	acct := func(login, pass string) map[string]any { return map[string]any{"login": login, "password": pass} }
	plain := []any{acct("alice@example.com", s.lptPass[0]), acct("bob@example.com", s.lptPass[1])}
	clock := map[string]any{"idle": "24h", "clock_hook": map[string]any{"method": "POST", "path": "/__conform/clock?advance={duration}"}}
	withCode := func(tf map[string]any) []any {
		a3, a4 := acct("carol@example.com", s.flyTwoFactorPass[0]), acct("dave@example.com", s.flyTwoFactorPass[1])
		a3["two_factor"], a4["two_factor"] = tf, map[string]any{}
		for k, v := range tf {
			a4["two_factor"].(map[string]any)[k] = v
		}
		return append(append([]any{}, plain...), a3, a4)
	}
	nkCarol := acct("carol@example.com", s.flyTwoFactorPass[0])
	nkCarol["two_factor"] = map[string]any{"source": "webhook", "address": "+15550100003", "json_path": "code", "timeout": "2s"}
	nkDave := acct("dave@example.com", s.flyTwoFactorPass[1])
	nkDave["two_factor"] = map[string]any{"source": "webhook", "address": "+15550100004", "json_path": "code", "timeout": "2s"}
	cfg := map[string]any{
		"sinks":      map[string]any{"smtp": map[string]any{"listen": smtpAddr}, "webhook": map[string]any{"listen": webhookAddr}},
		"client_ips": map[string]any{"mode": "source", "addresses": []string{"127.0.0.2", "127.0.0.3"}},
		"lptracker":  map[string]any{"base_path": "/lptracker", "accounts": plain, "probe": map[string]any{"method": "GET", "path": "/projects"}, "ttl": clock},
		"jwt":        map[string]any{"base_path": "/jwt", "accounts": plain, "jwt": map[string]any{"secret": s.jwtKey}, "ttl": clock},
		"flylogs": map[string]any{"base_path": "/flylogs", "api_key": s.flyKey, "token": map[string]any{"header": "token"},
			"probe":    map[string]any{"method": "GET", "path": "/users/me.json", "valid_json": map[string]any{"response.result": "true"}},
			"accounts": withCode(map[string]any{"source": "smtp", "regex": `Flylogs code: (\d{6})`, "timeout": "2s"})},
		"apikey": map[string]any{"base_path": "/apikey", "token": map[string]any{"bearer": true}, "probe": map[string]any{"method": "GET", "path": "/auth/me"},
			"accounts": []any{map[string]any{"api_key": s.apiKey[0], "api_secret": s.apiSecret[0]}, map[string]any{"api_key": s.apiKey[1], "api_secret": s.apiSecret[1]}}},
		"newapikey": map[string]any{"base_path": "/newapikey", "accounts": append(append([]any{}, plain...), nkDave, nkCarol)},
	}
	data, _ := json.MarshalIndent(cfg, "", "  ")
	dir := t.TempDir()
	cfgPath := filepath.Join(dir, "reference.yaml")
	if err := os.WriteFile(cfgPath, data, 0o600); err != nil {
		t.Fatal(err)
	}
	jsonPath, junitPath := filepath.Join(dir, "reference.json"), filepath.Join(dir, "reference.xml")
	code, stdout, stderr := runBinary(t, "run", "--target", hs.URL, "--config", cfgPath, "--strict", "-v",
		"--json-report", jsonPath, "--junit-report", junitPath)
	if code != 0 {
		t.Errorf("exit %d, want 0: the reference passes with these secrets too\n%s\n%s", code, stdout, stderr)
	}
	results := filepath.Join(dir, "load.bin")
	lcode, lout, lerr := runBinary(t, "load", "--target", hs.URL, "--config", cfgPath, "--profile", "newapikey",
		"--scenario", "login", "--rate", "20/s", "--duration", "500ms", "--output", results, "--report", "json")
	if lcode != 0 {
		t.Errorf("load: exit %d\n%s\n%s", lcode, lout, lerr)
	}
	outs := append([]output{{"run stdout", stdout}, {"run stderr", stderr}, {"load stdout", lout}, {"load stderr", lerr}},
		readOutputs(t, jsonPath, junitPath, results)...)
	reportLeaks(t, findLeaks(t, outs, allLeakSecrets()), outs)
}
