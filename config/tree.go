package config

import (
	"fmt"
	"reflect"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

var durationType = reflect.TypeOf(time.Duration(0))

// walk goes over the YAML tree beside the Go type it decodes into. yaml.v3's own errors name
// a Go type and a line, not the field a user wrote, so the walk finds the mistakes first.
//
// The first walk (use false) covers the whole file: it reports the first key the type does not
// have, a key given twice, a list or a mapping where the type wants something else, and a value
// the type cannot take (except those still holding ${VAR}); and it records each field's line.
// The second walk (use true) covers what the command uses: it expands ${VAR}s, warns about
// $VAR without braces and checks the values the expansion changed.
func (p *parser) walk(path string, n *yaml.Node, t reflect.Type, use bool) error {
	if p.budget--; p.budget < 0 {
		return &FieldError{File: p.file, Field: path, Line: n.Line, Msg: fmt.Sprintf("too many values: the file's aliases expand to more than %d", maxNodes)}
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if n.Kind == yaml.AliasNode {
		if n.Alias == nil {
			return &FieldError{File: p.file, Field: path, Line: n.Line, Msg: "unknown alias"}
		}
		n = n.Alias
	}
	if use && p.skipped(path, n) {
		return nil
	}
	switch t.Kind() {
	case reflect.Struct:
		if n.Kind != yaml.MappingNode {
			if isNull(n) {
				return nil
			}
			return &FieldError{File: p.file, Field: path, Line: n.Line, Msg: "must be a mapping"}
		}
		fields := map[string]reflect.Type{}
		var names []string
		for i := 0; i < t.NumField(); i++ {
			tag := strings.Split(t.Field(i).Tag.Get("yaml"), ",")[0]
			if tag == "" || tag == "-" {
				continue
			}
			fields[tag] = t.Field(i).Type
			names = append(names, tag)
		}
		return p.walkPairs(path, n, use, func(key string) (reflect.Type, string) {
			if ft, ok := fields[key]; ok {
				return ft, ""
			}
			return nil, "unknown field (known: " + strings.Join(names, ", ") + ")"
		})
	case reflect.Map:
		if n.Kind != yaml.MappingNode {
			if isNull(n) {
				return nil
			}
			return &FieldError{File: p.file, Field: path, Line: n.Line, Msg: "must be a mapping"}
		}
		return p.walkPairs(path, n, use, func(string) (reflect.Type, string) { return t.Elem(), "" })
	case reflect.Slice:
		if n.Kind != yaml.SequenceNode {
			if isNull(n) {
				return nil
			}
			return &FieldError{File: p.file, Field: path, Line: n.Line, Msg: "must be a list"}
		}
		for i, c := range n.Content {
			at := fmt.Sprintf("%s[%d]", path, i)
			if !use {
				p.lines[at] = c.Line
			}
			if err := p.walk(at, c, t.Elem(), use); err != nil {
				return err
			}
		}
		return nil
	}
	if n.Kind != yaml.ScalarNode {
		return &FieldError{File: p.file, Field: path, Line: n.Line, Msg: "must be a single value"}
	}
	if !use {
		if strings.Contains(n.Value, "${") {
			return nil // checked once expanded, if the command uses it
		}
		return p.checkValue(path, n, t)
	}
	fromEnv, err := p.expand(path, n)
	if err != nil || !fromEnv {
		return err
	}
	if t.Kind() != reflect.String {
		// A value read from the environment is resolved as if written plain: ${PORT} in a
		// list of statuses is a number.
		n.Tag, n.Style = "", 0
	}
	return p.checkValue(path, n, t)
}

// walkPairs walks a mapping's values; field gives a key's type, or why the key is refused.
func (p *parser) walkPairs(path string, n *yaml.Node, use bool, field func(string) (reflect.Type, string)) error {
	seen := map[string]int{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind == yaml.AliasNode && k.Alias != nil {
			k = k.Alias
		}
		if k.Kind != yaml.ScalarNode {
			return &FieldError{File: p.file, Field: path, Line: k.Line, Msg: "keys must be plain names"}
		}
		at := join(path, k.Value)
		if !use {
			if first, ok := seen[k.Value]; ok {
				return &FieldError{File: p.file, Field: at, Line: k.Line, Msg: fmt.Sprintf("given twice (first on line %d)", first)}
			}
			seen[k.Value] = k.Line
		}
		ft, refused := field(k.Value)
		if ft == nil {
			return &FieldError{File: p.file, Field: at, Line: k.Line, Msg: refused}
		}
		if !use {
			p.lines[at] = k.Line
		}
		if err := p.walk(at, v, ft, use); err != nil {
			return err
		}
	}
	return nil
}

// checkValue decodes a scalar into its Go type, as the section's decoding will, and names
// the field when it cannot. A text value is never quoted back: it may be a secret.
func (p *parser) checkValue(path string, n *yaml.Node, t reflect.Type) error {
	if err := n.Decode(reflect.New(t).Interface()); err == nil {
		return nil
	}
	var msg string
	switch {
	case t == durationType:
		msg = fmt.Sprintf("%q is not a duration (use e.g. 24h, 2s)", n.Value)
	case t.Kind() == reflect.Bool:
		msg = fmt.Sprintf("%q is not true or false", n.Value)
	case t.Kind() >= reflect.Int && t.Kind() <= reflect.Uint64:
		msg = fmt.Sprintf("%q is not a whole number", n.Value)
	default:
		msg = "bad value: not text (tag " + n.Tag + ")"
	}
	return p.errAt(path, msg)
}
