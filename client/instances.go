package client

import (
	"context"
	"fmt"
	"net/url"
	"strings"
)

// instances are the base URLs of several instances serving one deployment, used in turn:
// a token one instance issued is then used, logged out and expired on another, which is
// where a deployment that keeps sessions, per-IP tables or 2FA codes in one process's memory
// breaks. Empty: every request goes to the target.
type instances struct {
	urls []string
}

// parseInstances checks each base URL as New checks the target's.
func parseInstances(raw []string) (instances, error) {
	var in instances
	for _, s := range raw {
		u, err := url.Parse(s)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return instances{}, fmt.Errorf("instance %q is not an http(s) URL like http://127.0.0.1:8080", s)
		}
		in.urls = append(in.urls, strings.TrimSuffix(u.String(), "/"))
	}
	return in, nil
}

// Instances returns the instances' base URLs, nil when the target is one instance.
func (t *Client) Instances() []string { return t.inst.urls }

// nextBase is the base URL of the next request: the target's, or with instances, the next
// instance in turn.
func (t *Client) nextBase() string {
	if len(t.inst.urls) == 0 {
		return t.base.String()
	}
	return t.inst.urls[(t.turn.Add(1)-1)%uint64(len(t.inst.urls))]
}

// preflightInstances proves every instance answers, as Preflight does the target.
func (t *Client) preflightInstances(ctx context.Context) error {
	for _, u := range t.inst.urls {
		one, err := New(Options{URL: u, Timeout: t.opts.Timeout, ClientIPs: &t.ips, Redactor: t.redact})
		if err != nil {
			return err
		}
		if err := one.Preflight(ctx); err != nil {
			return fmt.Errorf("instance %s: %w", u, err)
		}
	}
	return nil
}
