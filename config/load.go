package config

import (
	"errors"
	"fmt"
	"os"
	"reflect"
	"regexp"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// FieldError is a config problem at one field path.
type FieldError struct {
	File  string // file name, or "config" for a built-in config
	Field string // dotted path, e.g. lptracker.accounts[1].password
	Line  int    // 1-based line in File, 0 when unknown
	Msg   string
}

func (e *FieldError) Error() string {
	loc := e.File
	if e.Line > 0 {
		loc = fmt.Sprintf("%s:%d", e.File, e.Line)
	}
	if e.Field == "" {
		return fmt.Sprintf("%s: %s", loc, e.Msg)
	}
	return fmt.Sprintf("%s: %s: %s", loc, e.Field, e.Msg)
}

// Load reads and validates the target config at path. A missing file, an unknown or
// missing field and a bad value are errors that name the file and the field.
func (s Schema) Load(path string) (*File, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read config: %w", err)
	}
	return s.Parse(path, data, os.LookupEnv)
}

// Parse is Load on bytes already read; name is used in messages and lookup expands ${VAR}.
func (s Schema) Parse(name string, data []byte, lookup func(string) (string, bool)) (*File, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, &FieldError{File: name, Msg: "not valid YAML: " + strings.TrimPrefix(err.Error(), "yaml: ")}
	}
	if len(root.Content) == 0 {
		return nil, &FieldError{File: name, Msg: "empty config: give at least one profile section (" + strings.Join(s.Names(), ", ") + ")"}
	}
	doc := root.Content[0]
	if doc.Kind == yaml.AliasNode {
		doc = doc.Alias
	}
	if doc.Kind != yaml.MappingNode {
		return nil, &FieldError{File: name, Line: doc.Line, Msg: "must be a mapping of sections (" + strings.Join(s.Names(), ", ") + ")"}
	}
	if err := s.checkTop(name, doc); err != nil {
		return nil, err
	}
	if err := expandEnv(name, "", doc, lookup); err != nil {
		return nil, err
	}
	f := File{Path: name, Sections: map[string]*Profile{}, order: s.Names()}
	for i := 0; i+1 < len(doc.Content); i += 2 {
		k, v := doc.Content[i], doc.Content[i+1]
		var err error
		switch k.Value {
		case "client_ips":
			err = decode(name, v, &f.ClientIPs)
		case "sinks":
			err = decode(name, v, &f.Sinks)
		default:
			var p *Profile
			if err = decode(name, v, &p); err == nil && p != nil {
				f.Sections[k.Value] = p
			}
		}
		if err != nil {
			return nil, err
		}
	}
	if err := s.normalize(&f); err != nil {
		return nil, err
	}
	return &f, nil
}

// decode decodes one section, turning yaml's type errors into a FieldError.
func decode(file string, n *yaml.Node, into any) error {
	if err := n.Decode(into); err != nil {
		var te *yaml.TypeError
		if errors.As(err, &te) && len(te.Errors) > 0 {
			return &FieldError{File: file, Msg: "bad value: " + te.Errors[0]}
		}
		return &FieldError{File: file, Msg: err.Error()}
	}
	return nil
}

// checkTop checks the top-level keys: the shared sections and one section per profile of
// the schema, each against the type it decodes into.
func (s Schema) checkTop(file string, doc *yaml.Node) error {
	types := map[string]reflect.Type{
		"client_ips": reflect.TypeOf(ClientIPs{}),
		"sinks":      reflect.TypeOf(Sinks{}),
	}
	known := []string{"client_ips", "sinks"}
	for _, n := range s.Names() {
		types[n] = reflect.TypeOf(Profile{})
		known = append(known, n)
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(doc.Content); i += 2 {
		k, v := doc.Content[i], doc.Content[i+1]
		if seen[k.Value] {
			return &FieldError{File: file, Field: k.Value, Line: k.Line, Msg: "given twice"}
		}
		seen[k.Value] = true
		t, ok := types[k.Value]
		if !ok {
			return &FieldError{File: file, Field: k.Value, Line: k.Line, Msg: "unknown field (known: " + strings.Join(known, ", ") + ")"}
		}
		if err := checkFields(file, k.Value, v, t); err != nil {
			return err
		}
	}
	return nil
}

var durationType = reflect.TypeOf(time.Duration(0))

// checkFields walks the YAML tree beside the Go type it will decode into and reports the
// first key the type does not have, with its full path: yaml.v3's own KnownFields error names
// the Go type and a line, not the field a user wrote.
func checkFields(file, path string, n *yaml.Node, t reflect.Type) error {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	switch t.Kind() {
	case reflect.Struct:
		if n.Kind != yaml.MappingNode {
			if n.Tag == "!!null" {
				return nil
			}
			return &FieldError{File: file, Field: path, Line: n.Line, Msg: "must be a mapping"}
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
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			ft, ok := fields[k.Value]
			if !ok {
				return &FieldError{File: file, Field: join(path, k.Value), Line: k.Line,
					Msg: "unknown field (known: " + strings.Join(names, ", ") + ")"}
			}
			if err := checkFields(file, join(path, k.Value), v, ft); err != nil {
				return err
			}
		}
	case reflect.Slice:
		if n.Kind != yaml.SequenceNode {
			if n.Tag == "!!null" {
				return nil
			}
			return &FieldError{File: file, Field: path, Line: n.Line, Msg: "must be a list"}
		}
		for i, c := range n.Content {
			if err := checkFields(file, fmt.Sprintf("%s[%d]", path, i), c, t.Elem()); err != nil {
				return err
			}
		}
	case reflect.Map:
		if n.Kind != yaml.MappingNode && n.Tag != "!!null" {
			return &FieldError{File: file, Field: path, Line: n.Line, Msg: "must be a mapping"}
		}
	default:
		if n.Kind != yaml.ScalarNode {
			return &FieldError{File: file, Field: path, Line: n.Line, Msg: "must be a single value"}
		}
		if t == durationType {
			if _, err := time.ParseDuration(n.Value); err != nil && !strings.Contains(n.Value, "${") {
				return &FieldError{File: file, Field: path, Line: n.Line, Msg: fmt.Sprintf("%q is not a duration (use e.g. 24h, 2s)", n.Value)}
			}
		}
	}
	return nil
}

var envRef = regexp.MustCompile(`\$\{([A-Za-z_][A-Za-z0-9_]*)\}`)

// expandEnv replaces ${VAR} in scalar values, so secrets stay out of committed files.
func expandEnv(file, path string, n *yaml.Node, lookup func(string) (string, bool)) error {
	switch n.Kind {
	case yaml.ScalarNode:
		var missing string
		n.Value = envRef.ReplaceAllStringFunc(n.Value, func(ref string) string {
			name := envRef.FindStringSubmatch(ref)[1]
			v, ok := lookup(name)
			if !ok && missing == "" {
				missing = name
			}
			return v
		})
		if missing != "" {
			return &FieldError{File: file, Field: path, Line: n.Line, Msg: "environment variable " + missing + " is not set"}
		}
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			if err := expandEnv(file, join(path, n.Content[i].Value), n.Content[i+1], lookup); err != nil {
				return err
			}
		}
	case yaml.SequenceNode:
		for i, c := range n.Content {
			if err := expandEnv(file, fmt.Sprintf("%s[%d]", path, i), c, lookup); err != nil {
				return err
			}
		}
	}
	return nil
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}
