package explore

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/conformhq/conform/client"
	"github.com/conformhq/conform/config"
	"github.com/conformhq/conform/model"
	"github.com/conformhq/conform/wireform"
)

// runner sends one profile's operations and judges the answers.
type runner struct {
	o        Options
	setup    model.Setup
	accounts []config.Account
	// plain is how many of accounts have no 2FA (they come first); tf are the 2FA accounts
	// after them, whose codes the exploration reads.
	plain int
	tf    []tfAccount
	// formats are the probe's output formats (doc 002's suffixes), [""] for one.
	formats []string
	// addrs are the client addresses ("" the default one), keys the login's credential fields.
	addrs []string
	keys  credentialKeys
	// wrong are the wrong credentials a login may send (wrongFormsOf).
	wrong []wrongForm
	// companyKeys are the wrong company API keys a request may carry (doc 000; keyForms).
	companyKeys []keyForm
	// noShould stops the operations of should-level rules, once one failed (Report.ShouldFailure).
	noShould bool
	// ids are, per account, the values that name its user in a user object: its login,
	// and every uid its logins returned.
	ids   []map[string]bool
	notes []string
	// grace is the real time to wait after moving the clock (ttl.expiry_grace).
	grace time.Duration
	// made are the tokens the attempt's logins were answered, whatever the model made of the
	// answers: the one that broke a rule (or a group the model could not explain) is in no
	// model state, and left live it would change the next attempt's start (cleanup).
	made []madeToken
}

// madeToken is a token a login of account owner from address from was answered.
type madeToken struct {
	owner, from int
	value       string
}

// newRunner works out what the config and the target let the exploration do.
func newRunner(o Options) (*runner, error) {
	r := &runner{o: o}
	keys, ok := credentials[o.Doc.Profile]
	if !ok {
		return nil, fmt.Errorf("explore: no wire for profile %s", o.Doc.Profile)
	}
	r.keys = keys
	r.wrong = wrongFormsOf(o.Doc.Profile)
	for _, a := range o.Config.Accounts {
		if a.TwoFactor == nil {
			r.accounts = append(r.accounts, a)
		}
	}
	if len(r.accounts) == 0 {
		return nil, fmt.Errorf("explore: %s.accounts has no account without 2FA to log in", o.Doc.Profile)
	}
	r.plain = len(r.accounts)
	r.formats = formatsOf(o.Doc.Profile, o.Config.Probe.Path)
	r.companyKeys = r.keyForms()
	r.twoFactorAccounts()
	for _, t := range r.tf {
		r.accounts = append(r.accounts, t.acc)
	}
	for _, a := range r.accounts {
		r.ids = append(r.ids, map[string]bool{strings.ToLower(a.Login): true})
	}
	d := o.Doc
	r.addrs = []string{""}
	if d.OneUserPerIP {
		ips, why := o.Client.ClientIPs()
		if len(ips) >= 2 {
			r.addrs = ips
		} else {
			r.notes = append(r.notes, "one client address ("+why+"): the per-address rules are explored from the default address only, and other addresses' sessions not at all")
		}
	}
	if r.plain < 2 {
		r.notes = append(r.notes, fmt.Sprintf("one account without 2FA in %s.accounts: no other user's login or token is explored (add a second account)", d.Profile))
	}
	s := model.Setup{Accounts: r.plain, TwoFactor: len(r.tf), Addresses: len(r.addrs), Services: 1, Placements: len(o.Wire.Placements(o.Config)) * len(r.formats), WrongForms: len(r.wrong), Foreign: true}
	if d.Services {
		s.Services = 3
	}
	if d.IdleTTL {
		if t := o.Config.TTL; t != nil && t.ClockHook != nil && t.Idle > 0 {
			s.Clock, s.TTL = true, t.Idle
			s.Edge = min(max(t.Idle/100, 2*time.Second), t.Idle/2)
			r.grace = t.Grace()
		} else {
			r.notes = append(r.notes, fmt.Sprintf("no clock hook (%s.ttl.clock_hook and ttl.idle): the idle TTL is not explored", d.Profile))
		}
	}
	if n := len(o.Client.Instances()); n > 1 {
		r.notes = append(r.notes, fmt.Sprintf("requests go to the %d instances in turn, so a token is used and logged out on an instance other than the one that issued it", n))
	}
	r.setup = s
	return r, nil
}

// Unreachable says why the exploration cannot reach a rule with this setup, "" when it can.
func (r *runner) unreachable(key string) string {
	s := r.setup
	switch key {
	case model.RuleOneUser, model.RuleIPsApart:
		if s.Accounts < 2 {
			return fmt.Sprintf("needs two accounts without 2FA; %s.accounts has %d: add another existing user to the config", r.o.Doc.Profile, s.Accounts)
		}
		if key == model.RuleIPsApart && s.Addresses < 2 {
			return "needs two client addresses (client_ips in the config)"
		}
	case model.RuleTTLWithin, model.RuleTTLExpires:
		if !s.Clock {
			return fmt.Sprintf("needs a clock hook to move the target's time: set %s.ttl.clock_hook and ttl.idle", r.o.Doc.Profile)
		}
	case model.RuleCompany:
		return r.keyUnreachable(key)
	case model.RuleUserRequired:
		if !r.o.Strict {
			return "a should: the exploration sends a key without the user name only with --strict"
		}
	case model.RuleQuery:
		if s.Placements < 2 {
			return "the document's second placement is not configured"
		}
	case model.Rule2FAChallenge, model.Rule2FACode, model.Rule2FAWrong, model.Rule2FAOther:
		if s.TwoFactor == 0 {
			return fmt.Sprintf("needs an account with 2FA whose code the target delivers to a sink (smtp or webhook) in %s.accounts", r.o.Doc.Profile)
		}
		if key == model.Rule2FAOther && s.TwoFactor < 2 {
			return fmt.Sprintf("needs two accounts with 2FA delivered to a sink; %s.accounts has %d", r.o.Doc.Profile, s.TwoFactor)
		}
	}
	return ""
}

// attemptResult is how one sequence went.
type attemptResult struct {
	steps  []Step
	sent   int
	failed bool
	// at is the failing operation's index in the sequence, rule the rule it broke.
	at   int
	rule string
	// picks are, by operation ID, the ID of the login whose token a Probe or Logout used.
	picks map[int]int
	// formOf is the wire form id of each step ("" for the wire's own).
	formOf []string
}

// pick notes the token op uses.
func (res *attemptResult) pick(st *model.State, op model.Op) {
	if op.Kind != model.Probe && op.Kind != model.Logout || op.ID == 0 {
		return
	}
	if t := st.Pick(op); t != nil && t.Op != 0 {
		if res.picks == nil {
			res.picks = map[int]int{}
		}
		res.picks[op.ID] = t.Op
	}
}

// attempt runs ops from a clean model state and logs out every token it made. checked, when
// not nil, counts the answers judged per rule. It stops at the first discrepancy.
func (r *runner) attempt(ctx context.Context, ops []model.Op, checked map[string]int) (attemptResult, error) {
	st := model.New(r.o.Doc, r.setup)
	res, err := r.run(ctx, st, ops, checked)
	if cerr := r.cleanup(st); err == nil && cerr != nil && ctx.Err() == nil {
		err = cerr
	}
	return res, err
}

// run sends ops one after the other against st.
func (r *runner) run(ctx context.Context, st *model.State, ops []model.Op, checked map[string]int) (attemptResult, error) {
	var res attemptResult
	for i := 0; i < len(ops); i++ {
		op := ops[i]
		if err := ctx.Err(); err != nil {
			return res, err
		}
		if op.Together != 0 {
			n := groupLen(ops, i)
			failed, err := r.runGroup(ctx, st, ops, i, n, checked, &res)
			for len(res.formOf) < len(res.steps) {
				res.formOf = append(res.formOf, "") // a group's requests go in the wire's own form
			}
			if err != nil || failed {
				return res, err
			}
			i += n - 1
			continue
		}
		op = st.Resolve(op)
		req, what, ok := r.request(st, op)
		if !ok {
			continue // a probe or logout before any token: nothing to send
		}
		res.pick(st, op)
		var form *wireform.Form
		if op.Kind != model.Clock {
			if req, form = inForm(op, req); form != nil {
				what += " [sent with " + form.Sends + " (" + form.ID + ")]"
			}
		}
		mark := r.codeMark(ctx, op)
		resp, err := r.o.Client.Do(ctx, req)
		if err != nil {
			return res, fmt.Errorf("%s: %w", what, err)
		}
		res.sent++
		if resp.Throttled {
			return res, &ThrottledError{InRow: resp.FailedInRow}
		}
		if op.Kind == model.Clock {
			if resp.Status >= 300 {
				return res, &errClock{status: resp.Status, hook: req.Method + " " + req.Path}
			}
			if err := r.waitGrace(ctx); err != nil {
				return res, err
			}
		}
		a := r.classify(st, op, resp)
		if (op.Kind == model.Challenge || op.Kind == model.Submit) && op.Key == model.KeyRight {
			a = r.classifyTwoFactor(ctx, op, resp, mark)
		}
		j := st.Step(op, a)
		if checked != nil {
			for _, k := range []string{j.Rule, j.Also} {
				if k != "" {
					checked[k]++
				}
			}
		}
		if form != nil {
			res.formOf = append(res.formOf, form.ID)
		} else {
			res.formOf = append(res.formOf, "")
		}
		res.steps = append(res.steps, Step{What: what, Request: req.Method + " " + pathOnly(req.Path), Answer: answerText(resp), Allowed: j.Allowed, Rule: j.Rule, OK: j.OK})
		if !j.OK {
			res.failed, res.at, res.rule = true, i, j.Rule
			return res, nil
		}
	}
	return res, nil
}

// waitGrace waits the config's ttl.expiry_grace after a clock move, the time a target that
// sweeps expired tokens may take to apply it.
func (r *runner) waitGrace(ctx context.Context) error {
	if r.grace <= 0 {
		return nil
	}
	t := time.NewTimer(r.grace)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// cleanup logs out every token the attempt made that a logout may still end, so the next
// attempt starts clean (documents without a logout keep their tokens: no rule of theirs
// depends on them). It runs even after Ctrl-C, each logout bounded by the client's timeout.
func (r *runner) cleanup(st *model.State) error {
	if r.o.Wire.Logout == nil || !r.o.Doc.Logout {
		r.made = nil
		return nil
	}
	ctx := context.Background()
	made := r.made
	r.made = nil
	done := map[string]bool{}
	for _, t := range st.Tokens() {
		done[t.Value] = true
		if t.Life == model.Dead && t.Ended == model.RuleLogoutEnds {
			continue
		}
		req := r.o.Wire.Logout(r.o.Config, sessionOf(r.accounts[t.Owner], t.Value))
		req.Path = r.o.Config.BasePath + req.Path
		req.From = r.addrs[t.From]
		if _, err := r.o.Client.Do(ctx, req); err != nil {
			return fmt.Errorf("log out the token of step %d after the sequence: %w", t.Step, err)
		}
	}
	for _, t := range made {
		if done[t.value] {
			continue
		}
		done[t.value] = true
		req := r.o.Wire.Logout(r.o.Config, sessionOf(r.accounts[t.owner], t.value))
		req.Path = r.o.Config.BasePath + req.Path
		req.From = r.addrs[t.from]
		if _, err := r.o.Client.Do(ctx, req); err != nil {
			return fmt.Errorf("log out a token the sequence's last answer carried: %w", err)
		}
	}
	return nil
}

// pathOnly is a request path without its query string, which may carry a token.
func pathOnly(p string) string {
	path, _, _ := strings.Cut(p, "?")
	return path
}

// answerText is an answer's status and the start of its body, printable.
func answerText(resp *client.Response) string {
	body := strings.TrimSpace(string(resp.Body))
	if r := []rune(body); len(r) > 160 {
		body = string(r[:160]) + "..."
	}
	return client.Printable(fmt.Sprintf("HTTP %d %s %s", resp.Status, http.StatusText(resp.Status), body))
}
