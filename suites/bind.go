package suites

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/conformhq/conform/client"
	"github.com/conformhq/conform/config"
	"github.com/conformhq/conform/fixtures"
	"github.com/conformhq/conform/profile"
	"github.com/conformhq/conform/redact"
	"github.com/conformhq/conform/reference"
	"github.com/conformhq/conform/repro"
	"github.com/conformhq/conform/specs/env"
	"github.com/conformhq/conform/twofactor"
)

// binding is a run's target: its config, the selected profiles, the client, and how to stop
// the embedded reference when there is one.
type binding struct {
	cfg      *config.File
	profiles []string
	client   *client.Client
	embedded bool
	// jwtKey is the embedded reference's JWT key, also in the config's jwt section.
	jwtKey string
	// redact masks the config's secrets, and the 2FA codes read during the run, in everything
	// the run writes; notes name the secrets too short to mask.
	redact *redact.Redactor
	notes  []string
	// sinks receive the 2FA codes the target sends (smtp, webhook); empty when the config
	// asks for none.
	sinks *twofactor.Sinks
	// vars name the environment variables reproducer scripts read the secrets from.
	vars *repro.Vars
	// proofs are the config values that proved right against the target so far in the run,
	// both passes of a run under load: one that later stops working is the target changing.
	proofs *env.Proofs
	// judge, while the pass under load runs, collects what the specs send that may end the
	// load's sessions; judgeFrom is when the running spec's transcript began.
	judge     *answerJudge
	judgeFrom time.Time
	stop      func()
}

// bind resolves the target: the one named by --target with its --config, or the embedded
// reference with the built-in config.
func bind(ctx context.Context, o Options) (*binding, error) {
	b := &binding{stop: func() {}, proofs: &env.Proofs{}}
	var err error
	url := o.Target
	if url == "" {
		if o.ConfigPath != "" {
			return nil, usage("--config is for --target: the embedded reference uses its own config (fixtures/reference.yaml)")
		}
		b.embedded = true
		if b.cfg, err = profile.Schema().Parse("fixtures/reference.yaml (built in)", fixtures.ReferenceConfig, func(string) (string, bool) { return "", false }); err != nil {
			return nil, fmt.Errorf("built-in config: %w", err)
		}
		// The embedded reference signs its JWTs with a key of this run, which the config
		// gives the specs that mint tokens (the signing-key profile's jwt.secret), as a
		// target's owner would.
		if b.jwtKey, err = newJWTKey(); err != nil {
			return nil, fmt.Errorf("embedded reference: %w", err)
		}
		for name, sec := range b.cfg.Sections {
			if d, ok := profile.Get(name); ok && d.Config.SigningKey && sec != nil {
				sec.JWT = &config.JWT{Secret: b.jwtKey}
			}
		}
	} else {
		if o.ConfigPath == "" {
			// An unreachable target is the first thing to fix, so say that before asking for
			// the config.
			if t, err := client.New(client.Options{URL: url, Timeout: o.Timeout, Transport: o.Transport}); err == nil {
				if err := t.Preflight(ctx); err != nil {
					return nil, err
				}
			}
			return nil, usage("--target needs --config FILE: the target config gives accounts and what the documents leave open (see fixtures/*.example.yaml)")
		}
		// Only the sections the run may select are read from the environment; which of them
		// it runs is decided below, from the ones the file has.
		use := config.Use{Profiles: o.Profiles}
		if len(use.Profiles) == 0 {
			use.Profiles = Available()
		}
		if b.cfg, err = profile.Schema().LoadFor(o.ConfigPath, use); err != nil {
			return nil, &UsageError{Err: err}
		}
		warn := o.Err
		if warn == nil {
			warn = o.Out
		}
		for _, w := range b.cfg.Warnings {
			fmt.Fprintf(warn, "conform: warning: %s\n", w)
		}
	}
	b.redact, b.notes = redact.ForConfig(b.cfg)
	if b.profiles, err = selectProfiles(o.Profiles, b.cfg, b.embedded); err != nil {
		return nil, err
	}
	if b.embedded {
		// The embedded reference delivers codes to sinks on free ports, whatever ports the
		// built-in config names (those are for `conform serve`).
		b.cfg.Sinks = &config.Sinks{SMTP: &config.Sink{Listen: "127.0.0.1:0"}, Webhook: &config.Sink{Listen: "127.0.0.1:0"}}
	}
	if b.sinks, err = twofactor.Start(ctx, neededSinks(b.cfg, b.profiles)); err != nil {
		return nil, &UsageError{Err: fmt.Errorf("start the 2FA code sinks of %s: %w", b.cfg.Path, err)}
	}
	b.vars = repro.ForConfig(b.cfg)
	b.sinks.Secrets = learnBoth{b.redact, b.vars}
	b.stop = b.sinks.Close
	if b.embedded {
		stopRef := func() {}
		if url, stopRef, err = startEmbedded(ctx, b.cfg.Present(), b.sinks, b.jwtKey); err != nil {
			b.sinks.Close()
			return nil, err
		}
		b.stop = func() { stopRef(); b.sinks.Close() }
	}
	tr := o.Transport
	tr.Header = b.cfg.HTTPHeader()
	b.client, err = client.New(client.Options{URL: url, Timeout: o.Timeout, ClientIPs: b.cfg.ClientIPs, Redactor: b.redact, Replay: b.vars, Transport: tr, Instances: b.cfg.Instances})
	if err != nil {
		b.stop()
		return nil, &UsageError{Err: err}
	}
	return b, nil
}

// neededSinks is the part of the config's sinks that the selected profiles' accounts use, so
// that a run of other profiles does not take their ports.
func neededSinks(cfg *config.File, profiles []string) *config.Sinks {
	if cfg.Sinks == nil {
		return nil
	}
	out := &config.Sinks{}
	for _, p := range profiles {
		for _, a := range cfg.Section(p).Accounts {
			if a.TwoFactor == nil {
				continue
			}
			switch a.TwoFactor.Source {
			case "smtp":
				out.SMTP = cfg.Sinks.SMTP
			case "webhook":
				out.Webhook = cfg.Sinks.Webhook
			}
		}
	}
	return out
}

// startEmbedded serves the reference on a free loopback port with its test clock on, so the
// TTL specs advance time instead of waiting for it, mailing and texting its 2FA codes to the
// run's sinks, and remembering the outcome of each secret it checked, so that the specs'
// hundred-odd valid logins of the same accounts, and the same wrong secrets sent by spec after
// spec, do not each cost a bcrypt (each first check does). It serves every profile of the
// built-in config, each under its base path, whichever profiles the run selects.
func startEmbedded(ctx context.Context, profiles []string, sinks *twofactor.Sinks, jwtKey string) (string, func(), error) {
	users, err := reference.DefaultUsers()
	if err != nil {
		return "", nil, fmt.Errorf("embedded reference: %w", err)
	}
	url, stop, err := reference.Start(ctx, ReferenceOptions(reference.Options{Profiles: profiles, Users: users, TestClock: true, CacheVerifiedSecrets: true, JWTSecret: []byte(jwtKey)}, sinks), "127.0.0.1:0")
	if err != nil {
		return "", nil, fmt.Errorf("embedded reference: %w", err)
	}
	return url, stop, nil
}

// ReferenceOptions points o's code delivery at the running sinks: mail to the SMTP sink, SMS
// callbacks to the webhook sink. It is how the embedded run wires the reference, and how
// conform's own tests wire a reference they start.
func ReferenceOptions(o reference.Options, sinks *twofactor.Sinks) reference.Options {
	if sinks != nil && sinks.SMTP != nil {
		o.SMTPAddr = sinks.SMTP.Addr()
	}
	if sinks != nil && sinks.Webhook != nil {
		o.SMSWebhookURL = sinks.Webhook.URL()
	}
	return o
}

// learnBoth passes the 2FA codes a run reads to the redactor (to mask them) and to the
// reproducers' variables (to ask for them).
type learnBoth [2]twofactor.Secrets

func (l learnBoth) Add(codes ...string) bool {
	ok := l[0].Add(codes...)
	l[1].Add(codes...)
	return ok
}

// noteActivity gives the pass under load's judge what the specs sent since judgeFrom (the
// transcript, before it is reset for the next spec: a spec's cleanups, which run after its
// AfterEach, included), and starts the next stretch.
func (b *binding) noteActivity() {
	if b.judge != nil && !b.judgeFrom.IsZero() {
		ex := b.client.Transcript().Exchanges()
		b.judge.spec(b.judgeFrom, time.Now(), ex, len(ex) > 0 && ex[0].Dropped > 0)
	}
	b.judgeFrom = time.Now()
}

// newJWTKey is a random HS256 key (256 bits, hex), for the embedded reference.
func newJWTKey() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("JWT key: %w", err)
	}
	return hex.EncodeToString(b), nil
}
