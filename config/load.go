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
func Load(path string) (*File, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read config: %w", err)
	}
	return Parse(path, data, os.LookupEnv)
}

// Parse is Load on bytes already read; name is used in messages and lookup expands ${VAR}.
func Parse(name string, data []byte, lookup func(string) (string, bool)) (*File, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, &FieldError{File: name, Msg: "not valid YAML: " + strings.TrimPrefix(err.Error(), "yaml: ")}
	}
	if len(root.Content) == 0 {
		return nil, &FieldError{File: name, Msg: "empty config: give at least one profile section (" + strings.Join(Profiles(), ", ") + ")"}
	}
	doc := root.Content[0]
	if err := checkFields(name, "", doc, reflect.TypeOf(File{})); err != nil {
		return nil, err
	}
	if err := expandEnv(name, "", doc, lookup); err != nil {
		return nil, err
	}
	var f File
	if err := doc.Decode(&f); err != nil {
		var te *yaml.TypeError
		if errors.As(err, &te) && len(te.Errors) > 0 {
			return nil, &FieldError{File: name, Msg: "bad value: " + te.Errors[0]}
		}
		return nil, &FieldError{File: name, Msg: err.Error()}
	}
	f.Path = name
	if err := f.normalize(); err != nil {
		return nil, err
	}
	return &f, nil
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
