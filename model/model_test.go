package model_test

import (
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/conformhq/conform/model"
)

var setup = model.Setup{Accounts: 2, Addresses: 2, Services: 3, Placements: 2, WrongForms: 6, TTL: 24 * time.Hour, Edge: 15 * time.Minute, Clock: true}

// TestEveryJudgementNamesARule drives each model with random operations and random answers:
// every judgement names a rule the model declares (or none where anything is allowed), says
// what it allowed, and a state never panics, whatever the target answers.
func TestEveryJudgementNamesARule(t *testing.T) {
	for _, d := range []*model.Doc{model.Lptracker(), model.JWT()} {
		t.Run(d.Profile, func(t *testing.T) {
			rapid.Check(t, func(t *rapid.T) {
				st := model.New(d, setup)
				ops := rapid.SliceOfN(rapid.Custom(func(t *rapid.T) model.Op {
					return model.Op{
						Kind:    model.Kind(rapid.IntRange(0, 3).Draw(t, "kind")),
						Account: rapid.IntRange(0, 1).Draw(t, "account"),
						Wrong:   rapid.IntRange(0, 6).Draw(t, "wrong"),
						From:    rapid.IntRange(0, 1).Draw(t, "from"),
						Service: rapid.IntRange(0, 2).Draw(t, "service"),
						Token:   rapid.IntRange(-2, 20).Draw(t, "token"),
						Place:   rapid.IntRange(0, 1).Draw(t, "place"),
						Forge:   rapid.IntRange(0, 2).Draw(t, "forge"),
						Advance: model.Advance(rapid.IntRange(0, 1).Draw(t, "advance")),
					}
				}), 1, 30).Draw(t, "ops")
				for i, op := range ops {
					if (op.Kind == model.Probe || op.Kind == model.Logout) && st.Pick(op) == nil {
						continue
					}
					if op.Kind == model.Logout && !d.Logout || op.Kind == model.Clock && !d.IdleTTL {
						continue
					}
					a := model.Answer{
						Outcome: model.Outcome(rapid.IntRange(0, 3).Draw(t, "outcome")),
						Status:  rapid.SampledFrom([]int{200, 401, 500}).Draw(t, "status"),
						User:    rapid.IntRange(-2, 1).Draw(t, "user"),
					}
					if a.Outcome == model.Issued {
						a.Token = rapid.SampledFrom([]string{"t1", "t2", "t3"}).Draw(t, "token")
					}
					j := st.Step(op, a)
					if j.Allowed == "" {
						t.Fatalf("step %d (%+v): no word on what was allowed", i+1, op)
					}
					for _, k := range []string{j.Rule, j.Also} {
						if _, ok := d.Rule(k); k != "" && !ok {
							t.Fatalf("step %d (%+v): rule %q is not one of %s's", i+1, op, k, d.Profile)
						}
					}
					if !j.OK && j.Rule == "" {
						t.Fatalf("step %d (%+v): a discrepancy names no rule", i+1, op)
					}
				}
			})
		})
	}
}

func login(acc, from, service int) model.Op {
	return model.Op{Kind: model.Login, Account: acc, From: from, Service: service}
}

func probe(token int) model.Op { return model.Op{Kind: model.Probe, Token: token} }

var (
	issued = func(tok string) model.Answer {
		return model.Answer{Outcome: model.Issued, Status: 200, Token: tok, User: model.NoUser}
	}
	accepted = model.Answer{Outcome: model.Accepted, Status: 200, User: model.NoUser}
	refused  = model.Answer{Outcome: model.Refused, Status: 401, User: model.NoUser}
)

// TestLptrackerRules walks sequences whose judgement doc 003 fixes.
func TestLptrackerRules(t *testing.T) {
	type step struct {
		op   model.Op
		a    model.Answer
		rule string
		ok   bool
	}
	for _, c := range []struct {
		name  string
		steps []step
	}{
		{"a logged-out token is refused", []step{
			{login(0, 0, 0), issued("a"), model.RuleLogin, true},
			{model.Op{Kind: model.Logout}, accepted, model.RuleLogoutAnswer, true},
			{probe(0), accepted, model.RuleLogoutEnds, false},
		}},
		{"another user's login from the address ends the first user's token", []step{
			{login(0, 0, 0), issued("a"), model.RuleLogin, true},
			{login(1, 0, 0), issued("b"), model.RuleOneUser, true},
			{probe(0), accepted, model.RuleOneUser, false},
		}},
		{"or is refused, and the first user's token stays", []step{
			{login(0, 0, 0), issued("a"), model.RuleLogin, true},
			{login(1, 0, 0), refused, model.RuleOneUser, true},
			{probe(0), accepted, model.RuleAccepted, true},
		}},
		{"another address keeps it", []step{
			{login(0, 0, 0), issued("a"), model.RuleLogin, true},
			{login(1, 1, 0), issued("b"), model.RuleLogin, true},
			{probe(0), refused, model.RuleIPsApart, false},
		}},
		{"another service keeps it", []step{
			{login(0, 0, 0), issued("a"), model.RuleLogin, true},
			{login(0, 0, 1), issued("b"), model.RuleLogin, true},
			{probe(0), refused, model.RuleServices, false},
		}},
		{"a logout keeps the user's token of another service from the same address", []step{
			{login(0, 0, 0), issued("a"), model.RuleLogin, true},
			{login(0, 0, 1), issued("b"), model.RuleLogin, true},
			{model.Op{Kind: model.Logout, Token: 0}, accepted, model.RuleLogoutAnswer, true},
			{probe(1), refused, model.RuleLogoutKeeps, false},
		}},
		{"a logout leaves the user's token of the same service to the target", []step{
			{login(0, 0, 0), issued("a"), model.RuleLogin, true},
			{login(0, 0, 0), issued("b"), model.RuleLogin, true},
			{probe(1), accepted, model.RuleAccepted, true},
			{model.Op{Kind: model.Logout, Token: 0}, accepted, "", true},
			{probe(1), refused, "", true},
		}},
		{"the same service again leaves it to the target", []step{
			{login(0, 0, 0), issued("a"), model.RuleLogin, true},
			{login(0, 0, 0), issued("b"), model.RuleLogin, true},
			{probe(0), refused, "", true},
			{probe(0), accepted, "", true},
		}},
		{"idle past the TTL ends it", []step{
			{login(0, 0, 0), issued("a"), model.RuleLogin, true},
			{model.Op{Kind: model.Clock, Advance: model.Past}, accepted, "", true},
			{probe(0), accepted, model.RuleTTLExpires, false},
		}},
		{"activity keeps it past the TTL", []step{
			{login(0, 0, 0), issued("a"), model.RuleLogin, true},
			{model.Op{Kind: model.Clock, Advance: model.Under}, accepted, "", true},
			{probe(0), accepted, model.RuleTTLWithin, true},
			{model.Op{Kind: model.Clock, Advance: model.Under}, accepted, "", true},
			{probe(0), refused, model.RuleTTLWithin, false},
		}},
		{"a wrong password never gets a token", []step{
			{model.Op{Kind: model.Login, Wrong: 1}, issued("a"), model.RuleWrong, false},
		}},
		{"the right one is refused only when another user may hold the address", []step{
			{login(0, 0, 0), refused, model.RuleLogin, false},
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			st := model.New(model.Lptracker(), setup)
			for i, s := range c.steps {
				j := st.Step(s.op, s.a)
				if j.Rule != s.rule || j.OK != s.ok {
					t.Fatalf("step %d: judged by %q ok=%v (%s), want %q ok=%v", i+1, j.Rule, j.OK, j.Allowed, s.rule, s.ok)
				}
			}
		})
	}
}

// TestForeignAddress: an address the specs before the exploration used may be held by a
// session the model does not know, until a login from it succeeds.
func TestForeignAddress(t *testing.T) {
	s := setup
	s.Foreign = true
	st := model.New(model.Lptracker(), s)
	if j := st.Step(login(0, 0, 0), refused); !j.OK {
		t.Fatalf("a refusal from an address an earlier session may hold: %s", j.Allowed)
	}
	st.Step(login(0, 0, 0), issued("a"))
	st.Step(model.Op{Kind: model.Logout}, accepted)
	if j := st.Step(login(0, 0, 0), refused); j.OK {
		t.Fatalf("a refusal from an address nobody holds passed: %s", j.Allowed)
	}
}

// TestJWTNamesOwner: doc 004's /users/me must name the token's user.
func TestJWTNamesOwner(t *testing.T) {
	st := model.New(model.JWT(), setup)
	st.Step(login(0, 0, 0), issued("a"))
	st.Step(login(1, 0, 0), issued("b"))
	a := accepted
	a.User = 1
	if j := st.Step(probe(0), a); j.OK || j.Rule != model.RuleNamesUser {
		t.Fatalf("user 2 named for user 1's token: %+v", j)
	}
	a.User = 0
	if j := st.Step(model.Op{Kind: model.Probe, Token: 0, Place: 1}, a); !j.OK || j.Rule != model.RuleQuery || j.Also != model.RuleNamesUser {
		t.Fatalf("user 1 named for user 1's token in the query: %+v", j)
	}
}

// TestEveryRuleSaysWhatItJudges: a model spec whose rule judged no answer is skipped naming
// the operation that never came up, so every rule of every model needs one.
func TestEveryRuleSaysWhatItJudges(t *testing.T) {
	for _, p := range []string{"flylogs", "apikey", "newapikey", "lptracker", "jwt"} {
		for _, k := range model.For(p).Order {
			if model.Judges(k) == "" {
				t.Errorf("%s: rule %s has no model.Judges entry (model/reach.go)", p, k)
			}
		}
	}
}

// TestFormRules: the rules of the wrong forms the specs send, each judged by its own rule: doc
// 001's apiKey, doc 000's company key, doc 002's key with another user's name, or without one.
func TestFormRules(t *testing.T) {
	for _, c := range []struct {
		name string
		doc  *model.Doc
		op   model.Op
		a    model.Answer
		rule string
		ok   bool
	}{
		{"a wrong apiKey never gets a token", model.APIKey(), model.Op{Kind: model.Login, Wrong: 7, Name: true}, issued("x"), model.RuleWrongName, false},
		{"a wrong password elsewhere is judged by the credentials rule", model.JWT(), model.Op{Kind: model.Login, Wrong: 6, Name: true}, refused, model.RuleWrong, true},
		{"a login without the company key gets no token", model.Flylogs(), model.Op{Kind: model.Login, Key: model.KeyWrong}, issued("x"), model.RuleAPIKey, false},
		{"a probe with a wrong company key is refused", model.Flylogs(), model.Op{Kind: model.Probe, Key: model.KeyWrong}, refused, model.RuleAPIKey, true},
		{"another company's user gets no token", model.Flylogs(), model.Op{Kind: model.Login, Key: model.KeyForeignUser}, issued("x"), model.RuleCompany, false},
		{"a key with another user's name is refused", model.NewAPIKey(), model.Op{Kind: model.Probe, OtherUser: true}, accepted, model.RuleKeyOwnUser, false},
		{"a key without the user name is a should", model.NewAPIKey(), model.Op{Kind: model.Probe, WithoutUser: true}, refused, model.RuleUserRequired, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			st := model.New(c.doc, setup)
			if c.op.Kind == model.Probe {
				a := issued("a")
				st.Step(login(0, 0, 0), a)
			}
			if j := st.Step(c.op, c.a); j.Rule != c.rule || j.OK != c.ok {
				t.Fatalf("judged by %q ok=%v (%s), want %q ok=%v", j.Rule, j.OK, j.Allowed, c.rule, c.ok)
			}
		})
	}
	if r, _ := model.NewAPIKey().Rule(model.RuleUserRequired); r.Level != "should" {
		t.Errorf("newapikey's %s is %s, want should", model.RuleUserRequired, r.Level)
	}
}
