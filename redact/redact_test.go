package redact

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"github.com/conformhq/conform/redact/redacttest"
	"io/fs"
	"strings"
	"sync"
	"testing"

	"github.com/conformhq/conform/config"
)

// special is the secret of these tests: every character some encoding changes, and one that
// is not ASCII.
const special = `p&ss<w>"o'r\d%+ é/x`

func TestEveryFormIsMasked(t *testing.T) {
	r := New(special)
	for name, form := range redacttest.WireForms(special) {
		in := "before " + form + " after"
		out := r.String(in)
		// A padded base64 form keeps its padding: "****=".
		if strings.Contains(out, form) || !strings.HasPrefix(out, "before "+Mask) || !strings.HasSuffix(out, " after") {
			t.Errorf("%s: %q -> %q", name, in, out)
		}
		if got := string(r.Bytes([]byte(in))); got != out {
			t.Errorf("%s: Bytes %q, String %q", name, got, out)
		}
	}
}

func TestBasicCredentials(t *testing.T) {
	r := New("company-key")
	r.AddCredential("alice@example.com", "s3cret&pass")
	cases := map[string]string{
		"key alone (curl -u KEY:)":   "Authorization: Basic " + base64.StdEncoding.EncodeToString([]byte("company-key:")),
		"user:secret pair":           "Authorization: Basic " + base64.StdEncoding.EncodeToString([]byte("alice@example.com:s3cret&pass")),
		"another user, lower case":   "authorization: basic " + base64.StdEncoding.EncodeToString([]byte("mallory:s3cret&pass")),
		"secret as user, other pass": "Authorization: BASIC " + base64.StdEncoding.EncodeToString([]byte("company-key:x")),
	}
	for name, in := range cases {
		out := r.String(in)
		if !strings.HasSuffix(out, " "+Mask) {
			t.Errorf("%s: %q -> %q, want the whole credential masked", name, in, out)
		}
	}
	other := "Authorization: Basic " + base64.StdEncoding.EncodeToString([]byte("public:nothing"))
	if out := r.String(other); out != other {
		t.Errorf("a credential without a secret changed: %q", out)
	}
}

func TestSecretInsideLongerBase64(t *testing.T) {
	r := New("hunter2-password")
	for k := range 3 {
		payload := fmt.Sprintf(`{"sub":"%s","password":"hunter2-password","n":1}`, strings.Repeat("x", k))
		jwt := "eyJhbGciOiJIUzI1NiJ9." + base64.RawURLEncoding.EncodeToString([]byte(payload)) + ".c2ln"
		out := r.String(jwt)
		if !strings.Contains(out, Mask) {
			t.Errorf("alignment %d: the password in a JWT payload is not masked: %s", k, out)
		}
	}
}

func TestShortAndEmptySecretsAreIgnored(t *testing.T) {
	r := New()
	if r.Add("p") || r.Add("abc") {
		t.Error("Add of a secret under MinLen reported true")
	}
	if !r.Add("") {
		t.Error("Add of an empty secret reported false")
	}
	in := "http://example.com/p?abc=1"
	if out := r.String(in); out != in {
		t.Errorf("a short secret mangled %q into %q", in, out)
	}
	if !r.Add("éééé") || r.String("xééééx") != "x"+Mask+"x" {
		t.Error("four non-ASCII characters are a secret")
	}
}

func TestOverlappingSecretsAreMaskedAsOne(t *testing.T) {
	r := New("abcdef", "defghi")
	if out := r.String("<abcdefghi>"); out != "<"+Mask+">" {
		t.Errorf("got %q, want one mask over both", out)
	}
	if out := r.String("abcdef defghi"); out != Mask+" "+Mask {
		t.Errorf("got %q", out)
	}
}

func TestClippedSecretIsMasked(t *testing.T) {
	r := New("correct-horse-battery")
	for _, in := range []string{`{"password":"correct-hor...`, "got: correct-horse-bat... (12 more bytes)", "correct…"} {
		if out := r.String(in); strings.Contains(out, "correct") {
			t.Errorf("%q -> %q, want the clipped start masked", in, out)
		}
	}
}

func TestForConfigKnowsEverySecret(t *testing.T) {
	// The config is built by hand: package config's parser is tested on its own.
	f := configFixture()
	r, notes := ForConfig(f)
	for _, s := range []string{"lpt-password", "company-key", "api-key-1", "api-secret-1", "424242", "JBSWY3DPEHPK3PXP", "jwt-signing-key", "eve-password", "eve-company-key"} {
		if out := r.String("x " + s + " y"); out != "x "+Mask+" y" {
			t.Errorf("%s not masked: %q", s, out)
		}
	}
	if len(notes) != 1 || !strings.Contains(notes[0], "jwt.accounts[0].password") {
		t.Errorf("notes %q, want one naming the short password", notes)
	}
	basic := "Basic " + base64.StdEncoding.EncodeToString([]byte("alice:lpt-password"))
	if out := r.String(basic); out != "Basic "+Mask {
		t.Errorf("%q -> %q", basic, out)
	}
}

func TestErrorKeepsItsType(t *testing.T) {
	r := New("hunter2-password")
	base := &fs.PathError{Op: "open", Path: "/x?pass=hunter2-password", Err: fs.ErrNotExist}
	err := r.Error(fmt.Errorf("login: %w", base))
	if strings.Contains(err.Error(), "hunter2") {
		t.Errorf("message not masked: %s", err)
	}
	var pe *fs.PathError
	if !errors.As(err, &pe) || !errors.Is(err, fs.ErrNotExist) {
		t.Error("the masked error does not unwrap to the original")
	}
	if r.Error(nil) != nil {
		t.Error("Error(nil) is not nil")
	}
	r.Add("late-secret")
	again := r.Error(fmt.Errorf("x: %w", errors.New("late-secret")))
	if r.Error(again).Error() != "x: "+Mask {
		t.Errorf("a masked error masked again: %q", r.Error(again))
	}
}

func TestNilRedactorPassesThrough(t *testing.T) {
	var r *Redactor
	if r.String("hunter2-password") != "hunter2-password" || r.Len() != 0 {
		t.Error("nil redactor changed a string")
	}
	var b bytes.Buffer
	w := r.Writer(&b)
	fmt.Fprint(w, "no newline")
	w.Flush()
	if b.String() != "no newline" {
		t.Errorf("got %q", b.String())
	}
	r.Walk(&struct{ S string }{"x"})
}

func TestWriterPassesLinesAndHoldsSplitSecrets(t *testing.T) {
	r := New("hunter2-password")
	var b bytes.Buffer
	w := r.Writer(&b)
	fmt.Fprint(w, "line one\nhalf a secret: hunter2-pa")
	if b.String() != "line one\n" {
		t.Fatalf("after the first write: %q, want the complete line only", b.String())
	}
	fmt.Fprint(w, "ssword and the rest\nunfinished")
	if b.String() != "line one\nhalf a secret: "+Mask+" and the rest\n" {
		t.Fatalf("after the second write: %q", b.String())
	}
	w.Flush()
	if !strings.HasSuffix(b.String(), "\nunfinished") {
		t.Fatalf("Flush did not pass on the rest: %q", b.String())
	}
}

func TestWriterHoldsSecretsWithLineBreaks(t *testing.T) {
	r := New("two\nlines-secret")
	var b bytes.Buffer
	w := r.Writer(&b)
	for _, part := range []string{"a\ntwo\n", "lines-", "secret\nb\n"} {
		fmt.Fprint(w, part)
	}
	w.Flush()
	if b.String() != "a\n"+Mask+"\nb\n" {
		t.Errorf("got %q", b.String())
	}
}

func TestWriterBoundsAnUnfinishedLine(t *testing.T) {
	r := New("hunter2-password")
	var b bytes.Buffer
	w := r.Writer(&b)
	long := strings.Repeat("x", maxPending+100) + "hunter2-password"
	fmt.Fprint(w, long)
	if b.Len() == 0 || b.Len() > len(long) {
		t.Errorf("passed on %d of %d bytes of a line without end", b.Len(), len(long))
	}
	w.Flush()
	if strings.Contains(b.String(), "hunter2") || !strings.HasSuffix(b.String(), Mask) {
		t.Errorf("tail %q", b.String()[b.Len()-30:])
	}
}

// report is a stand-in for the reports Walk masks: nested, with maps, interfaces, a cycle.
type report struct {
	Message string
	Body    []byte
	Header  map[string][]string
	Entries []entry
	Any     any
	Ptr     *report
	hidden  string
	Named   label
	Fixed   [2]string
	ByName  map[string]entry
}

type entry struct{ Text string }
type label string

func TestWalkMasksEveryString(t *testing.T) {
	r := New("hunter2-password")
	s := "pass=hunter2-password"
	rep := &report{Message: s, Body: []byte(s), Header: map[string][]string{"X": {s}}, Entries: []entry{{s}},
		Any: entry{s}, hidden: s, Named: label(s), Fixed: [2]string{s, "ok"}, ByName: map[string]entry{"a": {s}}}
	rep.Ptr = rep
	r.Walk(rep)
	want := "pass=" + Mask
	got := []string{rep.Message, string(rep.Body), rep.Header["X"][0], rep.Entries[0].Text, rep.Any.(entry).Text,
		string(rep.Named), rep.Fixed[0], rep.ByName["a"].Text}
	for i, g := range got {
		if g != want {
			t.Errorf("field %d: %q", i, g)
		}
	}
	if rep.hidden != s {
		t.Error("an unexported field changed")
	}
}

func TestConcurrentAddAndMask(t *testing.T) {
	r := New("first-secret")
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			for j := range 50 {
				code := fmt.Sprintf("code-%d-%d", i, j)
				r.Add(code)
				if out := r.String("got " + code); out != "got "+Mask {
					t.Errorf("%s not masked right after Add: %q", code, out)
					return
				}
			}
		})
	}
	wg.Wait()
	if r.Len() != 401 {
		t.Errorf("%d secrets, want 401", r.Len())
	}
}

func BenchmarkString(b *testing.B) {
	f := configFixture()
	r, _ := ForConfig(f)
	text := strings.Repeat(`{"url":"http://127.0.0.1:8080/user/newapikey/login.json?user=alice&key=abcdef","status":200,"body":"eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl"} `, 100)
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		r.String(text)
	}
}

// configFixture is a config of three made-up documents holding one secret of each kind, and
// one password too short to mask.
func configFixture() *config.File {
	schema := config.Schema{Profiles: []config.Rules{
		{Name: "pw", Doc: "900", TwoFactor: true, CompanyKey: true, CompanyKeyHeader: "Authorization", TokenSilent: true, OtherCompany: true},
		{Name: "keys", Doc: "901", Credentials: config.KeySecret, TokenSilent: true},
		{Name: "jwt", Doc: "902", SigningKey: true, Probe: &config.Probe{Path: "/me"}},
	}}
	f, err := schema.Parse("fixture.yaml", []byte(`
pw:
  api_key: company-key
  other_company_account: {login: eve, password: eve-password, api_key: eve-company-key}
  token: {header: token}
  probe: {path: /me}
  accounts:
    - {login: alice, password: lpt-password}
    - {login: carol, password: carol-password, two_factor: {source: static, code: "424242"}}
    - {login: dave, password: dave-password, two_factor: {source: totp, totp_secret: JBSWY3DPEHPK3PXP}}
keys:
  token: {bearer: true}
  probe: {path: /me}
  accounts: [{api_key: api-key-1, api_secret: api-secret-1}]
jwt:
  jwt: {secret: jwt-signing-key}
  accounts: [{login: bob, password: "p"}]
`), func(string) (string, bool) { return "", false })
	if err != nil {
		panic(err)
	}
	return f
}

// A 2FA code is digits: masked as a value, not as digits inside a longer number (the break
// test's report once read "10:31:16.45****899Z" and no longer parsed as a time).
func TestNumericSecretIsMaskedOnlyAsAWholeNumber(t *testing.T) {
	r := New("1234", "2026")
	for in, want := range map[string]string{
		`{"code":"1234"}`:                `{"code":"****"}`,
		"code=1234&user=a":               "code=****&user=a",
		"1234":                           "****",
		"your code is 1234.":             "your code is ****.",
		"2026-12-01T10:31:16.451234899Z": "2026-12-01T10:31:16.451234899Z",
		"2026-12-01":                     "2026-12-01",
		"01/12/2026 at 10:12":            "01/12/2026 at 10:12",
		"1,234 bytes":                    "1,234 bytes",
		"code:1234, expires":             "code:****, expires",
		"took 12345 ms":                  "took 12345 ms",
		"id 91234":                       "id 91234",
	} {
		if got := r.String(in); got != want {
			t.Errorf("%q: got %q, want %q", in, got, want)
		}
	}
}
