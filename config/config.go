// Package config reads a target config: the YAML file that tells conform what a documented login
// API needs and that the documents leave open (test accounts, the endpoint that proves a token
// valid, the idle TTL, how to send from two client IPs).
//
// The file has one section per profile and one shared section for client addresses:
//
//	client_ips:               # optional; how per-IP specs send from distinct clients
//	  mode: source            # source (loopback source addresses) | header | none
//	  addresses: [127.0.0.2, 127.0.0.3]
//	lptracker:                # one section per profile that the target serves
//	  base_path: ""           # prefix before every documented path
//	  accounts:
//	    - {login: alice@example.com, password: ${ALICE_PASSWORD}}
//	    - {login: bob@example.com, password: bob-password-2}
//	  services: [conform-a, conform-b]
//	  probe: {method: GET, path: /projects}
//	  ttl: {idle: 24h, clock_hook: {method: POST, path: "/__conform/clock?advance={duration}"}}
//	flylogs:
//	  api_key: ${FLYLOGS_KEY} # doc 000: the company API key, basic-auth user on every request
//	  token: {header: token}  # where the session token goes: {header: H} | {query: Q} | {bearer: true}
//	  other_company_account: {login: eve@other.example, password: ${EVE}, api_key: ${EVE_KEY}}  # optional, doc 000
//	  accounts:
//	    - {login: carol@example.com, password: x, two_factor: {source: smtp, regex: 'code: (\d+)'}}
//	apikey:
//	  accounts: [{api_key: ${KEY}, api_secret: ${SECRET}}]
//	headers:                  # optional; sent on every request (a gateway key, a bypass header)
//	  X-Gateway-Key: ${GATEWAY_KEY}
//	sinks:                    # servers conform starts to receive 2FA codes sent out of band
//	  smtp: {listen: 127.0.0.1:2525}
//	  webhook: {listen: 127.0.0.1:8025}
//	instances:                # optional; base URLs of instances of one deployment, used in turn
//	  - http://10.0.0.5:8080
//	  - http://10.0.0.6:8080
//
// Which sections a file may have, and what each requires, refuses and defaults, is the
// Schema's: one Rules per document, declared in package profile.
//
// `${VAR}` in any value is replaced from the environment; an unset variable is an error, and
// so is one set but empty where the field is required. `$VAR` without braces is taken
// literally, with a warning (File.Warnings). An unknown field, a missing required field or a
// bad value is an error naming the file, the line and the field path (for example
// `target.yaml:7: lptracker.accounts[1].password: required`; a missing field takes the line of
// the mapping that lacks it).
//
// A command reads only what it uses (Use): the sections of the profiles it runs, and for
// `conform load` only what logs in and probes. The rest of the file is checked for shape
// (unknown fields, types) but its variables need not be set.
package config

import (
	"net/http"
	"time"
)

// File is a whole target config.
type File struct {
	// ClientIPs says how per-IP specs make requests that the target sees as coming from
	// distinct client addresses. Nil means: source addresses on a loopback target, else none.
	ClientIPs *ClientIPs `yaml:"client_ips"`

	// Sinks are the servers conform starts to receive the 2FA codes a target sends out of band
	// (doc 000: by email; doc 002: to the phone). Point the target's mailer or SMS gateway at
	// them. Needed only by accounts whose two_factor.source is smtp or webhook.
	Sinks *Sinks `yaml:"sinks"`

	// Headers are sent on every request to the target, specs and load alike, where the
	// request does not set the header itself: a gateway key, a staging bypass header. Values
	// may read ${VAR}; each is treated as a secret (masked in output).
	Headers map[string]string `yaml:"headers"`

	// Instances are the base URLs of several instances serving one deployment (pods behind
	// one load balancer). When set, conform sends its requests to them in turn, so a token
	// issued by one is used, logged out and expired on another; --target names the deployment
	// in reports. Empty: every request goes to --target.
	Instances []string `yaml:"instances"`

	// Sections are the profile sections by profile name.
	Sections map[string]*Profile `yaml:"-"`

	// order is the schema's profile order, for Present.
	order []string

	// Path is the file the config was read from, for messages; empty for a built-in config.
	Path string `yaml:"-"`

	// Warnings are what the file most likely got wrong without being invalid, such as
	// $VAR without braces (taken literally), in file order. The CLI prints them on stderr.
	Warnings []*FieldError `yaml:"-"`
}

// Profile is what a target tells conform about one profile it serves.
type Profile struct {
	// BasePath is put before every documented path, e.g. "/api" turns POST /login into
	// POST /api/login. Empty for a target that serves the profile at its root.
	BasePath string `yaml:"base_path"`

	// Accounts are existing users of the target. Specs that compare two users (per-IP rule,
	// /users/me returns the logged-in user) need at least two.
	Accounts []Account `yaml:"accounts"`

	// Services are doc 003 `service` names; at least two for the "any number of services from
	// one IP" spec. Default: conform-a, conform-b.
	Services []string `yaml:"services"`

	// Probe is a request that succeeds only with a valid token: how conform tells a live token
	// from a dead one. Doc 004 names GET /users/me; docs 000, 001 and 003 name none.
	Probe *Probe `yaml:"probe"`

	// TTL describes the target's idle token lifetime, for the TTL specs.
	TTL *TTL `yaml:"ttl"`

	// JWT gives what the jwt security specs need beyond the document.
	JWT *JWT `yaml:"jwt"`

	// APIKey is the company API key of doc 000 (flylogs), sent on every request as the
	// HTTP basic-auth user with an empty password (the document's `curl -u YOUR_API_KEY:`).
	// Required where the document says so (Rules.CompanyKey), refused elsewhere.
	APIKey string `yaml:"api_key"`

	// OtherCompanyAccount is an existing user of another company than api_key's, where the
	// document limits a login to "an existing user in your company" (Rules.OtherCompany, doc
	// 000): the spec that tries it with this company's key skips without it. Its api_key,
	// optional, is its own company's key: the spec that sends it on a login of this
	// company's user skips without it. Refused elsewhere; not read by `conform load`.
	OtherCompanyAccount *Account `yaml:"other_company_account"`

	// Token says how the session token travels on later requests where the document is
	// silent (Rules.TokenSilent: doc 000 flylogs, doc 001 apikey). Required there, refused for
	// the profiles whose documents say where it goes.
	Token *TokenPlacement `yaml:"token"`
}

// TokenPlacement is where a token goes on a request; exactly one field is set.
type TokenPlacement struct {
	// Header names a request header that carries the bare token, e.g. token.
	Header string `yaml:"header"`
	// Query names a query parameter that carries the token, e.g. token.
	Query string `yaml:"query"`
	// Bearer sends the token as `Authorization: Bearer TOKEN` (RFC 6750).
	Bearer bool `yaml:"bearer"`
}

// Sinks says where conform listens for codes a target sends.
type Sinks struct {
	// SMTP is a mail server that accepts every message and keeps it for the account whose
	// address it is sent to (two_factor.source smtp).
	SMTP *Sink `yaml:"smtp"`
	// Webhook is an HTTP server that accepts every POST, as an SMS gateway's callback would
	// receive it, and keeps the body (two_factor.source webhook).
	Webhook *Sink `yaml:"webhook"`
}

// Sink is one listening server.
type Sink struct {
	// Listen is host:port to listen on, e.g. 127.0.0.1:2525. Port 0 picks a free port, which
	// only suits a target that conform starts itself (the embedded reference).
	Listen string `yaml:"listen"`
}

// Account is one user of the target.
type Account struct {
	// Login is the user's login name or email (doc 003 `login`, doc 004 `email`).
	Login string `yaml:"login"`
	// Password is the user's password in clear text; prefer `${VAR}`.
	Password string `yaml:"password"`
	// APIKey and APISecret are doc 001's credentials (apikey profile, where they replace
	// login and password); prefer `${VAR}` for the secret.
	APIKey    string `yaml:"api_key"`
	APISecret string `yaml:"api_secret"`
	// TwoFactor, when set, says the account has 2FA on and how conform gets its codes
	// (flylogs, newapikey). Specs that need a user without 2FA use an account without it.
	TwoFactor *TwoFactor `yaml:"two_factor"`
}

// TwoFactor is how conform obtains an account's current 2FA code.
type TwoFactor struct {
	// Source is one of:
	//   static  - Code, a fixed code the target accepts for this test user
	//   totp    - RFC 6238 (30 s, SHA-1, 6 digits) from TOTPSecret
	//   command - Command run with `sh -c`; its output is the code. The environment carries
	//             CONFORM_ACCOUNT (the login), CONFORM_ADDRESS and CONFORM_PROFILE
	//   smtp    - the first mail to Address that reaches sinks.smtp after the request that
	//             triggered it; the code is Regex's first group in its body
	//   webhook - the first POST to sinks.webhook after that request whose body contains
	//             Address; the code is at JSONPath in the body, else Regex's first group
	Source string `yaml:"source"`
	// Code is the static code.
	Code string `yaml:"code"`
	// TOTPSecret is the base32 TOTP secret (the otpauth:// `secret`).
	TOTPSecret string `yaml:"totp_secret"`
	// Command prints the code on stdout, e.g. `printf 424242` or `oathtool --totp -b $SECRET`.
	Command string `yaml:"command"`
	// Address identifies the account's messages: the recipient of its mail (smtp), a string
	// its webhook bodies contain such as the phone number (webhook). Default: the login.
	Address string `yaml:"address"`
	// Regex extracts the code: its first group, else its whole match. Default \b(\d{4,8})\b.
	Regex string `yaml:"regex"`
	// JSONPath, for webhook, is a gjson path to the code in a JSON body, e.g. code.
	JSONPath string `yaml:"json_path"`
	// Timeout bounds the wait for a delivered code (smtp, webhook) or a command; default 10s.
	Timeout time.Duration `yaml:"timeout"`
}

// Probe is the request that proves a token valid.
type Probe struct {
	// Method is the HTTP method; default GET.
	Method string `yaml:"method"`
	// Path is relative to the profile's base path, and may carry a query string.
	Path string `yaml:"path"`
	// Body is sent as the request body, with Content-Type application/json when non-empty.
	Body string `yaml:"body"`
	// ValidStatus lists the HTTP statuses that mean "token accepted"; default any 2xx.
	ValidStatus []int `yaml:"valid_status"`
	// ValidJSON maps gjson paths to the values the body must hold for "token accepted", e.g.
	// {status: success}. Default for lptracker: {status: success} (doc 003's envelope).
	ValidJSON map[string]string `yaml:"valid_json"`
	// InvalidJSON maps gjson paths to values that mean "token refused" even on an accepted
	// status, for APIs that answer errors with HTTP 200. Default for newapikey:
	// {status: error} (doc 002's envelope).
	InvalidJSON map[string]string `yaml:"invalid_json"`
}

// TTL describes the target's idle token lifetime.
type TTL struct {
	// Idle is the idle lifetime: a token unused this long is invalid (doc 003: 24h).
	Idle time.Duration `yaml:"idle"`
	// ClockHook, when set, is a test-only request that advances the target's clock, so TTL
	// specs need no real wait. "{duration}" in its path or body is replaced by the duration
	// to advance, in Go syntax (e.g. 24h0m1s).
	ClockHook *Hook `yaml:"clock_hook"`
	// ExpiryGrace is how much real time the target may take to apply an expiry once the TTL
	// has passed (through the clock hook or a real wait) before a spec judges the token: a
	// server that evicts expired tokens by a periodic sweeper, rather than on use, is still
	// conforming. Default DefaultExpiryGrace; 0s for a target that checks expiry on use.
	ExpiryGrace *time.Duration `yaml:"expiry_grace"`
}

// DefaultExpiryGrace is ttl.expiry_grace when the config gives none: a sweep every second.
const DefaultExpiryGrace = time.Second

// Grace returns ExpiryGrace, or its default.
func (t *TTL) Grace() time.Duration {
	if t == nil || t.ExpiryGrace == nil {
		return DefaultExpiryGrace
	}
	return *t.ExpiryGrace
}

// Hook is a test-only request to the target.
type Hook struct {
	Method string `yaml:"method"`
	Path   string `yaml:"path"`
	Body   string `yaml:"body"`
}

// JWT gives the jwt security specs what a document cannot: the signing key.
type JWT struct {
	// Secret is the HS256 key of the target. With it conform mints an expired but correctly
	// signed token; without it the expired-token spec waits for the TTL or skips.
	Secret string `yaml:"secret"`
}

// ClientIPs says how to make requests from distinct client addresses.
type ClientIPs struct {
	// Mode is "source" (bind loopback source addresses; the target must be on loopback),
	// "header" (send Header with a distinct address; the target must trust it) or "none"
	// (per-IP specs skip).
	Mode string `yaml:"mode"`
	// Addresses are the client addresses to use, at least two; default 127.0.0.2, 127.0.0.3
	// in source mode and 203.0.113.2, 203.0.113.3 (TEST-NET-3) in header mode.
	Addresses []string `yaml:"addresses"`
	// Header is the header that carries the client address in header mode; default
	// X-Forwarded-For.
	Header string `yaml:"header"`
}

// Section returns the profile section by name, or nil when the file has none.
func (f *File) Section(profile string) *Profile {
	return f.Sections[profile]
}

// Present lists the profiles the file has a section for, in the schema's order: those the
// command uses (Use.Profiles), as the others are left out.
func (f *File) Present() []string {
	var out []string
	for _, p := range f.order {
		if f.Sections[p] != nil {
			out = append(out, p)
		}
	}
	return out
}

// HTTPHeader returns Headers as an http.Header, nil when there are none.
func (f *File) HTTPHeader() http.Header {
	if f == nil || len(f.Headers) == 0 {
		return nil
	}
	h := http.Header{}
	for k, v := range f.Headers {
		h.Set(k, v)
	}
	return h
}
