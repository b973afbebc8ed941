package config

import (
	"bytes"
	"errors"
	"io"

	"go.yaml.in/yaml/v3"
)

// DecodeFile decodes data, the YAML file named file, into v, refusing fields v does not have.
// A problem is a *FieldError at the file's line, so that the small files conform reads beside
// the config (waivers, load stages, the reference's users) point at the line to fix as a
// config error does. An empty file is an error: every such file has something to say.
func DecodeFile(file string, data []byte, v any) error {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	err := dec.Decode(v)
	if err == nil {
		return nil
	}
	if errors.Is(err, io.EOF) {
		return &FieldError{File: file, Msg: "empty file"}
	}
	var te *yaml.TypeError
	if errors.As(err, &te) && len(te.Errors) > 0 {
		// Each of a TypeError's problems reads "line N: ..."; the first is the one to fix.
		err = errors.New(te.Errors[0])
	}
	line, msg := yamlError(err)
	return &FieldError{File: file, Line: line, Msg: msg}
}

// ItemLines returns the 1-based line of each item of the list at the top-level key of a YAML
// mapping, or of the top-level list when key is "". It is nil when data has no such list; a
// caller that validates the items after DecodeFile uses it to name each item's line.
func ItemLines(data []byte, key string) []int {
	var root yaml.Node
	if yaml.Unmarshal(data, &root) != nil || len(root.Content) == 0 {
		return nil
	}
	n := root.Content[0]
	if key != "" {
		if n.Kind != yaml.MappingNode {
			return nil
		}
		var found *yaml.Node
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == key {
				found = n.Content[i+1]
			}
		}
		if found == nil {
			return nil
		}
		n = found
	}
	if n.Kind != yaml.SequenceNode {
		return nil
	}
	lines := make([]int, len(n.Content))
	for i, c := range n.Content {
		lines[i] = c.Line
	}
	return lines
}

// LineAt is lines[i], or 0 (unknown) when lines is shorter.
func LineAt(lines []int, i int) int {
	if i < len(lines) {
		return lines[i]
	}
	return 0
}
