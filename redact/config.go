package redact

import (
	"fmt"

	"github.com/conformhq/conform/config"
)

// ForConfig returns a Redactor of every secret in f, in every profile section whether a run
// selects it or not: passwords (and login:password, as a Basic credential would carry them),
// API keys and secrets (and key:secret), the company API key, static 2FA codes, TOTP secrets
// and the JWT key. Each note names a secret too short to be masked, for the run to print.
func ForConfig(f *config.File) (*Redactor, []string) {
	r := &Redactor{}
	var secrets, pats, notes []string
	add := func(field, user, s string) {
		switch {
		case s == "":
		case !Maskable(s):
			notes = append(notes, fmt.Sprintf("%s has fewer than %d characters: it is not masked in output", field, MinLen))
		default:
			secrets = append(secrets, s)
			pats = append(pats, forms(s)...)
			if user != "" {
				pats = append(pats, basicForms(user+":"+s)...)
			}
		}
	}
	if f == nil {
		return r, nil
	}
	for k, v := range f.Headers {
		add("headers."+k, "", v)
	}
	for _, name := range f.Present() {
		sec := f.Section(name)
		add(name+".api_key", "", sec.APIKey)
		if sec.JWT != nil {
			add(name+".jwt.secret", "", sec.JWT.Secret)
		}
		if o := sec.OtherCompanyAccount; o != nil {
			add(name+".other_company_account.password", o.Login, o.Password)
			add(name+".other_company_account.api_key", "", o.APIKey)
		}
		for i, a := range sec.Accounts {
			field := fmt.Sprintf("%s.accounts[%d].", name, i)
			add(field+"password", a.Login, a.Password)
			add(field+"api_key", "", a.APIKey)
			add(field+"api_secret", a.APIKey, a.APISecret)
			if t := a.TwoFactor; t != nil {
				add(field+"two_factor.code", "", t.Code)
				add(field+"two_factor.totp_secret", "", t.TOTPSecret)
			}
		}
	}
	r.add(secrets, pats)
	return r, notes
}
