package client

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/conformhq/conform/config"
)

func TestInstancesTakeRequestsInTurn(t *testing.T) {
	var urls []string
	for _, name := range []string{"one", "two"} {
		s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { io.WriteString(w, name) }))
		t.Cleanup(s.Close)
		urls = append(urls, s.URL)
	}
	c, err := New(Options{URL: urls[0], Instances: urls, ClientIPs: &config.ClientIPs{Mode: "none"}})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Preflight(context.Background()); err != nil {
		t.Fatal(err)
	}
	var got, by []string
	for range 4 {
		resp, err := c.Do(context.Background(), Request{Method: "GET", Path: "/x"})
		if err != nil {
			t.Fatal(err)
		}
		got, by = append(got, string(resp.Body)), append(by, resp.Instance)
	}
	if want := []string{"one", "two", "one", "two"}; !slices.Equal(got, want) {
		t.Errorf("answers %v, want %v", got, want)
	}
	if want := []string{urls[0], urls[1], urls[0], urls[1]}; !slices.Equal(by, want) {
		t.Errorf("Instance %v, want %v", by, want)
	}
}

func TestInstancePreflightNamesTheDeadOne(t *testing.T) {
	s := httptest.NewServer(http.NotFoundHandler())
	t.Cleanup(s.Close)
	dead := httptest.NewServer(http.NotFoundHandler())
	dead.Close()
	c, err := New(Options{URL: s.URL, Instances: []string{s.URL, dead.URL}, ClientIPs: &config.ClientIPs{Mode: "none"}})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Preflight(context.Background()); err == nil || !strings.Contains(err.Error(), "instance "+dead.URL) {
		t.Errorf("Preflight = %v, want it to name instance %s", err, dead.URL)
	}
	if _, err := New(Options{URL: s.URL, Instances: []string{"ftp://x"}}); err == nil {
		t.Error("an ftp instance was accepted")
	}
}
