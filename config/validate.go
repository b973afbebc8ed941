package config

import (
	"encoding/base32"
	"errors"
	"fmt"
	"net"
	"regexp"
	"regexp/syntax"
	"slices"
	"strings"
	"time"
)

// Methods lists the HTTP methods a probe or a clock hook may use: the standard methods a
// login API's requests take (RFC 9110, and PATCH from RFC 5789). A method is case-sensitive,
// so "get" is refused rather than sent as written.
func Methods() []string {
	return []string{"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}
}

// DurationPlaceholder is what a clock hook's path or body holds where conform puts the time
// to advance.
const DurationPlaceholder = "{duration}"

// normalize fills defaults and checks what each used section needs, naming the field.
// accountAt gives, per section, the file's index of each account kept (nil: all kept).
func (p *parser) normalize(f *File, accountAt map[string][]int) error {
	if err := p.normalizeClientIPs(f.ClientIPs); err != nil {
		return err
	}
	if err := p.normalizeSinks(f.Sinks); err != nil {
		return err
	}
	if err := p.normalizeInstances(f); err != nil {
		return err
	}
	for _, name := range f.Present() {
		r, _ := p.s.rules(name) // Present lists only the schema's profiles
		if err := p.normalizeSection(f.Section(name), r, f.Sinks, accountAt[name]); err != nil {
			return err
		}
	}
	return nil
}

func (p *parser) normalizeSinks(s *Sinks) error {
	if s == nil {
		return nil
	}
	for _, c := range []struct {
		name string
		sink *Sink
	}{{"smtp", s.SMTP}, {"webhook", s.Webhook}} {
		if c.sink == nil {
			continue
		}
		field := "sinks." + c.name + ".listen"
		if c.sink.Listen == "" {
			return p.errAt(field, "required: host:port to listen on, e.g. 127.0.0.1:2525")
		}
		if _, port, err := net.SplitHostPort(c.sink.Listen); err != nil || port == "" {
			return p.errAt(field, fmt.Sprintf("%q is not host:port", c.sink.Listen))
		}
	}
	return nil
}

func (p *parser) normalizeClientIPs(c *ClientIPs) error {
	if c == nil {
		return nil
	}
	switch c.Mode {
	case "source", "header", "none":
	case "":
		c.Mode = "source"
	default:
		return p.errAt("client_ips.mode", fmt.Sprintf("%q is not one of source, header, none", c.Mode))
	}
	if c.Mode == "header" && c.Header == "" {
		c.Header = "X-Forwarded-For"
	}
	for i, a := range c.Addresses {
		field := fmt.Sprintf("client_ips.addresses[%d]", i)
		ip := net.ParseIP(a)
		if ip == nil {
			return p.errAt(field, fmt.Sprintf("%q is not an IP address", a))
		}
		if c.Mode == "source" && !ip.IsLoopback() {
			return p.errAt(field, fmt.Sprintf("%q is not a loopback address: source mode binds local addresses, which only works for 127.0.0.0/8", a))
		}
	}
	if c.Mode != "none" && len(c.Addresses) == 1 {
		return p.errAt("client_ips.addresses", "give at least two addresses (per-IP specs compare two clients)")
	}
	if len(c.Addresses) == 0 {
		switch c.Mode {
		case "source":
			c.Addresses = []string{"127.0.0.2", "127.0.0.3"}
		case "header":
			c.Addresses = []string{"203.0.113.2", "203.0.113.3"}
		}
	}
	return nil
}

func (p *parser) normalizeSection(sec *Profile, r Rules, sinks *Sinks, accountAt []int) error {
	name := r.Name
	fe := func(field, msg string) error { return p.errAt(name+"."+field, msg) }
	if sec.BasePath != "" && !strings.HasPrefix(sec.BasePath, "/") {
		return fe("base_path", fmt.Sprintf("%q must start with /", sec.BasePath))
	}
	sec.BasePath = strings.TrimSuffix(sec.BasePath, "/")
	if len(sec.Accounts) == 0 {
		if accountAt != nil && p.line(name+".accounts[0]") > 0 {
			return fe("accounts", "every account has two_factor, and this command logs in without 2FA codes: give one account without two_factor")
		}
		return fe("accounts", "required: give at least one existing user (two for the per-user specs)")
	}
	for i := range sec.Accounts {
		at := i
		if accountAt != nil {
			at = accountAt[i]
		}
		if err := p.normalizeAccount(&sec.Accounts[i], fe, fmt.Sprintf("accounts[%d]", at), r, sinks); err != nil {
			return err
		}
	}
	switch {
	case r.CompanyKey && sec.APIKey == "":
		return fe("api_key", fmt.Sprintf("required: doc %s says every request carries the company API key (sent as the basic-auth user)", r.Doc))
	case !r.CompanyKey && sec.APIKey != "":
		msg := "only the " + p.s.describe(func(r Rules) bool { return r.CompanyKey }, false) + " profile uses a company API key"
		if r.Credentials == KeySecret {
			msg += fmt.Sprintf("; %s accounts give theirs per account (doc %s)", name, r.Doc)
		}
		return fe("api_key", msg)
	}
	if o := sec.OtherCompanyAccount; o != nil {
		if !r.OtherCompany {
			return fe("other_company_account", "only "+p.s.describe(func(r Rules) bool { return r.OtherCompany }, false)+" limits a login to the users of one company")
		}
		if o.TwoFactor != nil {
			return fe("other_company_account.two_factor", "not used: the spec expects this user refused before any 2FA code")
		}
		// Its api_key (optional) is its own company's key, which logs it in and not this
		// company's users: "an existing user in your company" (doc 000) is the key's company.
		key := o.APIKey
		o.APIKey = ""
		err := p.normalizeAccount(o, fe, "other_company_account", r, nil)
		o.APIKey = key
		if err != nil {
			return err
		}
		if key != "" && key == sec.APIKey {
			return fe("other_company_account.api_key", "the same as api_key: give the key of the other company, which logs this user in")
		}
	}
	if err := sec.Token.normalize(fe, r, p.s); err != nil {
		return err
	}
	if len(sec.Services) == 0 && r.Services != nil {
		sec.Services = append([]string(nil), r.Services...)
	}
	if sec.Probe == nil {
		if r.Probe == nil {
			return fe("probe", "required: the document names no request that proves a token valid; give one, e.g. {method: GET, path: /projects}")
		}
		d := *r.Probe
		sec.Probe = &d
	}
	if sec.Probe.Method == "" {
		sec.Probe.Method = "GET"
	}
	if err := checkMethod(fe, "probe.method", sec.Probe.Method); err != nil {
		return err
	}
	if !strings.HasPrefix(sec.Probe.Path, "/") {
		return fe("probe.path", fmt.Sprintf("%q must start with /", sec.Probe.Path))
	}
	for i, s := range sec.Probe.ValidStatus {
		if s < 100 || s > 599 {
			return fe(fmt.Sprintf("probe.valid_status[%d]", i), fmt.Sprintf("%d is not an HTTP status", s))
		}
	}
	if sec.Probe.ValidJSON == nil && r.ValidJSON != nil {
		sec.Probe.ValidJSON = copyMap(r.ValidJSON)
	}
	if sec.Probe.InvalidJSON == nil && r.InvalidJSON != nil {
		sec.Probe.InvalidJSON = copyMap(r.InvalidJSON)
	}
	if t := sec.TTL; t != nil {
		if t.Idle <= 0 {
			return fe("ttl.idle", "required and positive when ttl is given, e.g. 24h")
		}
		if g := t.ExpiryGrace; g != nil && (*g < 0 || *g > time.Minute) {
			return fe("ttl.expiry_grace", fmt.Sprintf("%s is not between 0s and 1m: the real time the target takes to apply an expiry, e.g. 1s for a sweep every second", *g))
		}
		if h := t.ClockHook; h != nil {
			if h.Method == "" {
				h.Method = "POST"
			}
			if err := checkMethod(fe, "ttl.clock_hook.method", h.Method); err != nil {
				return err
			}
			if !strings.HasPrefix(h.Path, "/") {
				return fe("ttl.clock_hook.path", fmt.Sprintf("%q must start with /", h.Path))
			}
			if !strings.Contains(h.Path, DurationPlaceholder) && !strings.Contains(h.Body, DurationPlaceholder) {
				return fe("ttl.clock_hook", "neither path nor body holds "+DurationPlaceholder+": put it where the target reads the time to advance, e.g. path: \"/test/clock?advance={duration}\"")
			}
		}
	}
	if sec.JWT != nil && !r.SigningKey {
		return fe("jwt", "only the "+p.s.describe(func(r Rules) bool { return r.SigningKey }, false)+" profile uses this section")
	}
	return nil
}

// checkMethod refuses a method outside Methods, saying which are known.
func checkMethod(fe func(string, string) error, field, m string) error {
	known := Methods()
	if slices.Contains(known, m) {
		return nil
	}
	msg := fmt.Sprintf("%q is not an HTTP method conform sends (known: %s)", m, strings.Join(known, ", "))
	if slices.Contains(known, strings.ToUpper(m)) {
		msg = fmt.Sprintf("%q: methods are case-sensitive, write %s", m, strings.ToUpper(m))
	}
	return fe(field, msg)
}

func copyMap(m map[string]string) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

func (t *TokenPlacement) normalize(fe func(string, string) error, r Rules, s Schema) error {
	if !r.TokenSilent {
		if t != nil {
			return fe("token", "only "+s.describe(func(r Rules) bool { return r.TokenSilent }, false)+" take this: the "+r.Name+" document says where the token goes")
		}
		return nil
	}
	if t == nil {
		return fe("token", "required: the document does not say how the session token is sent; give {header: NAME}, {query: NAME} or {bearer: true}")
	}
	set := 0
	for _, on := range []bool{t.Header != "", t.Query != "", t.Bearer} {
		if on {
			set++
		}
	}
	if set != 1 {
		return fe("token", "give exactly one of header: NAME, query: NAME, bearer: true")
	}
	if h := r.CompanyKeyHeader; h != "" && ((t.Bearer && strings.EqualFold(h, "Authorization")) || strings.EqualFold(t.Header, h)) {
		return fe("token", fmt.Sprintf("doc %s's API key already takes the %s header (basic auth): name another header or a query parameter", r.Doc, h))
	}
	return nil
}

// normalizeAccount checks what the document needs of an account: login and password, or an
// API key and secret where the document logs in with those instead (doc 001).
func (p *parser) normalizeAccount(a *Account, fe func(string, string) error, at string, r Rules, sinks *Sinks) error {
	if r.Credentials == KeySecret {
		if a.APIKey == "" {
			return fe(at+".api_key", fmt.Sprintf("required: doc %s logs in with an API key and secret", r.Doc))
		}
		if a.APISecret == "" {
			return fe(at+".api_secret", fmt.Sprintf("required: doc %s logs in with an API key and secret", r.Doc))
		}
	} else {
		if a.Login == "" {
			return fe(at+".login", "required")
		}
		if a.Password == "" {
			return fe(at+".password", "required")
		}
		if a.APIKey != "" || a.APISecret != "" {
			return fe(at+".api_key", "only "+p.s.describe(func(r Rules) bool { return r.Credentials == KeySecret }, false)+" accounts log in with an API key and secret")
		}
	}
	if a.TwoFactor == nil {
		return nil
	}
	if !r.TwoFactor {
		return fe(at+".two_factor", "only "+p.s.describe(func(r Rules) bool { return r.TwoFactor }, true)+" document 2FA")
	}
	return a.TwoFactor.normalize(fe, at+".two_factor", a.Login, sinks)
}

func (t *TwoFactor) normalize(fe func(string, string) error, at, login string, sinks *Sinks) error {
	need := func(field, value, why string) error {
		if value == "" {
			return fe(at+"."+field, "required with source "+t.Source+": "+why)
		}
		return nil
	}
	var err error
	switch t.Source {
	case "static":
		err = need("code", t.Code, "the fixed code the target accepts")
	case "totp":
		if err = need("totp_secret", t.TOTPSecret, "the base32 secret"); err == nil {
			s := strings.ToUpper(strings.ReplaceAll(t.TOTPSecret, " ", ""))
			if _, derr := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(strings.TrimRight(s, "=")); derr != nil {
				err = fe(at+".totp_secret", "not base32: "+derr.Error())
			}
		}
	case "command":
		err = need("command", t.Command, "a shell command that prints the code")
	case "smtp":
		if sinks == nil || sinks.SMTP == nil {
			err = fe(at+".source", "smtp needs sinks.smtp.listen: the address conform receives mail on")
		}
	case "webhook":
		if sinks == nil || sinks.Webhook == nil {
			err = fe(at+".source", "webhook needs sinks.webhook.listen: the address conform receives callbacks on")
		}
	case "":
		err = fe(at+".source", "required: one of static, totp, command, smtp, webhook")
	default:
		err = fe(at+".source", fmt.Sprintf("%q is not one of static, totp, command, smtp, webhook", t.Source))
	}
	if err != nil {
		return err
	}
	if t.Address == "" {
		t.Address = login
	}
	if t.Regex == "" {
		t.Regex = DefaultCodeRegex
	}
	if _, rerr := regexp.Compile(t.Regex); rerr != nil {
		// regexp's message quotes the expression raw, which may span lines.
		msg := rerr.Error()
		var re *syntax.Error
		if errors.As(rerr, &re) {
			msg = fmt.Sprintf("%s: %q", re.Code, re.Expr)
		}
		return fe(at+".regex", "not a regular expression: "+msg)
	}
	if t.Timeout < 0 {
		return fe(at+".timeout", "must be positive")
	}
	if t.Timeout == 0 {
		t.Timeout = 10 * time.Second
	}
	return nil
}

// DefaultCodeRegex finds a code of 4 to 8 digits standing alone.
const DefaultCodeRegex = `\b(\d{4,8})\b`
