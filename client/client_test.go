package client

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/conformhq/conform/redact"
)

func TestDoHonoursRetryAfterOn429(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) == 1 {
			w.Header().Set("Retry-After", "0")
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		w.Write([]byte(`{"ok":true}`))
	}))
	defer srv.Close()
	tg, err := New(Options{URL: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	resp, err := tg.Do(context.Background(), Request{Path: "/x"})
	if err != nil {
		t.Fatal(err)
	}
	if resp.Status != 200 || calls.Load() != 2 {
		t.Fatalf("status %d after %d calls, want 200 after 2", resp.Status, calls.Load())
	}
}

func TestDoGivesUpOn429PastTheBound(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "120")
		w.WriteHeader(http.StatusTooManyRequests)
	}))
	defer srv.Close()
	tg, _ := New(Options{URL: srv.URL, MaxRetryWait: time.Second})
	resp, err := tg.Do(context.Background(), Request{Path: "/x"})
	if err != nil {
		t.Fatal(err)
	}
	if resp.Status != http.StatusTooManyRequests {
		t.Fatalf("status %d, want the 429 passed on to the spec", resp.Status)
	}
}

func TestTranscriptMasksSecretsAndRendersCurl(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(`{"echo":"hunter2"}`))
	}))
	defer srv.Close()
	tg, _ := New(Options{URL: srv.URL, Redactor: redact.New("hunter2")})
	_, err := tg.Do(context.Background(), Request{Method: "POST", Path: "/login", JSON: map[string]string{"password": "hunter2", "q": "it's"}, Header: http.Header{"token": {"abc"}}})
	if err != nil {
		t.Fatal(err)
	}
	ex := tg.Transcript().Exchanges()
	if len(ex) != 1 {
		t.Fatalf("%d exchanges", len(ex))
	}
	text, curl := ex[0].String(), ex[0].Curl()
	for _, s := range []string{text, curl} {
		if strings.Contains(s, "hunter2") {
			t.Errorf("secret not masked in:\n%s", s)
		}
	}
	for _, want := range []string{"curl -sS -i -X POST", "-H 'token: abc'", `'\''`, "--data-raw", srv.URL + "/login"} {
		if !strings.Contains(curl, want) {
			t.Errorf("curl line lacks %q: %s", want, curl)
		}
	}
}

func TestPreflightUnreachableIsQuickAndClear(t *testing.T) {
	tg, _ := New(Options{URL: "http://127.0.0.1:1"})
	start := time.Now()
	err := tg.Preflight(context.Background())
	var ue *UnreachableError
	if !errors.As(err, &ue) {
		t.Fatalf("got %v, want UnreachableError", err)
	}
	if took := time.Since(start); took > 4*time.Second {
		t.Errorf("preflight took %s", took)
	}
	if msg := err.Error(); !strings.Contains(msg, "127.0.0.1:1") || !strings.Contains(msg, "refused") || strings.Contains(msg, "\n") {
		t.Errorf("message should be one line naming the URL and cause: %q", msg)
	}
}

func TestSourceAddressIsBound(t *testing.T) {
	var seen atomic.Value
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen.Store(r.RemoteAddr)
	}))
	defer srv.Close()
	tg, _ := New(Options{URL: srv.URL})
	if _, err := tg.Do(context.Background(), Request{Path: "/", From: "127.0.0.3"}); err != nil {
		t.Skipf("cannot bind 127.0.0.3 here: %v", err)
	}
	if got := seen.Load().(string); !strings.HasPrefix(got, "127.0.0.3:") {
		t.Fatalf("server saw %s, want 127.0.0.3", got)
	}
}

func TestHeaderModeSendsTheAddress(t *testing.T) {
	var seen atomic.Value
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen.Store(r.Header.Get("X-Forwarded-For"))
	}))
	defer srv.Close()
	tg, _ := New(Options{URL: srv.URL, ClientIPs: &clientIPsHeader})
	if _, err := tg.Do(context.Background(), Request{Path: "/", From: "203.0.113.9"}); err != nil {
		t.Fatal(err)
	}
	if got := seen.Load().(string); got != "203.0.113.9" {
		t.Fatalf("X-Forwarded-For %q", got)
	}
}

func TestRetryAfterForms(t *testing.T) {
	if d := retryAfter("2"); d != 2*time.Second {
		t.Errorf("seconds: %s", d)
	}
	if d := retryAfter("soon"); d != time.Second {
		t.Errorf("bad value: %s", d)
	}
	if d := retryAfter(time.Now().Add(-time.Hour).UTC().Format(http.TimeFormat)); d != 0 {
		t.Errorf("past date: %s", d)
	}
}
