package config

import (
	"regexp"
	"strings"

	"go.yaml.in/yaml/v3"
)

var (
	envRef = regexp.MustCompile(`\$\{([A-Za-z_][A-Za-z0-9_]*)\}`)
	// bareRef is $NAME not preceded by another $ (the first group is what precedes it).
	bareRef = regexp.MustCompile(`(^|[^$])\$([A-Za-z_][A-Za-z0-9_]*)`)
	envName = regexp.MustCompile(`^[A-Z][A-Z0-9_]*$`)
)

// expand replaces the ${VAR}s of a scalar from the environment, so secrets stay out of
// committed files, and says whether the value came from the environment. An unset variable is an error; a variable
// set but empty is remembered, so that "required" names it. A node reached again through an
// alias is not expanded twice, but what its expansion left is recorded at every path.
func (p *parser) expand(path string, n *yaml.Node) (bool, error) {
	x, done := p.expanded[n]
	if !done {
		p.warnBare(path, n.Value)
		var err error
		if x, err = p.expandValue(path, n.Value); err != nil {
			return false, err
		}
		p.expanded[n] = x
		n.Value = x.value
	}
	if x.raw == "" {
		return false, nil
	}
	p.fromEnv[path] = [2]string{x.raw, x.value}
	if x.empty != "" {
		p.empty[path] = x.empty
	}
	return true, nil
}

// expansion is what expand did to a scalar: raw is the value as written when a variable
// changed it (else ""), empty the variable that left it empty.
type expansion struct{ raw, value, empty string }

func (p *parser) expandValue(path, raw string) (expansion, error) {
	if !strings.Contains(raw, "${") {
		return expansion{value: raw}, nil
	}
	var missing, empty string
	out := envRef.ReplaceAllStringFunc(raw, func(ref string) string {
		name := ref[2 : len(ref)-1]
		v, ok := p.lookup(name)
		switch {
		case !ok && missing == "":
			missing = name
		case ok && v == "" && empty == "":
			empty = name
		}
		return v
	})
	if missing != "" {
		return expansion{}, p.errAt(path, "environment variable "+missing+" is not set")
	}
	if out == raw {
		return expansion{value: raw}, nil
	}
	x := expansion{raw: raw, value: out}
	if out == "" {
		x.empty = empty
	}
	return x, nil
}

// warnBare warns about $NAME without braces, which is taken literally.
//
// A warning, not an error: a literal value may hold a $ (a password such as "pa$word"), and
// refusing it would need an escape that changes what every existing "$$" means. The warning
// is given only where a variable was most likely meant: NAME is set in the environment, or the
// whole value is $NAME in the upper case of environment variables. It names NAME only in the
// first case: in the second the value may be a literal secret, which must not reach a log.
func (p *parser) warnBare(path, value string) {
	rest := envRef.ReplaceAllString(value, "")
	for _, m := range bareRef.FindAllStringSubmatch(rest, -1) {
		name := m[2]
		if _, set := p.lookup(name); set {
			p.warn(path, "$"+name+" is taken literally: write ${"+name+"} to read the environment variable")
			return
		}
	}
	if v := strings.TrimSpace(value); strings.HasPrefix(v, "$") && envName.MatchString(v[1:]) {
		p.warn(path, "the value looks like an environment variable without braces, which is taken literally: write ${NAME} to read one")
	}
}

func (p *parser) warn(path, msg string) {
	p.warnings = append(p.warnings, &FieldError{File: p.file, Field: path, Line: p.line(path), Msg: msg})
}
