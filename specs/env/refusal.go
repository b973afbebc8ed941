package env

import "github.com/conformhq/conform/config"

// Refusal is one kind of failed login a document names in one message ("Incorrect email or
// password"): a wrong password for an existing login, or a login no account has. Specs of the
// failure's shape and message try each, since a server may answer the two differently.
type Refusal struct {
	// What names the refusal in spec texts: "a wrong password", "an unknown email".
	What    string
	unknown bool
}

// Refusals returns the two refusals, naming the login field as the document does ("email",
// "user").
func Refusals(login string) []Refusal {
	return []Refusal{{What: "a wrong password"}, {What: "an unknown " + login, unknown: true}}
}

// Credentials returns the login and password of the refusal, made from account a: a's login
// with a wrong password, or a login no account has with a's password.
func (r Refusal) Credentials(a config.Account) (login, password string) {
	if r.unknown {
		return "conform-nobody-" + a.Login, a.Password
	}
	return a.Login, Wrong(a.Password)
}
