package load

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/conformhq/conform/client"
	"github.com/conformhq/conform/config"
	"github.com/conformhq/conform/fixtures"
	"github.com/conformhq/conform/profile"
	"github.com/conformhq/conform/redact"
	"github.com/conformhq/conform/reference"
)

// prepared is what every attack of a run shares: the target, its HTTP client and the prepared
// requests.
type prepared struct {
	o       Options
	doc     profile.Document
	profile *config.Profile
	base    string // target URL + base path
	url     string // target URL, for the report
	client  *http.Client
	stop    func() // stops the embedded reference; nil for a target
	notes   []string
	// redact masks the config's secrets (on the embedded reference, its accounts') in the
	// report, the results and errors.
	redact *redact.Redactor
	// urls are the targets' URLs masked, for the results: every result repeats one.
	urls map[string]string

	targets []vegeta.Target // sent round-robin
	// tagged: the targets are the validate scenario's sessions, in order, and OnAnswer gets
	// each answer with its session (tagSessions).
	tagged bool
	judge  func(code int, body []byte) string
	what   string // what success means, for the report

	// shape is the load shape of a --stages run (nil otherwise); hold, after its attack, the
	// report of its hold stages, on which the thresholds are judged.
	shape *shape
	hold  *Report
}

func (e *prepared) close() {
	e.client.CloseIdleConnections()
	if e.stop != nil {
		e.stop()
	}
}

// setup starts the embedded reference or checks the target, then prepares the scenario's
// requests (logging the validate scenario's sessions in).
func setup(ctx context.Context, o Options) (_ *prepared, err error) {
	doc, _ := profile.Get(o.Profile) // Normalize checked the name
	e := &prepared{o: o, doc: doc}
	defer func() {
		if err != nil && e.stop != nil {
			e.stop()
		}
		err = e.redact.Error(err)
	}()
	if o.Target == "" {
		if err := e.startReference(ctx); err != nil {
			return nil, err
		}
	} else {
		var notes []string
		e.redact, notes = redact.ForConfig(o.Config)
		e.notes = append(e.notes, notes...)
		e.url = strings.TrimSuffix(o.Target, "/")
		e.profile = o.Config.Section(o.Profile)
		if e.profile == nil {
			name := o.Config.Path
			if name == "" {
				name = "the config"
			}
			return nil, &OptionError{Option: "config", Msg: fmt.Sprintf("%s has no %s section", name, o.Profile)}
		}
		// A 2FA account cannot log in at load rates (its code is out of band): use the others.
		p := *e.profile
		p.Accounts = loadAccounts(e.profile)
		if len(p.Accounts) == 0 {
			return nil, &OptionError{Option: "config", Msg: fmt.Sprintf("%s.accounts has no account without two_factor: load logs in without 2FA codes", o.Profile)}
		}
		e.profile = &p
	}
	tg, err := client.New(client.Options{URL: e.url, Timeout: min(o.Timeout, 3*time.Second), ClientIPs: &config.ClientIPs{Mode: "none"}, Redactor: e.redact, Transport: o.transport()})
	if err != nil {
		return nil, &OptionError{Option: "target", Msg: err.Error()}
	}
	// A certificate problem is one line before anything is sent (the target preflight would
	// word it as an answer that is not HTTP).
	if err := preflightTLS(ctx, o, e.url); err != nil {
		return nil, err
	}
	if err := tg.Preflight(ctx); err != nil {
		return nil, err
	}
	if o.Target != "" {
		// An account that cannot log in is the config's to fix, in one line, before any load
		// (the embedded reference's synthetic accounts are conform's own).
		if err := doc.CheckAccounts(ctx, tg, o.Config.Section(o.Profile), o.Config.Path); err != nil && !errors.Is(err, profile.ErrThrottled) {
			return nil, err // a throttling target shows in the load's own results
		}
	}
	e.base = e.url + e.profile.BasePath
	e.client = newClient(o, e.url)

	switch o.Scenario {
	case "login":
		err = e.prepareLogin()
	case "validate":
		err = e.prepareValidate(ctx)
	}
	if err != nil {
		return nil, err
	}
	e.urls = make(map[string]string, len(e.targets))
	for _, t := range e.targets {
		e.urls[t.URL] = e.redact.String(t.URL)
	}
	if o.NoKeepAlive && o.Rate.To*60 > 28000 {
		e.notes = append(e.notes, fmt.Sprintf("without keep-alive every request leaves a socket in TIME_WAIT for about 60s: at %s the ephemeral ports (about 28k) run out within the minute", o.Rate))
	}
	return e, nil
}

// startReference serves the reference for the one profile on a free loopback port, with
// Users synthetic accounts and a client IP taken from X-Forwarded-For, so that each synthetic
// user can be a distinct client (doc 003 allows one user per IP).
func (e *prepared) startReference(ctx context.Context) error {
	users, passwords, err := reference.SyntheticUsers(e.o.Users, e.o.BcryptCost)
	if err != nil {
		return err
	}
	f, err := profile.Schema().ParseFor("fixtures/reference.yaml", fixtures.ReferenceConfig, os.LookupEnv, config.Use{Profiles: []string{e.o.Profile}, LoginOnly: true})
	if err != nil {
		return fmt.Errorf("embedded reference config: %w", err)
	}
	sec := f.Section(e.o.Profile)
	if sec == nil {
		return fmt.Errorf("embedded reference config has no %s section", e.o.Profile)
	}
	e.redact, _ = redact.ForConfig(f)
	e.redact.Add(distinct(passwords)...)
	p := *sec
	p.BasePath = "" // one profile is served at /
	p.Accounts = make([]config.Account, len(users))
	for i, u := range users {
		// Synthetic users' login is their email, and their API secret their password.
		p.Accounts[i] = config.Account{Login: u.Login, Password: passwords[i]}
		if e.doc.Config.Credentials == config.KeySecret {
			p.Accounts[i] = config.Account{APIKey: u.APIKey, APISecret: passwords[i]}
		}
	}
	url, stop, err := reference.Start(ctx, reference.Options{
		Profiles:          []string{e.o.Profile},
		Users:             users,
		BcryptCost:        e.o.BcryptCost,
		TrustForwardedFor: true,
	}, "127.0.0.1:0")
	if err != nil {
		return fmt.Errorf("start the embedded reference: %w", err)
	}
	e.url, e.stop, e.profile = url, stop, &p
	return nil
}

// vegetaTarget turns r into a vegeta.Target against the profile's base URL: the bytes the
// specs would send for the same request.
func (e *prepared) vegetaTarget(r client.Request) (vegeta.Target, error) {
	enc, err := r.Encode(e.base)
	if err != nil {
		return vegeta.Target{}, fmt.Errorf("request %s %s: %w", r.Method, r.Path, err)
	}
	if _, err := url.Parse(enc.URL); err != nil {
		return vegeta.Target{}, fmt.Errorf("request %s %s: %w", r.Method, r.Path, err)
	}
	e.o.transport().AddHeaders(enc.Header)
	return vegeta.Target{Method: enc.Method, URL: enc.URL, Body: enc.Body, Header: enc.Header}, nil
}

// withClientIP sets the session's X-Forwarded-For, when it has a client address.
func withClientIP(r *client.Request, ip string) {
	if ip == "" {
		return
	}
	if r.Header == nil {
		r.Header = http.Header{}
	}
	r.Header.Set("X-Forwarded-For", ip)
}

// clientIP is the X-Forwarded-For address of session i on the embedded reference.
func clientIP(i int) string { return fmt.Sprintf("10.%d.%d.%d", (i>>16)&255, (i>>8)&255, i&255+1) }

func (e *prepared) prepareLogin() error {
	n := len(e.profile.Accounts)
	if e.o.Target == "" {
		n = e.o.Users
	}
	lo, hi := e.o.Segment.users(n)
	if lo == hi {
		// Fewer accounts than segments: every share logs all of them in (a login of one
		// account from several generators is still a login).
		lo, hi = 0, n
		e.notes = append(e.notes, fmt.Sprintf("%d accounts for %d segments: every segment logs in all of them", n, e.o.Segment.Count))
	}
	for i := lo; i < hi; i++ {
		r := e.doc.Wire.Login(e.profile, e.profile.Accounts[i%len(e.profile.Accounts)], 0)
		if e.o.Target == "" {
			withClientIP(&r, clientIP(i))
		}
		t, err := e.vegetaTarget(r)
		if err != nil {
			return err
		}
		e.targets = append(e.targets, t)
	}
	wire := e.doc.Wire
	e.what = fmt.Sprintf("login answered a token (%s) in the documented shape", wire.TokenPath)
	e.judge = func(code int, body []byte) string {
		if _, why := wire.LoginToken(body); why != "" {
			return fmt.Sprintf("login answered HTTP %d without a token: %s", code, why)
		}
		return ""
	}
	return nil
}

// prepareValidate logs Users sessions in (not counted) and builds one probe per session.
//
// Doc 003 lets one user at a time be logged in from a client IP, so on a target conform logs
// one account in Users times with distinct service names ("from one IP address any number of
// services can be authorized"); on the embedded reference each synthetic user logs in from its
// own X-Forwarded-For address.
func (e *prepared) prepareValidate(ctx context.Context) error {
	oneAccount := e.doc.Wire.OneUserPerIP && e.o.Target != ""
	if oneAccount {
		e.notes = append(e.notes, fmt.Sprintf("doc %s allows one user per client IP: the %d sessions are one account (%s) with distinct services", e.doc.Number, e.o.Users, e.profile.Accounts[0].Login))
	}
	// A segment's sessions are its own range of the users, numbered globally: their client
	// addresses and doc 003's services never meet another segment's.
	lo, hi := e.o.Segment.users(e.o.Users)
	sessions := make([]Session, hi-lo)
	errs := make([]error, hi-lo)
	var wg sync.WaitGroup
	sem := make(chan struct{}, 8)
	for k := range sessions {
		i := lo + k
		acct := e.profile.Accounts[i%len(e.profile.Accounts)]
		if oneAccount {
			acct = e.profile.Accounts[0]
		}
		s := Session{Session: profile.Session{Account: acct}}
		if e.o.Target == "" {
			s.ClientIP = clientIP(i)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			s.Token, errs[k] = e.login(ctx, s, i)
			sessions[k] = s
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err // the first is enough: the others say the same
		}
	}
	probe := e.profile.Probe
	for _, s := range sessions {
		r := client.Request{Method: probe.Method, Path: probe.Path, Header: http.Header{}, Query: url.Values{}}
		if probe.Body != "" {
			r.Body = probe.Body
			r.Header.Set("Content-Type", "application/json")
		}
		e.doc.Wire.Place(e.profile, &r, s.Session)
		withClientIP(&r, s.ClientIP)
		t, err := e.vegetaTarget(r)
		if err != nil {
			return err
		}
		e.targets = append(e.targets, t)
	}
	e.what = fmt.Sprintf("probe %s %s accepted the token", probe.Method, probe.Path)
	e.judge = probe.Rule().Refusal
	if e.o.OnAnswer != nil {
		e.tagSessions()
	}
	return nil
}

// LoginError says the validate scenario could not log its sessions in: the target answered
// no token in the documented shape (the accounts logged in during the preflight, so it is the
// target's answer, not the config, that is wrong), or did not answer.
type LoginError struct {
	// Account is the login (or API key) of the session.
	Account string
	// Status is the HTTP status of the answer; 0 when there was none.
	Status int
	// Why says what the answer lacked, or why there was none.
	Why string
}

func (e *LoginError) Error() string {
	if e.Status == 0 {
		return fmt.Sprintf("validate: the sessions log in first, and %s's login got no answer: %s", e.Account, e.Why)
	}
	return fmt.Sprintf("validate: the sessions log in first, and %s's login answered HTTP %d without a token: %s", e.Account, e.Status, e.Why)
}

// login logs session s in and returns its token, taken only from an answer of the
// document's success shape (profile.Wire.LoginToken).
func (e *prepared) login(ctx context.Context, s Session, i int) (string, error) {
	r := e.doc.Wire.Login(e.profile, s.Account, i)
	withClientIP(&r, s.ClientIP)
	t, err := e.vegetaTarget(r)
	if err != nil {
		return "", err
	}
	req, err := http.NewRequestWithContext(ctx, t.Method, t.URL, bytes.NewReader(t.Body))
	if err != nil {
		return "", err
	}
	req.Header = t.Header.Clone()
	who := s.Account.Login
	if who == "" {
		who = s.Account.APIKey
	}
	resp, err := e.client.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return "", ctx.Err()
		}
		// Not err itself: its URL carries the credentials of a query login (doc 002).
		return "", &LoginError{Account: who, Why: noAnswer(err)}
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return "", &LoginError{Account: who, Status: resp.StatusCode, Why: "the answer could not be read: " + noAnswer(err)}
	}
	tok, why := e.doc.Wire.LoginToken(body)
	if why != "" {
		return "", &LoginError{Account: who, Status: resp.StatusCode, Why: why}
	}
	return tok, nil
}

// noAnswer is why a request got no answer, without the request's URL.
func noAnswer(err error) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	return err.Error()
}

// distinct returns ss without repeats, in order.
func distinct(ss []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range ss {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}
