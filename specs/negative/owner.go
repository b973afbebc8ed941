package negative

import (
	"encoding/base64"
	"fmt"
	"strings"

	"github.com/onsi/ginkgo/v2"
	"github.com/tidwall/gjson"

	"github.com/conformhq/conform/client"
	"github.com/conformhq/conform/config"
	"github.com/conformhq/conform/specs/cite"
	"github.com/conformhq/conform/specs/env"
)

// ownTokenSpec logs two users in one after the other and checks the second gets a token of its
// own (ReasonOwnToken says which readings it accepts). Whose a token is shows where the run can
// read it: the login answer's owner fields (Readings.OwnerFields), a JWT's claims, and the
// probe's answer for that token. Each is judged by one rule: an answer that names the other
// user and not its own says the token is the other user's; one that names neither says
// nothing (a probe that answers [] names no one).
func ownTokenSpec(b *cite.Book, e *env.Env, p Plan) {
	b.It(p.OwnToken, "logs two users in one after the other and compares their tokens and whose each says it is", func(ctx ginkgo.SpecContext) {
		accounts := [2]config.Account{e.PlainAccount(0), e.PlainAccount(1)}
		var tokens [2]string
		var answers [2]*client.Response
		for i, a := range accounts {
			answers[i] = e.Do(ctx, e.LoginRequest(a, 0))
			if len(answers[i].Body) > bigAnswer {
				ginkgo.Skip(fmt.Sprintf("the target answered a valid login with %d bytes, not a login API's answer", len(answers[i].Body)))
			}
			tokens[i] = loginToken(e, answers[i])
			if i == 0 && e.Wire.OneUserPerIP {
				// The second user's login from this address may be refused, or end this
				// session: logged out first, it is neither.
				logout(ctx, e, a, tokens[0])
				continue
			}
			defer logout(ctx, e, a, tokens[i])
		}
		first, second := env.Who(accounts[0]), env.Who(accounts[1])
		env.Expect(tokens[1] != tokens[0], "a token of "+second+"'s own from "+second+"'s login",
			"the token "+first+"'s login answered just before")

		names := ownerNames(accounts, answers, p.OwnerFields)
		for i := range accounts {
			mine, theirs := names[i], names[1-i]
			who, other := env.Who(accounts[i]), env.Who(accounts[1-i])
			if payload, ok := jwtPayload(tokens[i]); ok {
				env.Expect(!namesOther(payload, mine, theirs), "the claims of "+who+"'s token to name "+who+" (or no one)",
					"they name "+other+" and not "+who+": "+env.Clip(payload, 200))
			}
			if i == 0 && e.Wire.OneUserPerIP {
				continue // logged out
			}
			ok, resp := e.Probe(ctx, "", env.Both(auth(e), e.PlaceToken(accounts[i], tokens[i])))
			if !ok || resp.NotJSON() != "" {
				continue // a refused token is the probe specs' to judge; a non-JSON answer is not read
			}
			env.Expect(!namesOther(string(resp.Body), mine, theirs), "the probe's answer for "+who+"'s token to name "+who+" (or no one)",
				"it names "+other+" and not "+who+": "+env.DescribeBody(resp))
		}
	})
}

// owner is what names one user in an answer: strings any JSON value may equal, and values
// only a field of one of the owner names may hold (a numeric id is too common a value to look
// for anywhere).
type owner struct {
	values map[string]bool
	fields map[string]map[string]bool // field name -> values
}

// ownerNames collects what names each account: its login (or API key) and the values of the
// owner fields of its login answer. A value both share names neither (two API keys of one
// user answer the same id and email).
func ownerNames(accounts [2]config.Account, answers [2]*client.Response, fields []string) [2]owner {
	var out [2]owner
	for i, a := range accounts {
		out[i] = owner{values: map[string]bool{}, fields: map[string]map[string]bool{}}
		for _, v := range []string{a.Login, a.APIKey} {
			if v != "" {
				out[i].values[v] = true
			}
		}
		for _, path := range fields {
			v := answers[i].Get(path)
			if !v.Exists() || v.String() == "" {
				continue
			}
			name := path[strings.LastIndex(path, ".")+1:]
			if v.Type == gjson.String {
				out[i].values[v.Str] = true
			}
			if out[i].fields[name] == nil {
				out[i].fields[name] = map[string]bool{}
			}
			out[i].fields[name][v.String()] = true
		}
	}
	for v := range out[0].values {
		if out[1].values[v] {
			delete(out[0].values, v)
			delete(out[1].values, v)
		}
	}
	for name, vs := range out[0].fields {
		for v := range vs {
			if out[1].fields[name][v] {
				delete(out[0].fields[name], v)
				delete(out[1].fields[name], v)
			}
		}
	}
	return out
}

// namesOther reports whether the JSON doc names theirs and not mine.
func namesOther(doc string, mine, theirs owner) bool {
	var m, t bool
	walkLeaves("", gjson.Parse(doc), func(key string, v gjson.Result) {
		m = m || mine.names(key, v)
		t = t || theirs.names(key, v)
	})
	return t && !m
}

func (o owner) names(key string, v gjson.Result) bool {
	if v.Type == gjson.String && o.values[v.Str] {
		return true
	}
	return o.fields[key][v.String()]
}

// walkLeaves calls f with every scalar value under v and the name of the field holding it
// ("" in an array at the top).
func walkLeaves(key string, v gjson.Result, f func(key string, v gjson.Result)) {
	if !v.IsObject() && !v.IsArray() {
		f(key, v)
		return
	}
	v.ForEach(func(k, x gjson.Result) bool {
		name := key
		if v.IsObject() {
			name = k.Str
		}
		walkLeaves(name, x, f)
		return true
	})
}

// jwtPayload is the payload of a token that is a JWT (three dot-separated parts, the second
// base64url JSON object), ok false for any other token.
func jwtPayload(tok string) (string, bool) {
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		return "", false
	}
	b, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[1], "="))
	if err != nil || !gjson.ValidBytes(b) || !gjson.ParseBytes(b).IsObject() {
		return "", false
	}
	return string(b), true
}
