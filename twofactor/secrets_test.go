package twofactor

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/conformhq/conform/config"
)

// recorder is a Secrets that remembers what it learned.
type recorder struct {
	mu  sync.Mutex
	got []string
}

func (r *recorder) Add(s ...string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.got = append(r.got, s...)
	return true
}

func (r *recorder) has(s string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Contains(r.got, s)
}

// TestCodesBecomeSecretsWhenRead checks that a code read from a sink, and a computed one, is a
// secret before the caller can send or print it.
func TestCodesBecomeSecretsWhenRead(t *testing.T) {
	sinks, err := Start(context.Background(), &config.Sinks{Webhook: &config.Sink{Listen: "127.0.0.1:0"}})
	if err != nil {
		t.Fatal(err)
	}
	defer sinks.Close()
	rec := &recorder{}
	sinks.Secrets = rec
	src, err := For(account(config.TwoFactor{Source: "webhook", Address: "+15550100004", JSONPath: "code"}), "newapikey", sinks)
	if err != nil {
		t.Fatal(err)
	}
	mark := src.Mark(context.Background())
	resp, err := http.Post(sinks.Webhook.URL(), "application/json", strings.NewReader(`{"to":"+15550100004","code":"987654"}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if c := code(t, src, mark); c != "987654" || !rec.has("987654") {
		t.Errorf("code %q; learned %q", c, rec.got)
	}
	if !src.Delivered() {
		t.Error("a webhook source no longer says it is delivered")
	}
	static, _ := For(account(config.TwoFactor{Source: "static", Code: "424242"}), "flylogs", sinks)
	if c := code(t, static, 0); !rec.has(c) {
		t.Errorf("static code %q not learned", c)
	}
}
