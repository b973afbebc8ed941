package explore

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strings"

	"github.com/tidwall/gjson"

	"github.com/conformhq/conform/client"
	"github.com/conformhq/conform/config"
	"github.com/conformhq/conform/model"
	"github.com/conformhq/conform/profile"
	"github.com/conformhq/conform/specs/env"
)

// credentialKeys are the fields of a document's login (JSON, form or query) that carry the
// login name and the password, which the wrong forms change, and where an account keeps them.
type credentialKeys struct {
	login, password     string
	loginOf, passwordOf func(config.Account) string
}

func loginOf(a config.Account) string     { return a.Login }
func passwordOf(a config.Account) string  { return a.Password }
func apiKeyOf(a config.Account) string    { return a.APIKey }
func apiSecretOf(a config.Account) string { return a.APISecret }

// credentials are the login fields of the profiles with a model.
var credentials = map[string]credentialKeys{
	"flylogs":   {"email", "password", loginOf, passwordOf},
	"apikey":    {"apiKey", "apiSecret", apiKeyOf, apiSecretOf},
	"newapikey": {"user", "pass", loginOf, passwordOf},
	"lptracker": {"login", "password", loginOf, passwordOf},
	"jwt":       {"email", "password", loginOf, passwordOf},
}

// wrongForm is a wrong credential a login may send: a form of the password the specs send
// (env.Forms), an unknown login with the right password, or (name) a form of the login name
// with the right password, where the specs send those.
type wrongForm struct {
	form    env.Form
	unknown bool
	name    bool
}

// wrongForms are the wrong credentials of every profile's logins.
var wrongForms = []wrongForm{
	{form: env.FormEmpty}, {form: env.FormCase}, {form: env.FormPrefix}, {form: env.FormAppended}, {form: env.FormOther}, {unknown: true},
}

// nameForms are the forms of the login name a profile's login specs send with the right
// secret: doc 001's apiKey in each form a real comparison lets through, as
// apikey.login.wrong-key-refused sends it (another account's key with this account's secret
// is the mirror of another account's secret, which wrongForms sends).
var nameForms = map[string][]wrongForm{
	"apikey": {{form: env.FormEmpty, name: true}, {form: env.FormCase, name: true}, {form: env.FormPrefix, name: true}, {form: env.FormAppended, name: true}},
}

// wrongFormsOf are the wrong credentials a login of profile may send.
func wrongFormsOf(profile string) []wrongForm {
	return append(append([]wrongForm(nil), wrongForms...), nameForms[profile]...)
}

// Operation weights, out of their sum: uses of tokens most, as the rules are about them.
const (
	weightLogin  = 25
	weightProbe  = 50
	weightLogout = 12
	weightClock  = 13
	// weightTwoFactor is the weight of the 2FA accounts' challenges and code submissions,
	// when there are any, beside the others: a code's rules need a challenge and a
	// submission (of another account's code: two challenges) in one sequence, which a share
	// of the logins' weight made rarer than a budget of a few hundred steps reaches.
	weightTwoFactor = 15
)

// forgeShare is the percentage of probes that send a token one character off an issued one.
const forgeShare = 12

// generate draws n operations.
func (r *runner) generate(rng *rand.Rand, n int) []model.Op {
	s, d := r.setup, r.o.Doc
	total := weightLogin + weightProbe
	if d.Logout {
		total += weightLogout
	}
	if s.Clock {
		total += weightClock
	}
	twoFactor := 0
	if s.TwoFactor > 0 {
		twoFactor = weightTwoFactor
	}
	ops := make([]model.Op, 0, n)
	for i := range n {
		if i > 0 {
			if op, ok := r.followUp(rng, ops[i-1]); ok {
				ops = append(ops, op)
				continue
			}
		}
		w := rng.IntN(total + twoFactor)
		var op model.Op
		switch {
		case w < weightLogin:
			op = model.Op{Kind: model.Login, Account: rng.IntN(s.Accounts), From: rng.IntN(s.Addresses), Service: rng.IntN(s.Services)}
			if rng.IntN(100) < 20 {
				op.Wrong = 1 + rng.IntN(s.WrongForms)
				op.Name = r.wrong[(op.Wrong-1)%len(r.wrong)].name || r.wrong[(op.Wrong-1)%len(r.wrong)].unknown
			}
		case w >= total:
			op = generateTwoFactor(rng, s)
		case w < weightLogin+weightProbe:
			op = model.Op{Kind: model.Probe, Token: pickToken(rng), Place: rng.IntN(max(s.Placements, 1))}
			if rng.IntN(100) < forgeShare {
				op.Forge = 1 + rng.IntN(2)
			}
		case d.Logout && w < weightLogin+weightProbe+weightLogout:
			op = model.Op{Kind: model.Logout, Token: pickToken(rng)}
		default:
			op = model.Op{Kind: model.Clock, Advance: model.Advance(rng.IntN(3) / 2)} // short of the TTL two times in three
		}
		ops = append(ops, op)
	}
	return ops
}

// pickToken picks a token: half the time one of the last two issued (uses in a row, the
// sequences most rules are about), else any token ever issued.
func pickToken(rng *rand.Rand) int {
	if rng.IntN(2) == 0 {
		return -1 - rng.IntN(2)
	}
	return rng.IntN(1 << 16)
}

// request builds op's request against st and says what it sends in words; ok is false for
// a Probe or Logout before any token.
func (r *runner) request(st *model.State, op model.Op) (req client.Request, what string, ok bool) {
	cfg := r.o.Config
	switch op.Kind {
	case model.Login:
		req, what, ok = r.login(op)
		return req, what + r.putKey(op, &req), ok
	case model.Challenge, model.Submit:
		req, what, ok = r.twoFactorLogin(st, op)
		return req, what + r.putKey(op, &req), ok
	case model.Probe, model.Logout:
		t := st.Pick(op)
		if t == nil {
			return req, "", false
		}
		who := fmt.Sprintf("account %d's token of step %d", t.Owner+1, t.Step)
		if op.Kind == model.Logout {
			req = r.o.Wire.Logout(cfg, sessionOf(r.accounts[t.Owner], t.Value))
			req.Path = cfg.BasePath + req.Path
			req.From = r.addrs[t.From]
			return req, "log out " + who + r.from(t.From), true
		}
		p := cfg.Probe
		req = client.Request{Method: p.Method, Path: cfg.BasePath + p.Path, Body: p.Body, From: r.addrs[t.From]}
		if p.Body != "" {
			req.Header = http.Header{"Content-Type": {"application/json"}}
		}
		if r.o.Wire.Authorize != nil {
			r.o.Wire.Authorize(cfg, &req)
		}
		places := r.o.Wire.Placements(cfg)
		place := places[op.Place%len(places)]
		if format := r.formatOf(op); format != "" {
			req.Path = strings.TrimSuffix(req.Path, ".json") + format
			who += " (" + format + ")"
		}
		value := t.Value
		switch op.Forge {
		case 1:
			value, _ = env.FormPrefix.Value(value, "")
			who += " without its last character"
		case 2:
			value, _ = env.FormAppended.Value(value, "")
			who += " with one character appended"
		case 3:
			if v, why := env.FormCase.Value(value, ""); why == "" {
				value, who = v, who+" in another letter case"
			} else {
				value, _ = env.FormPrefix.Value(value, "")
				who += " without its last character (it has no letters to change the case of)"
			}
		}
		owner := r.accounts[t.Owner]
		if op.OtherUser {
			owner = r.otherUser(t.Owner)
			who += fmt.Sprintf(" and another user's name (%s)", owner.Login)
		}
		place.Put(&req, sessionOf(owner, value))
		if op.WithoutUser && req.Query != nil {
			req.Query.Del("user")
			who += " without the user name"
		}
		return req, "probe with " + who + " in " + place.Name + r.putKey(op, &req) + r.from(t.From), true
	}
	d := st.Advance(op)
	h := cfg.TTL.ClockHook
	side := "less"
	if op.Advance == model.Past {
		side = "and"
	}
	return client.Request{
		Method: h.Method,
		Path:   strings.ReplaceAll(h.Path, "{duration}", d.String()),
		Body:   strings.ReplaceAll(h.Body, "{duration}", d.String()),
	}, fmt.Sprintf("move the clock %s (the idle TTL %s %s)", d, side, r.setup.Edge), true
}

// login builds a Login's request: the wire's, with a wrong form put in when op asks for one.
func (r *runner) login(op model.Op) (client.Request, string, bool) {
	acc := op.Account % r.plain
	a := r.accounts[acc]
	if f := r.keyOf(op); f != nil && f.kind == model.KeyForeignUser {
		o := *r.o.Config.OtherCompanyAccount
		req := r.o.Wire.Login(r.o.Config, o, op.Service)
		req.Path = r.o.Config.BasePath + req.Path
		req.From = r.addrs[op.From%len(r.addrs)]
		return req, fmt.Sprintf("log in other_company_account (%s) with its right %s", o.Login, r.keys.password) + r.from(op.From%len(r.addrs)), true
	}
	req := r.o.Wire.Login(r.o.Config, a, op.Service)
	req.Path = r.o.Config.BasePath + req.Path
	req.From = r.addrs[op.From%len(r.addrs)]
	k := r.keys
	name, secret := k.loginOf(a), k.passwordOf(a)
	what := fmt.Sprintf("log in account %d (%s) with the right %s", acc+1, name, k.password)
	if op.Wrong > 0 {
		f := r.wrong[(op.Wrong-1)%len(r.wrong)]
		switch {
		case f.unknown:
			setField(&req, k.login, "conform-unknown-"+name)
			what = fmt.Sprintf("log in an unknown %s (account %d's with a prefix) with account %d's %s", k.login, acc+1, acc+1, k.password)
		case f.name:
			v, why := f.form.Value(name, "")
			what = fmt.Sprintf("log in account %d with %s and its right %s", acc+1, f.form.What(k.login), k.password)
			if why != "" {
				v, what = "conform-unknown-"+name, fmt.Sprintf("log in an unknown %s (account %d's with a prefix) with account %d's %s", k.login, acc+1, acc+1, k.password)
			}
			setField(&req, k.login, v)
		default:
			other := ""
			if r.plain > 1 {
				other = k.passwordOf(r.accounts[(acc+1)%r.plain])
			}
			v, why := f.form.Value(secret, other)
			what = fmt.Sprintf("log in account %d (%s) with %s", acc+1, name, f.form.What(k.password))
			if why != "" {
				v, what = env.Wrong(secret), fmt.Sprintf("log in account %d (%s) with a wrong %s", acc+1, name, k.password)
			}
			setField(&req, k.password, v)
		}
	}
	if body, ok := req.JSON.(map[string]any); ok {
		if s, ok := body["service"].(string); ok {
			what += ", service " + s
		}
	}
	return req, what + r.from(op.From%len(r.addrs)), true
}

// viewStream salts the seed of the stream that draws doc 002's key forms and user names,
// apart from the operations' own: a sequence's operations are the same with or without them.
const viewStream = 0x7669657773

// otherUserShare is the percentage of doc 002's probes that send the key with another
// account's user name, as its key specs send it; withoutUserShare those that send it without
// the user name (a should: only with --strict).
const (
	otherUserShare   = 12
	withoutUserShare = 6
)

// drawViews makes some of doc 002's forged keys a key in another letter case (as its key specs
// send it: the other documents' tokens are not, since a hex token or a UUID names the same
// value in either case on many a conforming server), and sends some of its keys with another
// account's user name.
func (r *runner) drawViews(rng *rand.Rand, ops []model.Op) {
	if _, ok := r.o.Doc.Rules[model.RuleKeyOwnUser]; !ok || len(r.accounts) < 2 {
		return
	}
	for i := range ops {
		if ops[i].Kind != model.Probe {
			continue
		}
		switch w := rng.IntN(100); {
		case ops[i].Forge > 0 && w < 33:
			ops[i].Forge = 3
		case ops[i].Forge == 0 && w < otherUserShare:
			ops[i].OtherUser = true
		case ops[i].Forge == 0 && w < otherUserShare+withoutUserShare && r.o.Strict && !r.noShould:
			ops[i].WithoutUser = true
		}
	}
}

// otherUser is an account other than account i, whose user name a probe sends with i's key.
func (r *runner) otherUser(i int) config.Account {
	for k := 1; k < len(r.accounts); k++ {
		if o := r.accounts[(i+k)%len(r.accounts)]; !strings.EqualFold(o.Login, r.accounts[i].Login) {
			return o
		}
	}
	return r.accounts[i]
}

// viewFormats are doc 002's output formats: "Change output format by switching file suffix.
// Fx. api.[json, xml]". A probe draws one where the config's probe path ends in .json.
var viewFormats = []string{".json", ".xml"}

// formatsOf are the probe's formats for the profile and config: "" (the probe as configured)
// alone, or doc 002's two suffixes.
func formatsOf(profile string, probe string) []string {
	if profile == "newapikey" && strings.HasSuffix(probe, ".json") {
		return viewFormats
	}
	return []string{""}
}

// formatOf is the format of a Probe: its Place counts the placements, then the formats.
func (r *runner) formatOf(op model.Op) string {
	n := max(len(r.o.Wire.Placements(r.o.Config)), 1)
	return r.formats[op.Place/n%len(r.formats)]
}

// setField sets a login field where the wire put it: in the JSON body, the form or the query,
// on a copy (the wire's maps are the caller's).
func setField(r *client.Request, key, value string) {
	switch {
	case r.JSON != nil:
		if body, ok := r.JSON.(map[string]any); ok {
			body = maps.Clone(body)
			body[key] = value
			r.JSON = body
		}
	case r.Form != nil:
		r.Form = cloneValues(r.Form)
		r.Form.Set(key, value)
	case r.Query != nil:
		r.Query = cloneValues(r.Query)
		r.Query.Set(key, value)
	}
}

func cloneValues(v url.Values) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}

// from says which client address a request is sent from, "" for the default one.
func (r *runner) from(i int) string {
	if r.addrs[i] == "" {
		return ""
	}
	return " from " + r.addrs[i]
}

// classify reads an answer to op as the model judges it.
func (r *runner) classify(st *model.State, op model.Op, resp *client.Response) model.Answer {
	a := model.Answer{Status: resp.Status, User: model.NoUser}
	w := r.o.Wire
	if op.Key != model.KeyRight {
		a = r.keyRefused(op, resp)
		if a.Token != "" && op.Kind == model.Login {
			r.made = append(r.made, madeToken{owner: op.Account % r.plain, from: op.From % len(r.addrs), value: a.Token})
		}
		return a
	}
	switch op.Kind {
	case model.Login:
		if tok := w.Token(resp.Body); tok != "" {
			r.made = append(r.made, madeToken{owner: op.Account % r.plain, from: op.From % len(r.addrs), value: tok})
			a.Outcome, a.Token = model.Issued, tok
			_, a.Envelope = w.LoginToken(resp.Body)
			if a.Envelope == "" {
				r.learn(op.Account%r.plain, resp)
			}
			return a
		}
		a.Outcome = model.Other
		if refusal(w, resp) {
			a.Outcome = model.Refused
		}
	case model.Probe:
		a.Outcome = model.Refused
		if r.formatOf(op) == ".xml" {
			if env.XMLProbeAccepted(r.o.Config.Probe, resp) {
				a.Outcome, a.User = model.Accepted, model.Unread
			}
			return a
		}
		if env.ProbeAccepted(r.o.Config.Probe, resp) {
			a.Outcome = model.Accepted
			a.User = r.user(resp)
		}
	case model.Logout:
		a.Outcome = model.Refused
		if logoutSucceeded(r.o.Doc.Profile, resp) {
			a.Outcome = model.Accepted
		}
	}
	return a
}

// logoutSucceeded reads a logout answer: doc 003's success is {"status": "success",
// "result": true}.
func logoutSucceeded(profile string, resp *client.Response) bool {
	if resp.Status < 200 || resp.Status > 299 {
		return false
	}
	switch profile {
	case "lptracker":
		return resp.Get("status").String() == "success" && resp.Get("result").Type == gjson.True
	}
	return true
}

// learn remembers the uid a login of account acc returned, which names its user in a user
// object as well as its login does.
func (r *runner) learn(acc int, resp *client.Response) {
	if uid := resp.Get("uid"); uid.Exists() && uid.String() != "" {
		r.ids[acc][strings.ToLower(uid.String())] = true
	}
}

// user says which account a user object names: its index when exactly one account's login or
// uid is among the answer's values.
func (r *runner) user(resp *client.Response) int {
	vals, err := env.Scalars(resp)
	if err != nil {
		return model.NoUser
	}
	seen := map[string]bool{}
	for _, v := range vals {
		if v.Kind != gjson.Null {
			seen[strings.ToLower(v.Text)] = true
		}
	}
	found := model.NoUser
	for i, ids := range r.ids {
		for id := range ids {
			if seen[id] {
				if found != model.NoUser && found != i {
					return model.Several
				}
				found = i
			}
		}
	}
	return found
}

// sessionOf is a token as the wire places it.
func sessionOf(a config.Account, token string) profile.Session {
	return profile.Session{Account: a, Token: token}
}

// refusal reports whether a login answer without a token refuses the login: the document's
// refusal (HTTP 401 or 403, or its failure envelope), or any other client error status. The
// documents give a refusal's body, not always its status (doc 003 names none: a server that
// refuses a second user from a held address with 409 and doc 003's error envelope refuses
// it), and the specs read a login without a token as refused whatever its status; a 5xx, or
// a success status without a token outside the failure envelope, is no refusal.
func refusal(w profile.Wire, resp *client.Response) bool {
	return w.Refused(resp.Status, resp.Body) || resp.Status >= 400 && resp.Status < 500
}
