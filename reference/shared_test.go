package reference

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"testing"

	"golang.org/x/crypto/bcrypt"

	"github.com/conformhq/conform/reference/store"
	"github.com/conformhq/conform/reference/store/redistest"
)

// TestInstancesShareSessionsThroughRedis runs two reference servers on one Redis, as a
// deployment behind a load balancer would: a token issued by one works on the other, and a
// logout on either ends it on both.
func TestInstancesShareSessionsThroughRedis(t *testing.T) {
	rc := redistest.Start(t)
	start := func() string {
		url, stop, err := Start(context.Background(), Options{Profiles: []string{"lptracker"}, Users: testUsers(),
			BcryptCost: bcrypt.MinCost, Store: store.NewRedis(rc, "conform-test:")}, "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(stop)
		return url
	}
	a, b := start(), start()
	do := func(method, url, token, body string) map[string]any {
		t.Helper()
		req, _ := http.NewRequest(method, url, bytes.NewBufferString(body))
		if token != "" {
			req.Header.Set("token", token)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var out map[string]any
		json.NewDecoder(resp.Body).Decode(&out)
		return out
	}
	login := do("POST", a+"/login", "", `{"login":"alice@example.com","password":"alice-password-1","service":"s","version":"1.0"}`)
	tok, _ := login["result"].(map[string]any)["token"].(string)
	if tok == "" {
		t.Fatalf("login on instance a: %v", login)
	}
	if got := do("GET", b+"/projects", tok, ""); got["status"] != "success" {
		t.Fatalf("instance b refused a's token: %v", got)
	}
	if got := do("POST", b+"/logout", tok, ""); got["status"] != "success" {
		t.Fatalf("logout on b: %v", got)
	}
	if got := do("GET", a+"/projects", tok, ""); got["status"] == "success" {
		t.Fatal("instance a still accepts the token logged out on b")
	}
}
