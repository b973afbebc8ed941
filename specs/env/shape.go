package env

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/onsi/ginkgo/v2"
	"github.com/tidwall/gjson"

	"github.com/conformhq/conform/client"
)

// Kind is what a JSON value must be.
type Kind int

// The kinds a shape check can ask for.
const (
	String         Kind = iota // a string, maybe empty
	NonEmptyString             // a string with at least one character
	Number                     // a JSON number
	Integer                    // a JSON number without a fraction
	Bool                       // true or false
	True                       // exactly true
	False                      // exactly false
	Null                       // present and null
	Object                     // a JSON object
	Array                      // a JSON array
	NonEmptyArray              // a JSON array with at least one element
	Present                    // there, whatever its value (null included)
)

var kindNames = map[Kind]string{
	String: "a string", NonEmptyString: "a non-empty string", Number: "a number", Integer: "an integer",
	Bool: "a boolean", True: "true", False: "false", Null: "null", Object: "an object", Array: "an array",
	NonEmptyArray: "a non-empty array", Present: "present (any value)",
}

func (k Kind) String() string { return kindNames[k] }

func (k Kind) holds(v gjson.Result) bool {
	if !v.Exists() {
		return false
	}
	switch k {
	case String:
		return v.Type == gjson.String
	case NonEmptyString:
		return v.Type == gjson.String && v.Str != ""
	case Number:
		return v.Type == gjson.Number
	case Integer:
		return v.Type == gjson.Number && !strings.ContainsAny(v.Raw, ".eE")
	case Bool:
		return v.IsBool()
	case True:
		return v.Type == gjson.True
	case False:
		return v.Type == gjson.False
	case Null:
		return v.Type == gjson.Null
	case Present:
		return true
	case Object:
		return v.IsObject()
	case Array:
		return v.IsArray()
	case NonEmptyArray:
		// One element is enough to know; v.Array() would build them all.
		some := false
		v.ForEach(func(_, _ gjson.Result) bool { some = true; return false })
		return v.IsArray() && some
	}
	return false
}

// ExpectJSON fails the spec unless the body is a JSON document.
func ExpectJSON(resp *client.Response) {
	ginkgo.GinkgoHelper()
	if why := resp.NotJSON(); why != "" {
		ginkgo.Fail(fmt.Sprintf("expected a JSON body\n     got: %s: %s", why, describeBody(resp)))
	}
}

// ExpectField fails the spec unless the body's path holds a value of kind k.
func ExpectField(resp *client.Response, path string, k Kind) {
	ginkgo.GinkgoHelper()
	ExpectJSON(resp)
	if v := resp.Get(path); !k.holds(v) {
		ginkgo.Fail(fmt.Sprintf("expected body field %s to be %s\n     got: %s", path, k, describe(v)))
	}
}

// ExpectValue fails the spec unless the body's path holds exactly the string value want.
func ExpectValue(resp *client.Response, path, want string) {
	ginkgo.GinkgoHelper()
	ExpectJSON(resp)
	if v := resp.Get(path); v.Type != gjson.String || v.Str != want {
		ginkgo.Fail(fmt.Sprintf("expected body field %s to be %q\n     got: %s", path, want, describe(v)))
	}
}

// ExpectNone fails the spec with "expected want" and the problems, one per line (each escaped
// as Expect's got, at most the first 20), unless there are none.
func ExpectNone(problems []string, want string) {
	ginkgo.GinkgoHelper()
	if len(problems) == 0 {
		return
	}
	lines := make([]string, 0, min(len(problems), 21))
	for i, p := range problems {
		if i == 20 {
			lines = append(lines, fmt.Sprintf("... and %d more", len(problems)-i))
			break
		}
		lines = append(lines, Clip(p, 500))
	}
	ginkgo.Fail(fmt.Sprintf("expected %s\n     got: %s", want, strings.Join(lines, "\n          ")))
}

// ExpectStatus fails the spec unless the HTTP status is want.
func ExpectStatus(resp *client.Response, want int) {
	ginkgo.GinkgoHelper()
	if resp.Status != want {
		ginkgo.Fail(fmt.Sprintf("expected HTTP status %d\n     got: %d", want, resp.Status))
	}
}

// Expect fails the spec with "expected want, got got" unless ok. got is written on one line,
// control characters escaped (client.Printable): it quotes the target, and a line break or
// escape sequence in a token must not reach a terminal or CI log as one.
func Expect(ok bool, want, got string) {
	ginkgo.GinkgoHelper()
	if !ok {
		ginkgo.Fail(fmt.Sprintf("expected %s\n     got: %s", want, client.Printable(got)))
	}
}

func describe(v gjson.Result) string {
	if !v.Exists() {
		return "no such field"
	}
	kind := map[gjson.Type]string{gjson.Null: "null", gjson.False: "boolean", gjson.True: "boolean", gjson.Number: "number", gjson.String: "string"}[v.Type]
	if v.IsObject() {
		kind = "object"
	} else if v.IsArray() {
		kind = "array"
	}
	return fmt.Sprintf("%s %s", kind, Clip(v.Raw, 200))
}

// DescribeBody renders an answer's status and the start of its body for a failure message.
func DescribeBody(resp *client.Response) string {
	return describeBody(resp)
}

func describeBody(resp *client.Response) string {
	if len(resp.Body) == 0 {
		return fmt.Sprintf("an empty body (HTTP %d)", resp.Status)
	}
	more := ""
	if resp.Truncated {
		more = " (cut at conform's 4 MiB read limit)"
	}
	return fmt.Sprintf("HTTP %d %s%s", resp.Status, Clip(string(resp.Body), 200), more)
}

// DescribeField renders the value at path for a failure message, naming the instance that
// answered when the target is several (config instances).
func DescribeField(resp *client.Response, path string) string {
	return describeField(resp, path) + answeredBy(resp)
}

func describeField(resp *client.Response, path string) string {
	if resp.NotJSON() != "" {
		return describeBody(resp)
	}
	return path + " = " + describe(resp.Get(path))
}

// Clip returns the first n bytes of s (at a UTF-8 boundary, "..." after a cut) for one line of
// a failure message, control characters escaped (client.Printable): it is how target bytes go
// into messages.
func Clip(s string, n int) string {
	if len(s) > n {
		for n > 0 && !utf8.RuneStart(s[n]) {
			n--
		}
		s = s[:n] + "..."
	}
	return client.Printable(s)
}
