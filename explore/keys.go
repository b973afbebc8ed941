package explore

import (
	"fmt"
	"math/rand/v2"
	"net/http"

	"github.com/tidwall/gjson"

	"github.com/conformhq/conform/client"
	"github.com/conformhq/conform/model"
	"github.com/conformhq/conform/profile"
	"github.com/conformhq/conform/specs/env"
)

// keyForm is a company API key (doc 000) a request may carry in place of the config's, as the
// api-key specs send it: none, a form of the config's key (env.Forms but another account's),
// one the target never issued, another company's (other_company_account.api_key) on this
// company's user, or the config's on another company's user (other_company_account).
type keyForm struct {
	kind    model.KeyKind
	form    env.Form
	none    bool
	unknown bool
	// loginOnly: the form is sent on logins only (the company's users are the logins').
	loginOnly bool
}

// keyForms are the company key forms the config lets the exploration send, nil for a document
// without a company key; a note says what it leaves out.
func (r *runner) keyForms() []keyForm {
	if !r.o.Doc.CompanyKey || r.o.Config.APIKey == "" {
		return nil
	}
	out := []keyForm{
		{kind: model.KeyWrong, none: true},
		{kind: model.KeyWrong, unknown: true},
		{kind: model.KeyWrong, form: env.FormEmpty},
		{kind: model.KeyWrong, form: env.FormCase},
		{kind: model.KeyWrong, form: env.FormPrefix},
		{kind: model.KeyWrong, form: env.FormAppended},
	}
	o := r.o.Config.OtherCompanyAccount
	switch {
	case o == nil:
		r.notes = append(r.notes, r.o.Doc.Profile+".other_company_account is not configured: no login with another company's API key, nor of another company's user, is explored")
		return out
	case o.APIKey != "" && o.APIKey != r.o.Config.APIKey:
		out = append(out, keyForm{kind: model.KeyOtherCompany, loginOnly: true})
	}
	if o.Login != "" && o.Password != "" {
		out = append(out, keyForm{kind: model.KeyForeignUser, loginOnly: true})
	}
	return out
}

// keyShare is the percentage of logins and probes that carry a wrong company key, where the
// document has one: half of those logins carry another company's key or user, where the
// config names one, since only a login can show those. keyShare2FA is the percentage of 2FA
// challenges and code submissions sent without the key, as the api-key specs send them.
const (
	keyShare    = 15
	keyShare2FA = 30
)

// keyStream salts the seed of the stream that draws the company key forms, apart from the
// operations' own: a sequence's operations are the same with or without them.
const keyStream = 0x6b657973

// drawKeys draws the company key of each Login, Probe, Challenge and Submit of ops from forms.
func drawKeys(rng *rand.Rand, ops []model.Op, forms []keyForm) {
	var any, logins []int
	none := -1
	for i, f := range forms {
		switch {
		case f.loginOnly:
			logins = append(logins, i)
		default:
			any = append(any, i)
		}
		if f.none {
			none = i
		}
	}
	if len(any) == 0 {
		return
	}
	for i := range ops {
		n := -1
		switch k := ops[i].Kind; k {
		case model.Login, model.Probe:
			if rng.IntN(100) >= keyShare {
				continue
			}
			n = any[rng.IntN(len(any))]
			if k == model.Login && len(logins) > 0 && rng.IntN(2) == 0 {
				n = logins[rng.IntN(len(logins))]
			}
		case model.Challenge, model.Submit:
			if none < 0 || rng.IntN(100) >= keyShare2FA {
				continue
			}
			n = none
		default:
			continue
		}
		ops[i].Key, ops[i].KeyForm = forms[n].kind, n+1
	}
}

// keyOf is op's company key form, nil for the config's key.
func (r *runner) keyOf(op model.Op) *keyForm {
	if op.Key == model.KeyRight || op.KeyForm == 0 || len(r.companyKeys) == 0 {
		return nil
	}
	f := r.companyKeys[(op.KeyForm-1)%len(r.companyKeys)]
	return &f
}

// putKey puts op's company key form on req in place of the config's, and says so in words.
func (r *runner) putKey(op model.Op, req *client.Request) string {
	f := r.keyOf(op)
	if f == nil {
		return ""
	}
	if req.Header == nil {
		req.Header = http.Header{}
	}
	key := r.o.Config.APIKey
	switch {
	case f.none:
		req.Header.Del("Authorization")
		return " without the API key"
	case f.unknown:
		key = env.Wrong(key)
		req.Header.Set("Authorization", profile.BasicAuth(key))
		return " with an API key the target never issued"
	case f.kind == model.KeyOtherCompany:
		req.Header.Set("Authorization", profile.BasicAuth(r.o.Config.OtherCompanyAccount.APIKey))
		return " with another company's API key (other_company_account's)"
	case f.kind == model.KeyForeignUser:
		return ", a user of another company, with the company's API key"
	}
	v, why := f.form.Value(key, "")
	if why != "" {
		v = env.Wrong(key)
	}
	req.Header.Set("Authorization", profile.BasicAuth(v))
	return " with " + f.form.What("API key")
}

// keyRefused reads an answer to a request with a wrong company key as the api-key specs do:
// an error is no token, and an HTTP error status or no response.result true.
func (r *runner) keyRefused(op model.Op, resp *client.Response) model.Answer {
	a := model.Answer{Status: resp.Status, User: model.NoUser, Outcome: model.Other}
	if op.Kind == model.Probe {
		a.Outcome = model.Refused
		if env.ProbeAccepted(r.o.Config.Probe, resp) {
			a.Outcome = model.Accepted
		}
		return a
	}
	if tok := r.o.Wire.Token(resp.Body); tok != "" {
		a.Outcome, a.Token = model.Issued, tok
		return a
	}
	if resp.Status >= 400 || resp.Get("response.result").Type != gjson.True {
		a.Outcome = model.Refused
	}
	return a
}

// keyUnreachable says why the exploration cannot reach a company key rule, "" when it can.
func (r *runner) keyUnreachable(key string) string {
	if key != model.RuleCompany {
		return ""
	}
	for _, f := range r.companyKeys {
		if f.kind == model.KeyOtherCompany || f.kind == model.KeyForeignUser {
			return ""
		}
	}
	return fmt.Sprintf("needs %s.other_company_account: a user of another company and that company's api_key", r.o.Doc.Profile)
}
