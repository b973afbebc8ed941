package model_test

import (
	"testing"

	"pgregory.net/rapid"

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

// TestGroupJudgesAnyAnswers drives each model with random groups and random answers: a group
// never panics, each judgement says what it allowed and names a rule the model declares, a
// group that some order explains has every judgement OK, and one that none explains names
// the rule its failing operation broke.
func TestGroupJudgesAnyAnswers(t *testing.T) {
	for _, d := range []*model.Doc{model.Lptracker(), model.JWT(), model.Flylogs()} {
		t.Run(d.Profile, func(t *testing.T) {
			rapid.Check(t, func(t *rapid.T) {
				st := model.New(d, setup)
				for range rapid.IntRange(1, 6).Draw(t, "groups") {
					n := rapid.IntRange(1, 4).Draw(t, "size")
					var ops []model.Op
					var as []model.Answer
					for range n {
						op := model.Op{
							Kind:    model.Kind(rapid.IntRange(0, 2).Draw(t, "kind")),
							Account: rapid.IntRange(0, 1).Draw(t, "account"),
							Wrong:   rapid.IntRange(0, 1).Draw(t, "wrong"),
							From:    rapid.IntRange(0, 1).Draw(t, "from"),
							Token:   rapid.IntRange(-2, 5).Draw(t, "token"),
						}
						if op.Kind == model.Logout && !d.Logout || op.Kind != model.Login && st.Pick(op) == nil {
							continue
						}
						ops = append(ops, op)
						as = append(as, model.Answer{
							Outcome: model.Outcome(rapid.IntRange(0, 3).Draw(t, "outcome")),
							Token:   rapid.SampledFrom([]string{"t1", "t2", "t3"}).Draw(t, "value"),
							User:    rapid.IntRange(-2, 1).Draw(t, "user"),
						})
					}
					if len(ops) == 0 {
						continue
					}
					g := st.Group(ops, as)
					for i, j := range g.Judgements {
						if j.Allowed == "" {
							t.Fatalf("operation %d of %+v: no word on what was allowed", i, ops)
						}
						if _, ok := d.Rule(j.Rule); j.Rule != "" && !ok {
							t.Fatalf("operation %d: rule %q is not one of %s's", i, j.Rule, d.Profile)
						}
						if g.OK() && !j.OK {
							t.Fatalf("group explained, but operation %d judged a discrepancy: %s", i, j.Allowed)
						}
					}
					if !g.OK() {
						if g.Judgements[g.Failed].Rule == "" || g.Judgements[g.Failed].OK {
							t.Fatalf("group not explained, but its failing operation %d names no rule", g.Failed)
						}
						return
					}
				}
			})
		})
	}
}
