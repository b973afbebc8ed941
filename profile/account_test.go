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
	"github.com/conformhq/conform/redact"
)

// TestCheckAccountsNamesEachRefusedAccount logs doc 004's accounts in against a target that
// knows one password per login, and checks which accounts come back as errors, and how.
func TestCheckAccountsNamesEachRefusedAccount(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var body struct{ Email, Password string }
		_ = json.NewDecoder(r.Body).Decode(&body)
		switch {
		case r.URL.Path != "/jwt/users/login":
			http.NotFound(w, r)
		case body.Email == "ok@example.com" && body.Password == "right":
			io.WriteString(w, `{"uid": "1", "token": "a.b.c"}`)
		case body.Email == "echo@example.com":
			// a refusal echoing the password, with bytes a terminal would act on
			w.WriteHeader(http.StatusUnauthorized)
			io.WriteString(w, "wrong password "+body.Password+"\r\n\x1b[31m"+strings.Repeat("x", 300))
		case body.Email == "envelope@example.com":
			io.WriteString(w, `{"success": false, "message": "Authentication failed."}`) // a refusal in HTTP 200
		case body.Email == "shape@example.com":
			io.WriteString(w, `{"uid": "1", "jwt": "a.b.c"}`) // logged in, token elsewhere: the specs' to judge
		default:
			w.WriteHeader(http.StatusUnauthorized)
			io.WriteString(w, `{"success": false, "message": "Authentication failed. Wrong password."}`)
		}
	}))
	defer srv.Close()
	secrets := []string{"right", "wrong-1", "s3cret&<>"}
	c, err := client.New(client.Options{URL: srv.URL, Redactor: redact.New(secrets...), ClientIPs: &config.ClientIPs{Mode: "none"}})
	if err != nil {
		t.Fatal(err)
	}
	sec := &config.Profile{BasePath: "/jwt", Accounts: []config.Account{
		{Login: "ok@example.com", Password: "right"},
		{Login: "bob@example.com", Password: "wrong-1"},
		{Login: "2fa@example.com", Password: "never-sent", TwoFactor: &config.TwoFactor{Source: "static", Code: "1"}},
		{Login: "shape@example.com", Password: "right"},
		{Login: "echo@example.com", Password: "s3cret&<>"},
		{Login: "envelope@example.com", Password: "wrong-1"},
	}}
	err = profile.JWT().CheckAccounts(context.Background(), c, sec, "target.yaml")
	var got []string
	for _, e := range flatten(err) {
		var ae *profile.AccountError
		if !errors.As(e, &ae) {
			t.Fatalf("%v (%T), want *profile.AccountError", e, e)
		}
		got = append(got, ae.Error())
	}
	want := []string{
		`jwt.accounts[1] (bob@example.com) cannot log in: HTTP 401 {"success": false, "message": "Authentication failed. Wrong password."}: check its password in target.yaml`,
		`jwt.accounts[4] (echo@example.com) cannot log in: HTTP 401 wrong password **** \x1b[31mxxxxxxxxxx`, // ... clipped
		`jwt.accounts[5] (envelope@example.com) cannot log in: HTTP 200 {"success": false, "message": "Authentication failed."}: check its password in target.yaml`,
	}
	if len(got) != len(want) {
		t.Fatalf("errors:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for i := range want {
		if !strings.HasPrefix(got[i], want[i]) {
			t.Errorf("error %d:\n%s\nwant:\n%s", i, got[i], want[i])
		}
	}
	if echo := got[1]; len(echo) > 350 || !strings.HasSuffix(echo, " more bytes): check its password in target.yaml") || strings.ContainsAny(echo, "\r\n\x1b") {
		t.Errorf("the echoed answer is not one clipped line of printable text: %q", echo)
	}
	for _, s := range secrets {
		if strings.Contains(err.Error(), s) {
			t.Errorf("the errors show secret %q", s)
		}
	}
	if len(c.Transcript().Exchanges()) != 0 {
		t.Error("the transcript is left with the check's exchanges")
	}

	// A base path that puts the login nowhere.
	sec.BasePath = "/nope"
	sec.Accounts = sec.Accounts[:1]
	err = profile.JWT().CheckAccounts(context.Background(), c, sec, "target.yaml")
	if err == nil || !strings.Contains(err.Error(), "HTTP 404") || !strings.Contains(err.Error(), "check jwt.base_path in target.yaml (the login went to POST /nope/users/login)") {
		t.Errorf("wrong base path: %v", err)
	}
}

// TestCheckAccountsLogsOutWhereOneUserPerIP checks doc 003's accounts one after the other from
// one address against a target that refuses a second user while the first is logged in.
func TestCheckAccountsLogsOutWhereOneUserPerIP(t *testing.T) {
	var current string // the user logged in from the (one) client address
	keep := false      // the target ignores logouts
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/login":
			var body struct{ Login string }
			_ = json.NewDecoder(r.Body).Decode(&body)
			if current != "" && current != body.Login {
				w.WriteHeader(http.StatusForbidden)
				io.WriteString(w, `{"status": "error", "errors": [{"code": 403, "message": "another user is logged in from this IP"}]}`)
				return
			}
			current = body.Login
			io.WriteString(w, `{"status": "success", "result": {"token": "tok-`+body.Login+`"}}`)
		case "/logout":
			if r.Header.Get("token") == "tok-"+current && !keep {
				current = ""
			}
			io.WriteString(w, `{"status": "success", "result": true}`)
		}
	}))
	defer srv.Close()
	c, _ := client.New(client.Options{URL: srv.URL, ClientIPs: &config.ClientIPs{Mode: "none"}})
	sec := &config.Profile{Services: []string{"conform-a"}, Accounts: []config.Account{{Login: "a", Password: "p"}, {Login: "b", Password: "p"}}}
	if err := profile.Lptracker().CheckAccounts(context.Background(), c, sec, "t.yaml"); err != nil || current != "" {
		t.Errorf("%v; logged in after the check: %q", err, current)
	}
	current, keep = "", true
	err := profile.Lptracker().CheckAccounts(context.Background(), c, sec, "t.yaml")
	if err == nil || !strings.Contains(err.Error(), "lptracker.accounts[1] (b) cannot log in: HTTP 403") {
		t.Errorf("a target that keeps sessions: %v", err)
	}
}

func flatten(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	if err == nil {
		return nil
	}
	return []error{err}
}

// TestCheckAccountsTellsAHeldSessionFromAWrongPassword: a target whose logout answers success
// but keeps the session refuses the second account from the check's address. With a second
// client address the check sees that account log in there: its credentials are right, so the
// refusal is the target's (the logout and per-IP specs report it), not a config error.
func TestCheckAccountsTellsAHeldSessionFromAWrongPassword(t *testing.T) {
	current := map[string]string{} // the user logged in from each client address
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ip := r.Header.Get("X-Forwarded-For")
		switch r.URL.Path {
		case "/login":
			var body struct{ Login, Password string }
			_ = json.NewDecoder(r.Body).Decode(&body)
			if body.Password != "p" || current[ip] != "" && current[ip] != body.Login {
				w.WriteHeader(http.StatusForbidden)
				io.WriteString(w, `{"status": "error", "errors": [{"code": 403, "message": "refused"}]}`)
				return
			}
			current[ip] = body.Login
			io.WriteString(w, `{"status": "success", "result": {"token": "tok-`+body.Login+`"}}`)
		case "/logout":
			io.WriteString(w, `{"status": "success", "result": true}`) // and keeps the session
		}
	}))
	defer srv.Close()
	ips := &config.ClientIPs{Mode: "header", Header: "X-Forwarded-For", Addresses: []string{"203.0.113.2", "203.0.113.3"}}
	c, _ := client.New(client.Options{URL: srv.URL, ClientIPs: ips})
	sec := &config.Profile{Services: []string{"conform-a"}, Accounts: []config.Account{{Login: "a", Password: "p"}, {Login: "b", Password: "p"}}}
	if err := profile.Lptracker().CheckAccounts(context.Background(), c, sec, "t.yaml"); err != nil {
		t.Errorf("right credentials, a session the target keeps: %v", err)
	}
	clear(current)
	sec.Accounts[1].Password = "wrong"
	err := profile.Lptracker().CheckAccounts(context.Background(), c, sec, "t.yaml")
	// Refused from the second address too: the password, and nothing about held sessions.
	if err == nil || !strings.HasSuffix(err.Error(), "accounts[1] (b) cannot log in: HTTP 403 {\"status\": \"error\", \"errors\": [{\"code\": 403, \"message\": \"refused\"}]}: check its password in t.yaml") {
		t.Errorf("a wrong password: %v", err)
	}
}
