package reference

// accountBreaks are the per-account 2FA behaviours a server may keep for one user and not
// another: each break keeps the behaviour for the first 2FA user (users.yaml's order, which the
// fixture configs follow) and breaks it for every later one, so that only a spec that checks
// every configured 2FA account sees it (specs/env.TwoFactorAccounts).
type accountBreaks struct {
	noDeliveryLater, challengeLater, shapeLater bool
	// codeSkipsPassword is for every 2FA user: a login with a valid code is taken whatever
	// the password.
	codeSkipsPassword bool
}

// accountBreakDefs are the account breaks of profile, which names its code (code or tfkey)
// and its challenge answer.
func accountBreakDefs[T any](profile, code, challenge, shape string, get func(*T) *accountBreaks) []breakDef[T] {
	return []breakDef[T]{
		{profile + ".2fa-no-delivery-second", "the codes of every 2FA user after the first are generated but never sent (the first user's are)", func(x *T) { get(x).noDeliveryLater = true }},
		{profile + ".2fa-later-user-challenge", "the login without a " + code + " of every 2FA user after the first answers " + challenge + " (the code is still sent)", func(x *T) { get(x).challengeLater = true }},
		{profile + ".2fa-later-user-shape", "the login with the " + code + " of every 2FA user after the first answers " + shape, func(x *T) { get(x).shapeLater = true }},
		{profile + ".2fa-code-skips-password", "a 2FA user's login with a valid " + code + " is taken whatever the password", func(x *T) { get(x).codeSkipsPassword = true }},
	}
}

// later reports whether u is a 2FA user after the first one.
func (ix *userIndex) later2FA(u *User) bool {
	if u.TwoFactor == "" {
		return false
	}
	for _, v := range ix.list {
		if v.TwoFactor != "" {
			return v != u
		}
	}
	return false
}
