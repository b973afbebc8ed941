package suites

import (
	"context"
	"fmt"

	"conform/config"
	"conform/fixtures"
	"conform/reference"
	"conform/target"
)

// binding is a run's target: its config, the selected profiles, the client, and how to stop
// the embedded reference when there is one.
type binding struct {
	cfg      *config.File
	profiles []string
	target   *target.Target
	embedded bool
	stop     func()
}

// bind resolves the target: the one named by --target with its --config, or the embedded
// reference with the built-in config.
func bind(ctx context.Context, o Options) (*binding, error) {
	b := &binding{stop: func() {}}
	var err error
	url := o.Target
	if url == "" {
		if o.ConfigPath != "" {
			return nil, usage("--config is for --target: the embedded reference uses its own config (fixtures/reference.yaml)")
		}
		b.embedded = true
		if b.cfg, err = config.Parse("fixtures/reference.yaml (built in)", fixtures.ReferenceConfig, func(string) (string, bool) { return "", false }); err != nil {
			return nil, fmt.Errorf("built-in config: %w", err)
		}
	} else {
		if o.ConfigPath == "" {
			return nil, usage("--target needs --config FILE: the target config gives accounts and what the documents leave open (see fixtures/*.example.yaml)")
		}
		if b.cfg, err = config.Load(o.ConfigPath); err != nil {
			return nil, &UsageError{Err: err}
		}
	}
	if b.profiles, err = selectProfiles(o.Profiles, b.cfg, b.embedded); err != nil {
		return nil, err
	}
	if b.embedded {
		if url, b.stop, err = startEmbedded(ctx, b.cfg.Present()); err != nil {
			return nil, err
		}
	}
	var secrets []string
	for _, p := range b.profiles {
		for _, a := range b.cfg.Section(p).Accounts {
			secrets = append(secrets, a.Password)
		}
	}
	b.target, err = target.New(target.Options{URL: url, Timeout: o.Timeout, ClientIPs: b.cfg.ClientIPs, Secrets: secrets})
	if err != nil {
		b.stop()
		return nil, &UsageError{Err: err}
	}
	return b, nil
}

// startEmbedded serves the reference on a free loopback port with its test clock on, so the
// TTL specs advance time instead of waiting for it. It serves every profile of the built-in
// config, each under its base path, whichever profiles the run selects.
func startEmbedded(ctx context.Context, profiles []string) (string, func(), error) {
	users, err := reference.DefaultUsers()
	if err != nil {
		return "", nil, fmt.Errorf("embedded reference: %w", err)
	}
	url, stop, err := reference.Start(ctx, reference.Options{Profiles: profiles, Users: users, TestClock: true}, "127.0.0.1:0")
	if err != nil {
		return "", nil, fmt.Errorf("embedded reference: %w", err)
	}
	return url, stop, nil
}
