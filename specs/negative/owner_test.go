package negative

import (
	"encoding/base64"
	"testing"

	"github.com/conformhq/conform/client"
	"github.com/conformhq/conform/config"
)

func TestNamesOther(t *testing.T) {
	accounts := [2]config.Account{{Login: "ann@x.test"}, {Login: "ben@x.test"}}
	answers := [2]*client.Response{{Body: []byte(`{"id": 1, "email": "ann@x.test"}`)}, {Body: []byte(`{"id": 2, "email": "ben@x.test"}`)}}
	names := ownerNames(accounts, answers, []string{"id", "email"})
	for _, tc := range []struct {
		name, doc string
		want      bool // names ben and not ann
	}{
		{"names no one", `{"status": "success", "result": []}`, false},
		{"its own login", `{"user": {"email": "ann@x.test"}}`, false},
		{"the other login", `{"user": {"email": "ben@x.test"}}`, true},
		{"the other's id in an id field", `{"user": {"id": 2}}`, true},
		{"the other's id as a count: not read", `{"projects": 2}`, false},
		{"both", `{"me": "ann@x.test", "friend": "ben@x.test"}`, false},
		{"not JSON", `ben@x.test`, false},
	} {
		if got := namesOther(tc.doc, names[0], names[1]); got != tc.want {
			t.Errorf("%s: namesOther(%s) = %v, want %v", tc.name, tc.doc, got, tc.want)
		}
	}

	// Two API keys of one user answer the same id and email: those name neither.
	same := [2]*client.Response{{Body: []byte(`{"id": 7, "email": "u@x.test"}`)}, {Body: []byte(`{"id": 7, "email": "u@x.test"}`)}}
	keys := [2]config.Account{{APIKey: "k1"}, {APIKey: "k2"}}
	names = ownerNames(keys, same, []string{"id", "email"})
	if namesOther(`{"id": 7, "email": "u@x.test"}`, names[1], names[0]) {
		t.Error("a value both accounts share was read as naming one")
	}
	if !namesOther(`{"key": "k1"}`, names[1], names[0]) {
		t.Error("the other account's API key was not read as naming it")
	}
}

func TestJWTPayload(t *testing.T) {
	enc := base64.RawURLEncoding.EncodeToString
	for _, tc := range []struct {
		tok  string
		want bool
	}{
		{enc([]byte(`{"alg":"HS256"}`)) + "." + enc([]byte(`{"sub":"ann"}`)) + ".sig", true},
		{"0123456789abcdef", false},
		{"a.b.c", false},
		{enc([]byte(`{}`)) + "." + enc([]byte(`[1]`)) + ".sig", false},
	} {
		if _, got := jwtPayload(tc.tok); got != tc.want {
			t.Errorf("jwtPayload(%q) ok = %v, want %v", tc.tok, got, tc.want)
		}
	}
}
