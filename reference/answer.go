package reference

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"strconv"
)

// answer is an ordered object that renders as JSON or as XML with the
// same data, as doc 002 promises ("change output format by switching file
// suffix"): one value, two encodings, so the formats cannot drift apart.
// Values are string, int or answer.
type answer []field

type field struct {
	name  string
	value any
}

// JSON renders a as a JSON object, fields in order.
func (a answer) JSON() []byte {
	var b bytes.Buffer
	a.writeJSON(&b)
	return b.Bytes()
}

func (a answer) writeJSON(b *bytes.Buffer) {
	b.WriteByte('{')
	for i, f := range a {
		if i > 0 {
			b.WriteByte(',')
		}
		b.Write(encode(f.name))
		b.WriteByte(':')
		switch v := f.value.(type) {
		case answer:
			v.writeJSON(b)
		case int:
			b.WriteString(strconv.Itoa(v))
		default:
			b.Write(encode(v))
		}
	}
	b.WriteByte('}')
}

// XML renders a as <response> with one child element per field, nested
// for objects: {"status":"success","newapikey":{"key":"k"}} is
// <response><status>success</status><newapikey><key>k</key></newapikey></response>.
// Characters XML 1.0 cannot carry (NUL and most other C0 controls, which
// only an echoed user or pass could contain) become U+FFFD, so that the
// document stays well-formed.
func (a answer) XML() []byte {
	var b bytes.Buffer
	b.WriteString(xml.Header)
	b.WriteString("<response>")
	a.writeXML(&b)
	b.WriteString("</response>\n")
	return b.Bytes()
}

func (a answer) writeXML(b *bytes.Buffer) {
	for _, f := range a {
		// Field names are the reference's own constants, valid XML names.
		b.WriteString("<" + f.name + ">")
		switch v := f.value.(type) {
		case answer:
			v.writeXML(b)
		case int:
			b.WriteString(strconv.Itoa(v))
		case string:
			xml.EscapeText(b, []byte(v)) //nolint:errcheck // bytes.Buffer does not fail
		default:
			xml.EscapeText(b, encode(v)) //nolint:errcheck // bytes.Buffer does not fail
		}
		b.WriteString("</" + f.name + ">")
	}
}

// get returns the value of field name, or nil.
func (a answer) get(name string) any {
	for _, f := range a {
		if f.name == name {
			return f.value
		}
	}
	return nil
}

// with returns a copy of a with field name set to v (a nested answer is
// copied too, so a's own values never change).
func (a answer) with(name string, v any) answer {
	out := make(answer, len(a))
	copy(out, a)
	for i := range out {
		if out[i].name == name {
			out[i].value = v
		}
	}
	return out
}

var _ json.Marshaler = answer(nil)

// MarshalJSON makes answer usable wherever JSON is encoded.
func (a answer) MarshalJSON() ([]byte, error) { return a.JSON(), nil }
