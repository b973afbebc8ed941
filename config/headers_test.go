package config_test

import (
	"strings"
	"testing"

	"github.com/conformhq/conform/profile"
)

// TestHeaders reads headers with ${VAR} from the environment and refuses a bad name.
func TestHeaders(t *testing.T) {
	env := func(k string) (string, bool) { return map[string]string{"GW": "gateway-key-1"}[k], k == "GW" }
	f, err := profile.Schema().Parse("t.yaml", []byte("headers: {X-Gateway-Key: '${GW}'}\njwt:\n  accounts: [{login: a@b.c, password: pw-1234}, {login: d@b.c, password: pw-5678}]\n"), env)
	if err != nil {
		t.Fatal(err)
	}
	if got := f.HTTPHeader().Get("X-Gateway-Key"); got != "gateway-key-1" {
		t.Errorf("header %q", got)
	}
	_, err = profile.Schema().Parse("t.yaml", []byte("headers: {'X Bad': v}\njwt:\n  accounts: [{login: a@b.c, password: pw-1234}]\n"), env)
	if err == nil || !strings.Contains(err.Error(), "headers.X Bad: not a valid header name") {
		t.Errorf("bad name: %v", err)
	}
}
