package client

import (
	"fmt"

	"github.com/tidwall/gjson"
)

// MaxJSONDepth is how deeply nested an answer may be for conform to parse it as JSON. Login and
// user answers nest a handful of levels; a deeper one is taken as not JSON, so that no parse or
// walk of a hostile answer (a million nested arrays) costs more than reading it once, and none
// recurses once per level.
const MaxJSONDepth = 64

// ValidJSON reports whether body is one JSON document nested at most MaxJSONDepth levels. The
// depth is checked first, in one pass without recursion, so the validator (which recurses per
// level) only sees bounded documents.
func ValidJSON(body []byte) bool {
	return jsonDepth(body, MaxJSONDepth) <= MaxJSONDepth && gjson.ValidBytes(body)
}

// NotJSON says why the body is not JSON for conform ("" when it is): cut at conform's read
// limit, nested deeper than conform parses, or simply not JSON.
func (r *Response) NotJSON() string {
	switch {
	case r == nil:
		return "no answer"
	case ValidJSON(r.Body):
		return ""
	case r.Truncated:
		return "not JSON as read: the answer went on past conform's 4 MiB read limit and was cut there"
	case jsonDepth(r.Body, MaxJSONDepth) > MaxJSONDepth:
		return fmt.Sprintf("JSON nested more than %d levels deep, deeper than conform parses", MaxJSONDepth)
	}
	return "not JSON"
}

// jsonDepth returns the deepest nesting of arrays and objects in body, counting brackets
// outside strings in one pass; it stops early once past limit. It does not validate.
func jsonDepth(body []byte, limit int) int {
	depth, deepest, inString, escaped := 0, 0, false, false
	for _, c := range body {
		switch {
		case inString:
			switch {
			case escaped:
				escaped = false
			case c == '\\':
				escaped = true
			case c == '"':
				inString = false
			}
		case c == '"':
			inString = true
		case c == '[' || c == '{':
			depth++
			if depth > deepest {
				deepest = depth
				if deepest > limit {
					return deepest
				}
			}
		case c == ']' || c == '}':
			depth--
		}
	}
	return deepest
}
