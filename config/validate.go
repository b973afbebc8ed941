package config

import (
	"fmt"
	"net"
	"strings"
)

// normalize fills defaults and checks what each profile section needs, naming the field.
func (f *File) normalize() error {
	if len(f.Present()) == 0 {
		return &FieldError{File: f.Path, Msg: "no profile section: give at least one of " + strings.Join(Profiles(), ", ")}
	}
	if err := f.ClientIPs.normalize(f.Path); err != nil {
		return err
	}
	for _, name := range f.Present() {
		if err := f.Section(name).normalize(f.Path, name); err != nil {
			return err
		}
	}
	return nil
}

func (c *ClientIPs) normalize(file string) error {
	if c == nil {
		return nil
	}
	switch c.Mode {
	case "source", "header", "none":
	case "":
		c.Mode = "source"
	default:
		return &FieldError{File: file, Field: "client_ips.mode", Msg: fmt.Sprintf("%q is not one of source, header, none", c.Mode)}
	}
	if c.Mode == "header" && c.Header == "" {
		c.Header = "X-Forwarded-For"
	}
	for i, a := range c.Addresses {
		ip := net.ParseIP(a)
		if ip == nil {
			return &FieldError{File: file, Field: fmt.Sprintf("client_ips.addresses[%d]", i), Msg: fmt.Sprintf("%q is not an IP address", a)}
		}
		if c.Mode == "source" && !ip.IsLoopback() {
			return &FieldError{File: file, Field: fmt.Sprintf("client_ips.addresses[%d]", i),
				Msg: fmt.Sprintf("%s is not a loopback address: source mode binds local addresses, which only works for 127.0.0.0/8", a)}
		}
	}
	if c.Mode != "none" && len(c.Addresses) == 1 {
		return &FieldError{File: file, Field: "client_ips.addresses", Msg: "give at least two addresses (per-IP specs compare two clients)"}
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

// probeDefaults holds what a document names as the token check, where it names one.
var probeDefaults = map[string]Probe{
	// Doc 004: "GET /users/me - returns the logged in user's object".
	"jwt": {Method: "GET", Path: "/users/me"},
}

func (p *Profile) normalize(file, name string) error {
	fe := func(field, msg string) error {
		return &FieldError{File: file, Field: name + "." + field, Msg: msg}
	}
	if p.BasePath != "" && !strings.HasPrefix(p.BasePath, "/") {
		return fe("base_path", fmt.Sprintf("%q must start with /", p.BasePath))
	}
	p.BasePath = strings.TrimSuffix(p.BasePath, "/")
	if len(p.Accounts) == 0 {
		return fe("accounts", "required: give at least one existing user (two for the per-user specs)")
	}
	for i, a := range p.Accounts {
		if a.Login == "" {
			return fe(fmt.Sprintf("accounts[%d].login", i), "required")
		}
		if a.Password == "" {
			return fe(fmt.Sprintf("accounts[%d].password", i), "required")
		}
	}
	if name == "lptracker" && len(p.Services) == 0 {
		p.Services = []string{"conform-a", "conform-b"}
	}
	if p.Probe == nil {
		d, ok := probeDefaults[name]
		if !ok {
			return fe("probe", "required: the document names no request that proves a token valid; give one, e.g. {method: GET, path: /projects}")
		}
		p.Probe = &d
	}
	if p.Probe.Method == "" {
		p.Probe.Method = "GET"
	}
	if !strings.HasPrefix(p.Probe.Path, "/") {
		return fe("probe.path", fmt.Sprintf("%q must start with /", p.Probe.Path))
	}
	for i, s := range p.Probe.ValidStatus {
		if s < 100 || s > 599 {
			return fe(fmt.Sprintf("probe.valid_status[%d]", i), fmt.Sprintf("%d is not an HTTP status", s))
		}
	}
	if p.Probe.ValidJSON == nil && name == "lptracker" {
		// Doc 003's envelope: every answer carries status success or error.
		p.Probe.ValidJSON = map[string]string{"status": "success"}
	}
	if t := p.TTL; t != nil {
		if t.Idle <= 0 {
			return fe("ttl.idle", "required and positive when ttl is given, e.g. 24h")
		}
		if h := t.ClockHook; h != nil {
			if h.Method == "" {
				h.Method = "POST"
			}
			if !strings.HasPrefix(h.Path, "/") {
				return fe("ttl.clock_hook.path", fmt.Sprintf("%q must start with /", h.Path))
			}
		}
	}
	if p.JWT != nil && name != "jwt" {
		return fe("jwt", "only the jwt profile uses this section")
	}
	return nil
}
