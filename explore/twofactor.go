package explore

import (
	"context"
	"fmt"
	"math/rand/v2"

	"github.com/tidwall/gjson"

	"github.com/conformhq/conform/client"
	"github.com/conformhq/conform/config"
	"github.com/conformhq/conform/model"
	"github.com/conformhq/conform/specs/env"
	"github.com/conformhq/conform/twofactor"
)

// tfAccount is a 2FA account the exploration logs in, and where its codes arrive.
type tfAccount struct {
	acc config.Account
	src twofactor.Source
}

// codeFields are the login fields that carry a 2FA code, for the documents with 2FA.
var codeFields = map[string]string{"flylogs": "code", "newapikey": "tfkey"}

// twoFactorAccounts finds the 2FA accounts whose codes the target delivers to a running sink,
// and says why the others are left out.
func (r *runner) twoFactorAccounts() {
	if !r.o.Doc.TwoFactor {
		return
	}
	for _, a := range r.o.Config.Accounts {
		if a.TwoFactor == nil {
			continue
		}
		src, err := twofactor.For(a, r.o.Doc.Profile, r.o.Sinks)
		switch {
		case err != nil:
			r.notes = append(r.notes, fmt.Sprintf("2FA account %s left out: %v", a.Login, err))
		case !src.Delivered():
			r.notes = append(r.notes, fmt.Sprintf("2FA account %s left out: its code source (%s) is not one the target delivers to, so a code sent cannot be told from one computed", a.Login, a.TwoFactor.Source))
		default:
			r.tf = append(r.tf, tfAccount{a, src})
		}
	}
}

// generateTwoFactor draws a Challenge or a Submit: a submission twice as often, of the latest
// code most often, with a wrong password one time in wrongPasswordOdds.
func generateTwoFactor(rng *rand.Rand, s model.Setup) model.Op {
	acc := rng.IntN(s.TwoFactor)
	if rng.IntN(3) == 0 {
		return model.Op{Kind: model.Challenge, Account: acc}
	}
	return generateSubmit(rng, acc)
}

// generateSubmit draws a Submit of 2FA account acc: of the latest code most often.
func generateSubmit(rng *rand.Rand, acc int) model.Op {
	kinds := []model.CodeKind{model.CodeLatest, model.CodeLatest, model.CodeEarlier, model.CodeOther, model.CodeWrong}
	op := model.Op{Kind: model.Submit, Account: acc, Code: kinds[rng.IntN(len(kinds))], Token: rng.IntN(1 << 16)}
	if rng.IntN(wrongPasswordOdds) == 0 {
		op.Wrong = 1
	}
	return op
}

// wrongPasswordOdds: one submission of a code in wrongPasswordOdds goes with a wrong password
// (a code must not stand in for the password).
const wrongPasswordOdds = 6

// codeShare is the percentage of code submissions that send the latest code in a form a real
// comparison lets through (empty, cut, lengthened), as the 2FA form specs send it; followShare
// the percentage of challenges followed at once by such a submission of the code the challenge
// sent (a later submission often meets no code outstanding: used, or ended by failures), and
// crossShare of those followed by the next 2FA account's challenge and a submission of its
// code (another user's code while the user has one of its own outstanding). A
// challenge of doc 000 sends an empty code half the time ("the provided code was not correct
// or empty"), as its 2FA specs do, and no code field the other half.
const (
	codeShare   = 25
	followShare = 60
	crossShare  = 20
)

// codeStream salts the seed of the stream that draws those forms, apart from the operations'
// own: a sequence's operations are the same with or without them, but for the submissions
// inserted after a challenge.
const codeStream = 0x636f646573

// drawCodes turns some of the code submissions of ops into submissions of a form of the
// latest code, and follows some challenges with one; it returns at most n operations.
func drawCodes(rng *rand.Rand, ops []model.Op, n int) []model.Op {
	forms := []model.CodeKind{model.CodeEmpty, model.CodePrefix, model.CodeAppended}
	out := make([]model.Op, 0, len(ops))
	for _, op := range ops {
		switch {
		case op.Kind == model.Submit && rng.IntN(100) < codeShare:
			op.Code = forms[rng.IntN(len(forms))]
		case op.Kind == model.Challenge:
			if rng.IntN(2) == 0 {
				op.Code = model.CodeEmpty
			}
			switch w := rng.IntN(100); {
			case w < followShare:
				out = append(out, op)
				op = model.Op{Kind: model.Submit, Account: op.Account, Code: forms[rng.IntN(len(forms))]}
			case w < followShare+crossShare:
				// The next 2FA account's challenge, then this account's login with that
				// account's code: another user's code, with one of its own outstanding.
				out = append(out, op, model.Op{Kind: model.Challenge, Account: op.Account + 1})
				op = model.Op{Kind: model.Submit, Account: op.Account, Code: model.CodeOther}
			}
		}
		out = append(out, op)
	}
	return out[:min(n, len(out))]
}

// twoFactorLogin builds a Challenge's or a Submit's request (op resolved by
// model.State.Resolve).
func (r *runner) twoFactorLogin(st *model.State, op model.Op) (req client.Request, what string, ok bool) {
	j := op.Account % len(r.tf)
	t := r.tf[j]
	req = r.o.Wire.Login(r.o.Config, t.acc, 0)
	req.Path = r.o.Config.BasePath + req.Path
	what = fmt.Sprintf("log in 2FA account %d (%s) with the right %s", r.plain+j+1, t.acc.Login, r.keys.password)
	if op.Kind == model.Challenge {
		if op.Code == model.CodeEmpty && r.o.Doc.Profile == "flylogs" {
			setField(&req, codeFields[r.o.Doc.Profile], "")
			return req, what + " and an empty code", true
		}
		return req, what + " and no code", true
	}
	code := st.SubmitCode(op, func(k model.CodeKind, latest string) string {
		switch k {
		case model.CodeEmpty:
			return ""
		case model.CodePrefix:
			v, _ := env.FormPrefix.Value(latest, "")
			return v
		case model.CodeAppended:
			v, _ := env.FormAppended.Value(latest, "")
			return v
		}
		return env.WrongCode(t.src, latest)
	})
	setField(&req, codeFields[r.o.Doc.Profile], code)
	if op.Wrong > 0 {
		setField(&req, r.keys.password, env.Wrong(r.keys.passwordOf(t.acc)))
		what = fmt.Sprintf("log in 2FA account %d (%s) with a wrong %s", r.plain+j+1, t.acc.Login, r.keys.password)
	}
	return req, what + " and " + op.Code.String(), true
}

// challenged reports whether a login answer is the document's 2FA challenge: doc 000's
// two_factor false, doc 002's ADDED_TF.
func challenged(profile string, resp *client.Response) bool {
	switch profile {
	case "flylogs":
		return resp.Get("response.two_factor").Type == gjson.False
	case "newapikey":
		return resp.Get("success").String() == "ADDED_TF"
	}
	return false
}

// codeMark is where a 2FA account's inbox stands before op is sent, so that the code its answer
// sends is read after it; 0 for operations of no 2FA account.
func (r *runner) codeMark(ctx context.Context, op model.Op) uint64 {
	if op.Kind != model.Challenge && op.Kind != model.Submit {
		return 0
	}
	return r.tf[op.Account%len(r.tf)].src.Mark(ctx)
}

// classifyTwoFactor reads the answer to a Challenge or Submit: a token, the challenge (with the
// code that arrived after mark, "" when none did within the account's timeout), a refusal.
func (r *runner) classifyTwoFactor(ctx context.Context, op model.Op, resp *client.Response, mark uint64) model.Answer {
	a := model.Answer{Status: resp.Status, User: model.NoUser}
	w := r.o.Wire
	if tok := w.Token(resp.Body); tok != "" {
		a.Outcome, a.Token = model.Issued, tok
		_, a.Envelope = w.LoginToken(resp.Body)
		return a
	}
	switch {
	case challenged(r.o.Doc.Profile, resp):
		a.Outcome = model.Challenged
		if c, err := r.tf[op.Account%len(r.tf)].src.Code(ctx, mark); err == nil {
			a.Code = c
		}
	case refusal(w, resp):
		a.Outcome = model.Refused
	default:
		a.Outcome = model.Other
	}
	return a
}
