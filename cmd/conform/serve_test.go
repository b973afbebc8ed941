package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestServeTLSFlags: the TLS flags that cannot go together, or name files that do not hold a
// certificate and key, are one usage line each; --tls-self-signed writes the certificate.
func TestServeTLSFlags(t *testing.T) {
	bad := filepath.Join(t.TempDir(), "bad.pem")
	if err := os.WriteFile(bad, []byte("not a PEM"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		f    serveFlags
		want string
	}{
		{serveFlags{tlsCert: "c.pem"}, "go together"},
		{serveFlags{tlsKey: "k.pem"}, "go together"},
		{serveFlags{tlsSelfSigned: true, tlsCert: "c.pem", tlsKey: "k.pem"}, "without --tls-cert"},
		{serveFlags{tlsCert: bad, tlsKey: bad}, "--tls-cert " + bad},
	} {
		_, _, err := tc.f.tlsConfig()
		if err == nil || !strings.Contains(err.Error(), tc.want) || !is[*usageError](err) {
			t.Errorf("%+v: %v; want a usage error mentioning %q", tc.f, err, tc.want)
		}
	}
	f := serveFlags{tlsSelfSigned: true}
	cfg, path, err := f.tlsConfig()
	if err != nil || cfg == nil || len(cfg.Certificates) != 1 {
		t.Fatalf("--tls-self-signed: %v", err)
	}
	defer os.RemoveAll(filepath.Dir(path))
	if data, err := os.ReadFile(path); err != nil || !strings.HasPrefix(string(data), "-----BEGIN CERTIFICATE-----") {
		t.Errorf("%s: %v %q", path, err, data)
	}
}
