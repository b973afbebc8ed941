package profile_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/conformhq/conform/client"
	"github.com/conformhq/conform/config"
	"github.com/conformhq/conform/profile"
)

// perIPTarget is a doc 003 target from one client address that refuses a second user while
// the first is logged in (one reading of doc 003), answering its token as tokenAnswer puts it.
func perIPTarget(t *testing.T, tokenAnswer func(tok string) string) (*httptest.Server, *string) {
	current := new(string)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/login":
			var body struct{ Login, Password string }
			_ = json.NewDecoder(r.Body).Decode(&body)
			if body.Password != "p" || *current != "" && *current != body.Login {
				io.WriteString(w, `{"status": "error", "errors": [{"code": 401, "message": "refused"}]}`)
				return
			}
			*current = body.Login
			io.WriteString(w, tokenAnswer("tok-"+body.Login))
		case "/logout":
			if r.Header.Get("token") == "tok-"+*current {
				*current = ""
			}
			io.WriteString(w, `{"status": "success", "result": true}`)
		case "/projects":
			if r.Header.Get("token") == "" || r.Header.Get("token") != "tok-"+*current {
				io.WriteString(w, `{"status": "error", "errors": [{"code": 401, "message": "no"}]}`)
				return
			}
			io.WriteString(w, `{"status": "success", "result": []}`)
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	return srv, current
}

func lpSection(probePath string) *config.Profile {
	return &config.Profile{Services: []string{"conform-a"}, Accounts: []config.Account{{Login: "a", Password: "p"}, {Login: "b", Password: "p"}},
		Probe: &config.Probe{Method: "GET", Path: probePath, ValidJSON: map[string]string{"status": "success"}}}
}

// TestTheCheckEndsASessionWhoseTokenIsElsewhere: a login answer whose token is not where doc 003
// puts it is the target's failure, for the specs; the check still ends that session with the
// token it finds elsewhere, so the second account is not refused by the one-user-per-IP rule
// and called a wrong password.
func TestTheCheckEndsASessionWhoseTokenIsElsewhere(t *testing.T) {
	srv, current := perIPTarget(t, func(tok string) string { return `{"status": "success", "token": "` + tok + `"}` })
	c, _ := client.New(client.Options{URL: srv.URL, ClientIPs: &config.ClientIPs{Mode: "none"}})
	notes, err := profile.Lptracker().CheckAccountsNoting(context.Background(), c, lpSection("/projects"), "t.yaml")
	if err != nil || *current != "" || len(notes) != 2 || !strings.Contains(notes[0], "lptracker.accounts[0]'s login answered HTTP 200") || !strings.Contains(notes[0], "a token elsewhere than at result.token") {
		t.Errorf("err %v, logged in after the check %q, notes %q", err, *current, notes)
	}
}

// TestARefusalTheCheckMayHaveCausedIsNamedForWhatItIs: with no token anywhere in the answer,
// the check cannot end the first session; the second account's refusal may be doc 003's
// one-user-per-IP rule, and is a note saying so, not an AccountError. A wrong password with
// nothing held is still one.
func TestARefusalTheCheckMayHaveCausedIsNamedForWhatItIs(t *testing.T) {
	srv, _ := perIPTarget(t, func(string) string { return `{"status": "success", "result": {}}` })
	c, _ := client.New(client.Options{URL: srv.URL, ClientIPs: &config.ClientIPs{Mode: "none"}})
	notes, err := profile.Lptracker().CheckAccountsNoting(context.Background(), c, lpSection("/projects"), "t.yaml")
	if err != nil || len(notes) != 2 || !strings.Contains(notes[1], "lptracker.accounts[1]'s login was refused") || !strings.Contains(notes[1], "allows one user per client IP") {
		t.Errorf("err %v, notes %q", err, notes)
	}

	srv, _ = perIPTarget(t, func(tok string) string { return `{"status": "success", "result": {"token": "` + tok + `"}}` })
	c, _ = client.New(client.Options{URL: srv.URL, ClientIPs: &config.ClientIPs{Mode: "none"}})
	sec := lpSection("/projects")
	sec.Accounts[1].Password = "wrong"
	_, err = profile.Lptracker().CheckAccountsNoting(context.Background(), c, sec, "t.yaml")
	var ae *profile.AccountError
	if !errors.As(err, &ae) || ae.Index != 1 || !strings.Contains(err.Error(), "check its password in t.yaml") {
		t.Errorf("a wrong password: %v", err)
	}
}

// TestAProbePathThatIsNotThereIsAConfigError: a probe answering 404 to a fresh token and to none
// alike is the config's probe path, named; a probe that refuses the token is the specs' to judge.
func TestAProbePathThatIsNotThereIsAConfigError(t *testing.T) {
	srv, _ := perIPTarget(t, func(tok string) string { return `{"status": "success", "result": {"token": "` + tok + `"}}` })
	c, _ := client.New(client.Options{URL: srv.URL, ClientIPs: &config.ClientIPs{Mode: "none"}})
	_, err := profile.Lptracker().CheckAccountsNoting(context.Background(), c, lpSection("/projectz"), "t.yaml")
	var pe *profile.ProbeError
	if !errors.As(err, &pe) || pe.Field != "lptracker.probe.path" || !strings.Contains(err.Error(), "GET /projectz answered HTTP 404 to a fresh token and to no token alike") {
		t.Errorf("a probe path that is not there: %v", err)
	}
	if _, err := profile.Lptracker().CheckAccountsNoting(context.Background(), c, lpSection("/projects"), "t.yaml"); err != nil {
		t.Errorf("the right probe path: %v", err)
	}
}

// TestAWrongTokenPlacementIsAConfigError: where the document is silent on the placement (doc
// 001), a token refused where the config puts it and accepted in another placement is the
// config's token field, named with the placement that works.
func TestAWrongTokenPlacementIsAConfigError(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/auth/login":
			io.WriteString(w, `{"id": 1, "email": "a@example.com", "token": "tok-1"}`)
		case "/auth/me":
			if r.Header.Get("Authorization") != "Bearer tok-1" {
				w.WriteHeader(http.StatusUnauthorized)
				return
			}
			io.WriteString(w, `{"id": 1}`)
		}
	}))
	defer srv.Close()
	c, _ := client.New(client.Options{URL: srv.URL, ClientIPs: &config.ClientIPs{Mode: "none"}})
	sec := &config.Profile{Accounts: []config.Account{{APIKey: "k", APISecret: "s"}}, Token: &config.TokenPlacement{Header: "token"},
		Probe: &config.Probe{Method: "GET", Path: "/auth/me"}}
	_, err := profile.APIKey().CheckAccountsNoting(context.Background(), c, sec, "t.yaml")
	var pe *profile.ProbeError
	if !errors.As(err, &pe) || pe.Field != "apikey.token" || !strings.Contains(err.Error(), "accepted it sent as Authorization: Bearer") || !strings.Contains(err.Error(), "to {bearer: true}") {
		t.Errorf("a wrong placement: %v", err)
	}
	sec.Token = &config.TokenPlacement{Bearer: true}
	if _, err := profile.APIKey().CheckAccountsNoting(context.Background(), c, sec, "t.yaml"); err != nil {
		t.Errorf("the right placement: %v", err)
	}
}
