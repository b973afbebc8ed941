package repro

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"maps"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/conformhq/conform/client"
	"github.com/conformhq/conform/config"
)

// Var is a secret of the config that a script reads from the environment.
type Var struct {
	// Name is the environment variable, CONFORM_<PROFILE>_<FIELD>, e.g.
	// CONFORM_JWT_ACCOUNTS_0_PASSWORD.
	Name string
	// Field is the config field it stands for, e.g. jwt.accounts[0].password; Who names the
	// account (its login or API key) when the field is an account's.
	Field, Who string
	value      string
}

// Vars are the secrets of a config, each with the variable a script reads it from. A Vars is
// a client.Parameterizer: it replaces every secret of a request by its variable.
type Vars struct {
	mu    sync.Mutex
	codes []string // 2FA codes read at run time: CONFORM_2FA_CODE_<index+1>
	vars  []Var    // longest value first, so that a secret inside another is replaced last
	// alias maps a variable and a profile to that profile's own field of the same value:
	// a jwt script reads CONFORM_JWT_..., though lptracker's field came first.
	alias   map[string]map[string]string
	aliases []Var // the aliases' own fields, holding no value
}

var _ client.Parameterizer = (*Vars)(nil)

// ForConfig returns the Vars of every secret in f: the same fields package redact masks
// (passwords, API keys and secrets, the company key, static 2FA codes, the JWT key). TOTP
// secrets are left out: a script cannot compute a code from one portably.
func ForConfig(f *config.File) *Vars {
	v := &Vars{alias: map[string]map[string]string{}}
	if f == nil {
		return v
	}
	add := func(field, who, value string) {
		if value == "" {
			return
		}
		profile, _, _ := strings.Cut(field, ".")
		for _, x := range v.vars {
			if x.value == value {
				// One placeholder per value: the first field that holds it, and an alias
				// for this profile's.
				if v.alias[x.Name] == nil {
					v.alias[x.Name] = map[string]string{}
				}
				if _, ok := v.alias[x.Name][profile]; !ok {
					v.alias[x.Name][profile] = VarName(field)
					v.byName(VarName(field), field, who)
				}
				return
			}
		}
		v.vars = append(v.vars, Var{Name: VarName(field), Field: field, Who: who, value: value})
	}
	for _, k := range slices.Sorted(maps.Keys(f.Headers)) {
		add("headers."+k, "", f.Headers[k])
	}
	for _, name := range f.Present() {
		sec := f.Section(name)
		add(name+".api_key", "", sec.APIKey)
		if sec.JWT != nil {
			add(name+".jwt.secret", "", sec.JWT.Secret)
		}
		accounts := sec.Accounts
		if sec.OtherCompanyAccount != nil {
			accounts = append(accounts[:len(accounts):len(accounts)], *sec.OtherCompanyAccount)
		}
		for i, a := range accounts {
			field := fmt.Sprintf("%s.accounts[%d].", name, i)
			if i == len(sec.Accounts) {
				field = name + ".other_company_account."
			}
			who := a.Login
			if who == "" {
				who = a.APIKey
			}
			add(field+"password", who, a.Password)
			add(field+"api_key", who, a.APIKey)
			add(field+"api_secret", who, a.APISecret)
			if t := a.TwoFactor; t != nil {
				add(field+"two_factor.code", who, t.Code)
			}
		}
	}
	sort.SliceStable(v.vars, func(i, j int) bool { return len(v.vars[i].value) > len(v.vars[j].value) })
	return v
}

// byName remembers an alias's field for the script's list of variables.
func (v *Vars) byName(name, field, who string) {
	v.aliases = append(v.aliases, Var{Name: name, Field: field, Who: who})
}

// For returns the name a script of profile reads the variable name from.
func (v *Vars) For(profile, name string) string {
	if v == nil {
		return name
	}
	if a, ok := v.alias[name][profile]; ok {
		return a
	}
	return name
}

// VarName is the environment variable of a config field: CONFORM_, then the field in upper
// case with every run of other characters as one underscore.
func VarName(field string) string {
	return "CONFORM_" + strings.Trim(nonWord.ReplaceAllString(strings.ToUpper(field), "_"), "_")
}

var nonWord = regexp.MustCompile(`[^A-Z0-9]+`)

// List returns the variables, sorted by name.
func (v *Vars) List() []Var {
	out := append(append([]Var(nil), v.vars...), v.aliases...)
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Parameterize implements client.Parameterizer. A secret is found in the encoding its part
// gives it (percent-encoded in a URL and a form body, JSON-escaped in a JSON body, raw in a
// header, base64 inside a Basic credential), and also in the wrong forms specs send on
// purpose (env.Form): in another letter case and without its last character; appended
// characters and another account's value need nothing more, an empty one nothing at all.
func (v *Vars) Parameterize(part client.Part, contentType, s string) string {
	if v == nil || len(v.vars) == 0 || s == "" {
		return s
	}
	if part == client.PartHeader {
		if cred, ok := strings.CutPrefix(s, "Basic "); ok {
			if dec, err := base64.StdEncoding.DecodeString(cred); err == nil && utf8.Valid(dec) {
				if t := v.Parameterize(client.PartHeader, "", string(dec)); !client.Literal(t) {
					return "Basic " + client.Placeholder("$(b64 "+Word(t)+")")
				}
			}
		}
	}
	s = v.parameterizeCodes(s)
	enc, fn := encoderFor(part, contentType)
	for _, x := range v.vars {
		s = replaceForm(s, enc(x.value), x.value, fn, "${"+x.Name+"}")
	}
	// The wrong forms, once every whole secret is a placeholder. Short values are left
	// alone: their prefix could stand anywhere by chance.
	for _, x := range v.vars {
		if utf8.RuneCountInString(x.value) < 8 {
			continue
		}
		if sw := swapCase(x.value); sw != x.value {
			s = replaceForm(s, enc(sw), sw, fn, `$(swapcase "${`+x.Name+`}")`)
		}
		_, last := utf8.DecodeLastRuneInString(x.value)
		prefix := x.value[:len(x.value)-last]
		s = replaceForm(s, enc(prefix), prefix, fn, "${"+x.Name+"%?}")
	}
	return s
}

// replaceForm replaces encoded (the form of raw in this part) by a placeholder of expr,
// encoded as the part needs by the shell function fn when the encoding changes raw.
func replaceForm(s, encoded, raw, fn, expr string) string {
	if encoded == "" || !strings.Contains(s, encoded) {
		return s
	}
	if encoded != raw && fn != "" {
		expr = "$(" + fn + ` "` + expr + `")`
	}
	return strings.ReplaceAll(s, encoded, client.Placeholder(expr))
}

// encoderFor returns how a value is encoded in a part, and the script's shell function that
// encodes it the same way (see preamble).
func encoderFor(part client.Part, contentType string) (func(string) string, string) {
	ct := strings.ToLower(contentType)
	switch {
	case part == client.PartURL, part == client.PartBody && strings.Contains(ct, "x-www-form-urlencoded"):
		return url.QueryEscape, "urlenc"
	case part == client.PartBody && strings.Contains(ct, "json"):
		return jsonEscape, "jsonesc"
	}
	return func(s string) string { return s }, ""
}

// jsonEscape is s as the inside of a JSON string, as encoding/json writes it.
func jsonEscape(s string) string {
	b, _ := json.Marshal(s) // a string always encodes
	return string(b[1 : len(b)-1])
}

// swapCase swaps the case of every letter, as env.FormCase does.
func swapCase(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case unicode.IsUpper(r):
			return unicode.ToLower(r)
		case unicode.IsLower(r):
			return unicode.ToUpper(r)
		}
		return r
	}, s)
}

// Word renders a parameterized part as one shell word: literal runs single-quoted,
// placeholders in double quotes, side by side.
func Word(s string) string {
	parts := strings.Split(s, client.PlaceholderMark)
	var b strings.Builder
	for i, p := range parts {
		switch {
		case i%2 == 1:
			b.WriteString(`"` + p + `"`)
		case p != "":
			b.WriteString(shellQuote(p))
		}
	}
	if b.Len() == 0 {
		return "''"
	}
	return b.String()
}

func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// Environ returns NAME=value for every variable, aliases included: the environment a script
// needs, for a process that holds the config anyway (conform's own tests run each
// reference break's script with it). It returns the secrets themselves: never print it.
func (v *Vars) Environ() []string {
	var out []string
	byName := map[string]string{}
	for _, x := range v.vars {
		out = append(out, x.Name+"="+x.value)
		byName[x.Name] = x.value
	}
	for name, profiles := range v.alias {
		for _, a := range profiles {
			out = append(out, a+"="+byName[name])
		}
	}
	return out
}

// Add learns 2FA codes read at run time (it is a twofactor.Secrets): a script cannot know
// them, so it asks for each (CONFORM_2FA_CODE_n, or a prompt on a terminal).
func (v *Vars) Add(codes ...string) bool {
	v.mu.Lock()
	defer v.mu.Unlock()
	for _, c := range codes {
		if c != "" && !slices.Contains(v.codes, c) {
			v.codes = append(v.codes, c)
		}
	}
	return true
}

// CodePrefix starts the variable of a 2FA code read at run time.
const CodePrefix = "CONFORM_2FA_CODE_"

// parameterizeCodes replaces each code read at run time, and the wrong forms specs make of
// it (env.CodeForms: one digit appended, the last one left off), where it stands as a whole
// number: a code's digits also stand inside times and ids by chance.
func (v *Vars) parameterizeCodes(s string) string {
	v.mu.Lock()
	codes := slices.Clone(v.codes)
	v.mu.Unlock()
	for i := len(codes) - 1; i >= 0; i-- {
		c, name := codes[i], fmt.Sprintf("%s%d", CodePrefix, i+1)
		s = replaceWhole(s, c+"0", client.Placeholder("${"+name+"}")+"0")
		s = replaceWhole(s, c, client.Placeholder("${"+name+"}"))
		if len(c) >= 3 {
			s = replaceWhole(s, c[:len(c)-1], client.Placeholder("${"+name+"%?}"))
		}
	}
	return s
}

// replaceWhole replaces form where no letter or digit stands right before or after it: a
// code stands alone in a field or a parameter, while its digits also stand inside a token or
// a key of letters and digits by chance.
func replaceWhole(s, form, repl string) string {
	var b strings.Builder
	for {
		i := strings.Index(s, form)
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		end := i + len(form)
		if (i > 0 && isAlnum(s[i-1])) || (end < len(s) && isAlnum(s[end])) {
			b.WriteString(s[:i+1])
			s = s[i+1:]
			continue
		}
		b.WriteString(s[:i] + repl)
		s = s[end:]
	}
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func isAlnum(c byte) bool { return isDigit(c) || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }
