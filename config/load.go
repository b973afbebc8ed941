package config

import (
	"errors"
	"fmt"
	"os"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// FieldError is a config problem at one field path. Warnings (File.Warnings) have the same
// shape.
type FieldError struct {
	File  string // file name, or "config" for a built-in config
	Field string // dotted path, e.g. lptracker.accounts[1].password
	Line  int    // 1-based line in File, 0 when unknown
	Msg   string
}

// Error is `file:line: field.path: problem`, on one line whatever the file holds: control
// characters in a field name or a message are escaped, so a config cannot forge log lines.
func (e *FieldError) Error() string {
	loc := e.File
	if e.Line > 0 {
		loc = fmt.Sprintf("%s:%d", e.File, e.Line)
	}
	if e.Field == "" {
		return oneLine(fmt.Sprintf("%s: %s", loc, e.Msg))
	}
	return oneLine(fmt.Sprintf("%s: %s: %s", loc, e.Field, e.Msg))
}

// oneLine escapes control characters as Go does in quoted strings.
func oneLine(s string) string {
	if !strings.ContainsFunc(s, isControl) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if isControl(r) {
			q := strconv.QuoteRune(r)
			b.WriteString(q[1 : len(q)-1])
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

func isControl(r rune) bool { return r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) }

// Use says which parts of a target config a command uses. Only those are read from the
// environment and checked for values; the rest of the file is checked for shape (unknown
// fields, lists and mappings where they belong, given twice) and left out of the File. A run of
// one profile thus needs neither the variables nor the complete sections of the others.
//
// The zero Use is everything: every section, every field.
type Use struct {
	// Profiles are the profile sections the command uses; nil means every section of the
	// file. A name without a section in the file, or not in the schema, selects nothing: the
	// caller says what is missing, in terms of its own flags.
	Profiles []string
	// LoginOnly is for a command that only logs accounts in and sends the probe (conform
	// load). It leaves out client_ips, sinks, each section's ttl and jwt, and every account
	// with two_factor: such an account cannot log in without its out-of-band code, so neither
	// its password nor its code source is read. Without it the shared sections (client_ips,
	// sinks) are read whatever the profiles.
	LoginOnly bool
}

// selects says whether the profile section name is used.
func (u Use) selects(name string) bool {
	return u.Profiles == nil || slices.Contains(u.Profiles, name)
}

// Load reads and validates the target config at path. A missing file, an unknown or
// missing field and a bad value are errors that name the file and the field.
func (s Schema) Load(path string) (*File, error) {
	return s.LoadFor(path, Use{})
}

// LoadFor is Load for a command that uses only part of the file.
func (s Schema) LoadFor(path string, u Use) (*File, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read config: %w", err)
	}
	return s.ParseFor(path, data, os.LookupEnv, u)
}

// Parse is Load on bytes already read; name is used in messages and lookup expands ${VAR}
// (nil: no variable is set).
func (s Schema) Parse(name string, data []byte, lookup func(string) (string, bool)) (*File, error) {
	return s.ParseFor(name, data, lookup, Use{})
}

// ParseFor is Parse for a command that uses only part of the file. Every error it returns is
// a *FieldError.
func (s Schema) ParseFor(name string, data []byte, lookup func(string) (string, bool), u Use) (*File, error) {
	if lookup == nil {
		lookup = func(string) (string, bool) { return "", false }
	}
	p := &parser{s: s, file: name, use: u, lookup: lookup,
		lines: map[string]int{}, empty: map[string]string{}, expanded: map[*yaml.Node]expansion{}, fromEnv: map[string][2]string{}, budget: maxNodes}
	f, err := p.parse(data)
	if err != nil {
		return nil, err
	}
	return f, nil
}

// maxNodes bounds the nodes a walk visits: a small file whose aliases expand to millions of
// values ("billion laughs") is refused instead of walked.
const maxNodes = 1 << 16

// parser is one Parse: what it knows about the file beyond the values it decodes.
type parser struct {
	s      Schema
	file   string
	use    Use
	lookup func(string) (string, bool)
	// lines maps a field path to the line of its key (of its item, in a list), so an error
	// found after decoding still names its line; a missing field takes its parent's.
	lines map[string]int
	// empty maps a field path to the environment variable that was set but empty there, so
	// "required" can name the variable.
	empty map[string]string
	// expanded records what expansion did to each scalar: an alias must not expand a value
	// twice, yet each path that reaches it must know where its value came from.
	expanded map[*yaml.Node]expansion
	// fromEnv maps a field path whose value came from the environment to the value as
	// written and as expanded: a message shows the first, since the second may be a secret.
	fromEnv  map[string][2]string
	warnings []*FieldError
	budget   int
}

// errAt is a FieldError at a field path, with its line.
func (p *parser) errAt(path, msg string) *FieldError {
	if v := p.empty[path]; v != "" {
		msg = "environment variable " + v + " is empty: " + msg
	}
	if v, ok := p.fromEnv[path]; ok {
		msg = strings.ReplaceAll(msg, strconv.Quote(v[1]), strconv.Quote(v[0]))
	}
	return &FieldError{File: p.file, Field: path, Line: p.line(path), Msg: msg}
}

// line is the line of a field path, else of its closest parent the file has.
func (p *parser) line(path string) int {
	for path != "" {
		if l, ok := p.lines[path]; ok {
			return l
		}
		i := strings.LastIndexAny(path, ".[")
		if i < 0 {
			break
		}
		path = path[:i]
	}
	return 0
}

var (
	yamlLine  = regexp.MustCompile(`^(?:yaml: )?line (\d+): `)
	yamlValue = regexp.MustCompile("`[^`]*`")
)

// yamlError turns a yaml error message into a line and a message without the line.
func yamlError(err error) (int, string) {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		l, _ := strconv.Atoi(m[1])
		return l, msg[len(m[0]):]
	}
	return 0, msg
}

var (
	clientIPsType = reflect.TypeOf(ClientIPs{})
	sinksType     = reflect.TypeOf(Sinks{})
	headersType   = reflect.TypeOf(map[string]string{})
	profileType   = reflect.TypeOf(Profile{})
)

func (p *parser) parse(data []byte) (*File, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		line, msg := yamlError(err)
		return nil, &FieldError{File: p.file, Line: line, Msg: "not valid YAML: " + msg}
	}
	if len(root.Content) == 0 || isNull(root.Content[0]) {
		return nil, &FieldError{File: p.file, Msg: "empty config: give at least one profile section (" + strings.Join(p.s.Names(), ", ") + ")"}
	}
	doc := root.Content[0]
	if doc.Kind == yaml.AliasNode {
		doc = doc.Alias
	}
	if doc.Kind != yaml.MappingNode {
		return nil, &FieldError{File: p.file, Line: doc.Line, Msg: "must be a mapping of sections (" + strings.Join(p.s.Names(), ", ") + ")"}
	}
	// First the shape of the whole file, so a typo in any section is an error whatever the
	// command uses.
	if err := p.checkTop(doc); err != nil {
		return nil, err
	}
	f := File{Path: p.file, Sections: map[string]*Profile{}, order: p.s.Names()}
	sections := 0
	accountAt := map[string][]int{}
	for i := 0; i+1 < len(doc.Content); i += 2 {
		k, v := doc.Content[i], doc.Content[i+1]
		var err error
		switch k.Value {
		case "client_ips":
			if !p.use.LoginOnly {
				err = p.use1(k.Value, v, v, clientIPsType, &f.ClientIPs)
			}
		case "sinks":
			if !p.use.LoginOnly {
				err = p.use1(k.Value, v, v, sinksType, &f.Sinks)
			}
		case "headers":
			if err = p.use1(k.Value, v, v, headersType, &f.Headers); err == nil {
				err = p.checkHeaders(f.Headers)
			}
		case "instances":
			err = p.use1(k.Value, v, v, instancesType, &f.Instances)
		default:
			if isNull(v) {
				continue
			}
			sections++
			if !p.use.selects(k.Value) {
				continue
			}
			used, at := p.prune(v)
			var sec *Profile
			if err = p.use1(k.Value, v, used, profileType, &sec); err == nil && sec != nil {
				f.Sections[k.Value] = sec
				accountAt[k.Value] = at
			}
		}
		if err != nil {
			return nil, err
		}
	}
	if sections == 0 {
		return nil, &FieldError{File: p.file, Msg: "no profile section: give at least one of " + strings.Join(p.s.Names(), ", ")}
	}
	if err := p.normalize(&f, accountAt); err != nil {
		return nil, err
	}
	f.Warnings = p.warnings
	return &f, nil
}

// use1 expands and checks the values of one used section n, then decodes the part of it the
// command uses (prune's).
func (p *parser) use1(path string, n, used *yaml.Node, t reflect.Type, into any) error {
	if err := p.walk(path, n, t, true); err != nil {
		return err
	}
	if err := used.Decode(into); err != nil {
		// The walk checked every value the types take; this is a last resort.
		var te *yaml.TypeError
		if errors.As(err, &te) && len(te.Errors) > 0 {
			err = errors.New(te.Errors[0])
		}
		line, msg := yamlError(err)
		msg = yamlValue.ReplaceAllString(msg, "a value") // it may be a secret
		if line == 0 {
			line = p.line(path)
		}
		return &FieldError{File: p.file, Field: path, Line: line, Msg: "bad value: " + msg}
	}
	return nil
}

// prune is the part of a profile section the command uses, and for each account it keeps
// the account's index in the file (nil when it keeps them all), for messages.
func (p *parser) prune(sec *yaml.Node) (*yaml.Node, []int) {
	if sec.Kind == yaml.AliasNode {
		sec = sec.Alias
	}
	if !p.use.LoginOnly || sec.Kind != yaml.MappingNode {
		return sec, nil
	}
	out := *sec
	out.Content = nil
	var at []int
	for i := 0; i+1 < len(sec.Content); i += 2 {
		k, v := sec.Content[i], sec.Content[i+1]
		switch {
		case notForLogin[k.Value]:
			continue
		case k.Value == "accounts":
			if v.Kind == yaml.AliasNode {
				v = v.Alias
			}
			if v.Kind == yaml.SequenceNode {
				list := *v
				list.Content = nil
				at = []int{}
				for j, a := range v.Content {
					if !hasTwoFactor(a) {
						list.Content = append(list.Content, a)
						at = append(at, j)
					}
				}
				v = &list
			}
		}
		out.Content = append(out.Content, k, v)
	}
	return &out, at
}

// notForLogin are the fields of a profile section that Use.LoginOnly leaves out: the TTL, the
// signing key and another company's account (by their YAML names).
var notForLogin = map[string]bool{yamlName(profileType, "TTL"): true, yamlName(profileType, "JWT"): true,
	yamlName(profileType, "OtherCompanyAccount"): true}

func yamlName(t reflect.Type, field string) string {
	f, _ := t.FieldByName(field)
	return strings.Split(f.Tag.Get("yaml"), ",")[0]
}

// skipped says whether the command leaves out the node at path (see Use.LoginOnly); prune
// leaves the same nodes out of what is decoded.
func (p *parser) skipped(path string, n *yaml.Node) bool {
	if !p.use.LoginOnly {
		return false
	}
	parts := strings.SplitN(path, ".", 3)
	if len(parts) != 2 {
		return false
	}
	switch {
	case notForLogin[parts[1]]:
		return true
	case strings.HasPrefix(parts[1], "accounts["):
		return hasTwoFactor(n)
	}
	return false
}

func hasTwoFactor(account *yaml.Node) bool {
	if account.Kind == yaml.AliasNode {
		account = account.Alias
	}
	if account.Kind != yaml.MappingNode {
		return false
	}
	for i := 0; i+1 < len(account.Content); i += 2 {
		if account.Content[i].Value == "two_factor" {
			return !isNull(account.Content[i+1])
		}
	}
	return false
}

func isNull(n *yaml.Node) bool {
	if n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	return n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null"
}

// checkTop checks the top-level keys: the shared sections and one section per profile of
// the schema, each against the type it decodes into.
func (p *parser) checkTop(doc *yaml.Node) error {
	types := map[string]reflect.Type{"client_ips": clientIPsType, "sinks": sinksType, "headers": headersType, "instances": instancesType}
	known := []string{"client_ips", "sinks", "headers", "instances"}
	for _, n := range p.s.Names() {
		types[n] = profileType
		known = append(known, n)
	}
	seen := map[string]int{}
	for i := 0; i+1 < len(doc.Content); i += 2 {
		k, v := doc.Content[i], doc.Content[i+1]
		if first, ok := seen[k.Value]; ok {
			return &FieldError{File: p.file, Field: k.Value, Line: k.Line, Msg: fmt.Sprintf("given twice (first on line %d)", first)}
		}
		seen[k.Value] = k.Line
		t, ok := types[k.Value]
		if !ok {
			return &FieldError{File: p.file, Field: k.Value, Line: k.Line, Msg: "unknown field (known: " + strings.Join(known, ", ") + ")"}
		}
		p.lines[k.Value] = k.Line
		if err := p.walk(k.Value, v, t, false); err != nil {
			return err
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

// checkHeaders refuses a header name that is not an HTTP token and a value with a control
// byte: either would make every request conform sends fail.
func (p *parser) checkHeaders(h map[string]string) error {
	for k, v := range h {
		field := "headers." + k
		if k == "" || strings.ContainsAny(k, " \t\r\n:\"(),/;<=>?@[\\]{}") {
			return &FieldError{File: p.file, Field: field, Line: p.line("headers"), Msg: "not a valid header name"}
		}
		if strings.ContainsAny(v, "\r\n\x00") {
			return &FieldError{File: p.file, Field: field, Line: p.line("headers"), Msg: "the value holds a line break, which a header cannot"}
		}
	}
	return nil
}
