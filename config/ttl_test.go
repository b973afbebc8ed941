package config_test

import (
	"github.com/conformhq/conform/config"
	"strings"
	"testing"
	"time"
)

func TestExpiryGraceDefaultsAndBounds(t *testing.T) {
	if g := (*config.TTL)(nil).Grace(); g != config.DefaultExpiryGrace {
		t.Errorf("nil TTL: grace %s", g)
	}
	zero := time.Duration(0)
	if g := (&config.TTL{Idle: time.Hour, ExpiryGrace: &zero}).Grace(); g != 0 {
		t.Errorf("expiry_grace 0s: grace %s", g)
	}
	for _, c := range []struct{ yaml, err string }{
		{"ttl: {idle: 24h, expiry_grace: 250ms}", ""},
		{"ttl: {idle: 24h, expiry_grace: -1s}", "ttl.expiry_grace"},
		{"ttl: {idle: 24h, expiry_grace: 2m}", "ttl.expiry_grace"},
	} {
		src := "lptracker:\n  accounts: [{login: a@b.c, password: pw}]\n  probe: {method: GET, path: /projects}\n  " + c.yaml + "\n"
		_, err := schema.Parse("t.yaml", []byte(src), env(nil))
		if (err == nil) != (c.err == "") || err != nil && !strings.Contains(err.Error(), c.err) {
			t.Errorf("%s: err %v, want %q", c.yaml, err, c.err)
		}
	}
}
