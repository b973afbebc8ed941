package model_test

import (
	"testing"

	"pgregory.net/rapid"

	"github.com/conformhq/conform/model"
)

// tfSetup has two accounts without 2FA (0, 1) and two with (2, 3; 0 and 1 among them).
var tfSetup = model.Setup{Accounts: 2, Addresses: 1, Services: 1, Placements: 1, WrongForms: 6, TwoFactor: 2}

func challenge(acc int) model.Op { return model.Op{Kind: model.Challenge, Account: acc} }

func submit(acc int, k model.CodeKind) model.Op {
	return model.Op{Kind: model.Submit, Account: acc, Code: k}
}

// wrongPassword submits the latest code of acc with a wrong password.
func wrongPassword(acc int) model.Op {
	op := submit(acc, model.CodeLatest)
	op.Wrong = 1
	return op
}

func challenged(code string) model.Answer {
	return model.Answer{Outcome: model.Challenged, Status: 200, Code: code, User: model.NoUser}
}

// TestTwoFactorRules walks the 2FA sequences whose judgement docs 000 and 002 fix, and those
// they leave open.
func TestTwoFactorRules(t *testing.T) {
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
		{"the challenge sends a code, which logs in", []step{
			{challenge(0), challenged("1111"), model.Rule2FAChallenge, true},
			{submit(0, model.CodeLatest), issued("a"), model.Rule2FACode, true},
			{probe(0), accepted, model.RuleAccepted, true},
		}},
		{"a challenge without a code fails", []step{
			{challenge(0), challenged(""), model.Rule2FAChallenge, false},
		}},
		{"a token at once fails", []step{
			{challenge(0), issued("a"), model.Rule2FAChallenge, false},
		}},
		{"the latest code refused fails", []step{
			{challenge(0), challenged("1111"), model.Rule2FAChallenge, true},
			{submit(0, model.CodeLatest), refused, model.Rule2FACode, false},
		}},
		{"a wrong code gets no token", []step{
			{challenge(0), challenged("1111"), model.Rule2FAChallenge, true},
			{submit(0, model.CodeWrong), issued("a"), model.Rule2FAWrong, false},
		}},
		{"another user's code gets no token", []step{
			{challenge(0), challenged("1111"), model.Rule2FAChallenge, true},
			{challenge(1), challenged("2222"), model.Rule2FAChallenge, true},
			{submit(0, model.CodeOther), issued("a"), model.Rule2FAOther, false},
		}},
		{"a superseded code may log in or not", []step{
			{challenge(0), challenged("1111"), model.Rule2FAChallenge, true},
			{challenge(0), challenged("1112"), model.Rule2FAChallenge, true},
			{submit(0, model.CodeEarlier), refused, "", true},
			{submit(0, model.CodeEarlier), issued("a"), "", true},
		}},
		{"a used code may log in again or not", []step{
			{challenge(0), challenged("1111"), model.Rule2FAChallenge, true},
			{submit(0, model.CodeLatest), issued("a"), model.Rule2FACode, true},
			{submit(0, model.CodeLatest), refused, "", true},
		}},
		{"after a refused code the latest may be refused (doc 000: a new code comes)", []step{
			{challenge(0), challenged("1111"), model.Rule2FAChallenge, true},
			{submit(0, model.CodeWrong), refused, model.Rule2FAWrong, true},
			{submit(0, model.CodeLatest), refused, "", true},
		}},
		{"a wrong code answered by a challenge must send a code", []step{
			{challenge(0), challenged("1111"), model.Rule2FAChallenge, true},
			{submit(0, model.CodeWrong), challenged(""), model.Rule2FAChallenge, false},
		}},
		{"the code a wrong code's challenge sent is the latest", []step{
			{challenge(0), challenged("1111"), model.Rule2FAChallenge, true},
			{submit(0, model.CodeWrong), challenged("1113"), model.Rule2FAWrong, true},
			{submit(0, model.CodeLatest), refused, model.Rule2FACode, false},
		}},
		{"the latest code with a wrong password gets no token", []step{
			{challenge(0), challenged("1111"), model.Rule2FAChallenge, true},
			{wrongPassword(0), issued("a"), model.RuleWrong, false},
		}},
		{"after a wrong password the latest code may log in or not", []step{
			{challenge(0), challenged("1111"), model.Rule2FAChallenge, true},
			{wrongPassword(0), refused, model.RuleWrong, true},
			{submit(0, model.CodeLatest), refused, "", true},
		}},
		{"a wrong password answered by a challenge: its code is the latest", []step{
			{challenge(0), challenged("1111"), model.Rule2FAChallenge, true},
			{wrongPassword(0), challenged("1113"), model.RuleWrong, true},
			{submit(0, model.CodeEarlier), issued("a"), "", true},
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			st := model.New(model.Flylogs(), tfSetup)
			for i, s := range c.steps {
				j := st.Step(st.Resolve(s.op), s.a)
				if j.Rule != s.rule || j.OK != s.ok {
					t.Fatalf("step %d: judged by %q ok=%v (%s), want %q ok=%v", i+1, j.Rule, j.OK, j.Allowed, s.rule, s.ok)
				}
			}
		})
	}
}

// TestTwoFactorNeverPanics drives the 2FA models with random operations and answers: every
// judgement names a rule of the model, or allows anything.
func TestTwoFactorNeverPanics(t *testing.T) {
	for _, d := range []*model.Doc{model.Flylogs(), model.NewAPIKey()} {
		t.Run(d.Profile, func(t *testing.T) {
			rapid.Check(t, func(t *rapid.T) {
				st := model.New(d, tfSetup)
				n := rapid.IntRange(1, 30).Draw(t, "n")
				for i := range n {
					op := model.Op{
						Kind:    rapid.SampledFrom([]model.Kind{model.Login, model.Probe, model.Challenge, model.Submit}).Draw(t, "kind"),
						Account: rapid.IntRange(0, 3).Draw(t, "account"),
						Wrong:   rapid.IntRange(0, 1).Draw(t, "wrong"),
						Token:   rapid.IntRange(-2, 20).Draw(t, "token"),
						Code:    model.CodeKind(rapid.IntRange(0, 6).Draw(t, "code")),
						Key:     model.KeyKind(rapid.IntRange(0, 3).Draw(t, "key")),
					}
					op = st.Resolve(op)
					if op.Kind == model.Probe && st.Pick(op) == nil {
						continue
					}
					if op.Kind == model.Submit {
						st.SubmitCode(op, func(_ model.CodeKind, like string) string { return like + "9" })
					}
					a := model.Answer{Outcome: model.Outcome(rapid.IntRange(0, 4).Draw(t, "outcome")), Status: 200, User: model.NoUser}
					switch a.Outcome {
					case model.Issued:
						a.Token = rapid.SampledFrom([]string{"t1", "t2"}).Draw(t, "token")
					case model.Challenged:
						a.Code = rapid.SampledFrom([]string{"", "1111", "2222"}).Draw(t, "code")
					}
					j := st.Step(op, a)
					if j.Allowed == "" || (!j.OK && j.Rule == "") {
						t.Fatalf("step %d (%+v): %+v", i+1, op, j)
					}
					if _, ok := d.Rule(j.Rule); j.Rule != "" && !ok {
						t.Fatalf("step %d: rule %q is not %s's", i+1, j.Rule, d.Profile)
					}
				}
			})
		})
	}
}
