package env

import (
	"fmt"
	"strings"

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
)

var kindNames = map[Kind]string{
	String: "a string", NonEmptyString: "a non-empty string", Number: "a number", Integer: "an integer",
	Bool: "a boolean", True: "true", False: "false", Null: "null", Object: "an object", Array: "an array",
	NonEmptyArray: "a non-empty array",
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
	case Object:
		return v.IsObject()
	case Array:
		return v.IsArray()
	case NonEmptyArray:
		return v.IsArray() && len(v.Array()) > 0
	}
	return false
}

// ExpectJSON fails the spec unless the body is a JSON document.
func ExpectJSON(resp *client.Response) {
	ginkgo.GinkgoHelper()
	if !gjson.ValidBytes(resp.Body) {
		ginkgo.Fail(fmt.Sprintf("expected a JSON body\n     got: %s", describeBody(resp)))
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

// ExpectStatus fails the spec unless the HTTP status is want.
func ExpectStatus(resp *client.Response, want int) {
	ginkgo.GinkgoHelper()
	if resp.Status != want {
		ginkgo.Fail(fmt.Sprintf("expected HTTP status %d\n     got: %d", want, resp.Status))
	}
}

// Expect fails the spec with "expected want, got got" unless ok.
func Expect(ok bool, want, got string) {
	ginkgo.GinkgoHelper()
	if !ok {
		ginkgo.Fail(fmt.Sprintf("expected %s\n     got: %s", want, got))
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
	return fmt.Sprintf("%s %s", kind, clip(v.Raw, 200))
}

func describeBody(resp *client.Response) string {
	if len(resp.Body) == 0 {
		return fmt.Sprintf("an empty body (HTTP %d)", resp.Status)
	}
	return fmt.Sprintf("HTTP %d %s", resp.Status, clip(string(resp.Body), 200))
}

// DescribeField renders the value at path for a failure message.
func DescribeField(resp *client.Response, path string) string {
	if !gjson.ValidBytes(resp.Body) {
		return describeBody(resp)
	}
	return path + " = " + describe(resp.Get(path))
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "..."
}
