package env

import (
	"errors"
	"fmt"
	"strings"

	"github.com/tidwall/gjson"

	"github.com/conformhq/conform/client"
)

// MaxScalars bounds how many values a walk over one answer collects: far more than a login or
// user answer holds, few enough that the walk's memory stays small whatever a target sends.
const MaxScalars = 100_000

// Scalar is one scalar value of a JSON answer: its kind (gjson.String, Number, True, False or
// Null) and its text (a string's value, a number or boolean as written, null as "null").
type Scalar struct {
	Kind gjson.Type
	Text string
}

// Scalars returns the scalar values of a JSON answer in document order, object keys left out.
// It reads the body once, token by token, without recursion, so its cost is one pass over the
// body however deep or wide the answer is; it returns an error for an answer that is not JSON
// for conform (client.Response.NotJSON) and one that holds more than MaxScalars values.
func Scalars(resp *client.Response) ([]Scalar, error) {
	if why := resp.NotJSON(); why != "" {
		return nil, errors.New(why)
	}
	return scalars(resp.Body, MaxScalars)
}

// scalars lexes body, which ValidJSON has accepted, in one pass: each string, number and
// literal once, with a stack of open containers only to tell object keys from values.
func scalars(body []byte, limit int) ([]Scalar, error) {
	// Each open container: whether it is an object, and if so whether a key comes next.
	type frame struct{ object, wantKey bool }
	var stack []frame
	var out []Scalar
	value := func(s Scalar) error {
		if top := len(stack) - 1; top >= 0 && stack[top].object {
			if stack[top].wantKey {
				stack[top].wantKey = false
				return nil
			}
			stack[top].wantKey = true
		}
		if len(out) == limit {
			return fmt.Errorf("more than %d values in the answer, more than conform walks", limit)
		}
		out = append(out, s)
		return nil
	}
	for i := 0; i < len(body); {
		c := body[i]
		switch {
		case c == '{' || c == '[':
			if len(stack) == client.MaxJSONDepth {
				return nil, fmt.Errorf("JSON nested more than %d levels deep, deeper than conform walks", client.MaxJSONDepth)
			}
			stack = append(stack, frame{object: c == '{', wantKey: c == '{'})
			i++
		case c == '}' || c == ']':
			if len(stack) == 0 {
				return nil, errors.New("not JSON")
			}
			stack = stack[:len(stack)-1]
			if top := len(stack) - 1; top >= 0 && stack[top].object {
				stack[top].wantKey = true
			}
			i++
		case c == '"':
			end, escaped := i+1, false
			for ; end < len(body) && body[end] != '"'; end++ {
				if body[end] == '\\' {
					end++
					escaped = true
				}
			}
			if end >= len(body) {
				return nil, errors.New("not JSON")
			}
			text := string(body[i+1 : end])
			if escaped {
				text = gjson.ParseBytes(body[i : end+1]).Str
			}
			if err := value(Scalar{gjson.String, text}); err != nil {
				return nil, err
			}
			i = end + 1
		case c == '-' || (c >= '0' && c <= '9') || c == 't' || c == 'f' || c == 'n':
			end := i
			for end < len(body) && !strings.ContainsRune(",]} \t\r\n", rune(body[end])) {
				end++
			}
			kind := gjson.Number
			switch c {
			case 't':
				kind = gjson.True
			case 'f':
				kind = gjson.False
			case 'n':
				kind = gjson.Null
			}
			if err := value(Scalar{kind, string(body[i:end])}); err != nil {
				return nil, err
			}
			i = end
		default: // whitespace, commas and colons
			i++
		}
	}
	return out, nil
}
