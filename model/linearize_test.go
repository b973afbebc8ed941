package model_test

import (
	"testing"

	"github.com/conformhq/conform/model"
)

// TestGroupAcceptsSomeOrder: two logins of two users from one address, released together,
// both answered with a token: either order explains it (the later login ends the earlier
// one's session), so the group passes and both tokens are in doubt after it, as either may
// be the one that ended.
func TestGroupAcceptsSomeOrder(t *testing.T) {
	st := model.New(model.Lptracker(), setup)
	ops := []model.Op{{Kind: model.Login, Account: 0}, {Kind: model.Login, Account: 1}}
	g := st.Group(ops, []model.Answer{{Outcome: model.Issued, Token: "a"}, {Outcome: model.Issued, Token: "b"}})
	if !g.OK() || g.Orders != 2 || g.Explaining != 2 {
		t.Fatalf("group judged %+v, want both orders explaining", g)
	}
	for _, tok := range st.Tokens() {
		if tok.Life != model.Doubt {
			t.Errorf("token %s of step %d: life %v, want in doubt", tok.Value, tok.Step, tok.Life)
		}
	}
	if ts := st.Tokens(); len(ts) != 2 || ts[0].Value != "a" || ts[0].Step != 1 || ts[1].Step != 2 {
		t.Errorf("tokens after the group: want a of step 1, then b of step 2")
	}
	// Either answer to a probe of either token is explained now.
	for i, out := range []model.Outcome{model.Refused, model.Accepted} {
		if j := st.Step(model.Op{Kind: model.Probe, Token: i}, model.Answer{Outcome: out}); !j.OK {
			t.Errorf("probe of token %d answered %v: %s", i, out, j.Allowed)
		}
	}
}

// TestGroupRefusesWhatNoOrderExplains: a live token refused by one of two probes released
// together is refused in every order; the judgement names the rule and the failing probe.
func TestGroupRefusesWhatNoOrderExplains(t *testing.T) {
	st := model.New(model.APIKey(), setup)
	st.Step(model.Op{Kind: model.Login}, model.Answer{Outcome: model.Issued, Token: "a"})
	ops := []model.Op{{Kind: model.Probe, Token: -1}, {Kind: model.Probe, Token: -1}}
	g := st.Group(ops, []model.Answer{{Outcome: model.Accepted}, {Outcome: model.Refused}})
	if g.OK() || g.Failed != 1 || g.Judgements[1].Rule != model.RuleAccepted || g.Orders != 2 {
		t.Fatalf("group judged %+v, want the second probe failing %s", g, model.RuleAccepted)
	}
}

// TestGroupOfOneIsAStep: a group of one operation is judged as Step judges it.
func TestGroupOfOneIsAStep(t *testing.T) {
	a, b := model.New(model.JWT(), setup), model.New(model.JWT(), setup)
	login := model.Op{Kind: model.Login}
	issued := model.Answer{Outcome: model.Issued, Token: "a"}
	if j, g := a.Step(login, issued), b.Group([]model.Op{login}, []model.Answer{issued}); j != g.Judgements[0] || !g.OK() {
		t.Fatalf("step %+v, group %+v", j, g)
	}
	probe := model.Op{Kind: model.Probe, Token: -1}
	wrong := model.Answer{Outcome: model.Accepted, User: 1}
	if j, g := a.Step(probe, wrong), b.Group([]model.Op{probe}, []model.Answer{wrong}); j != g.Judgements[0] || g.OK() {
		t.Fatalf("step %+v, group %+v", j, g)
	}
}
