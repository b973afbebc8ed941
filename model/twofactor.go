package model

import "fmt"

// The 2FA rules (docs 000 and 002): a model enforces them when Doc.TwoFactor is set and the
// setup has accounts with 2FA (Setup.TwoFactor).
const (
	// Rule2FAChallenge: the right password of a 2FA account without a code (doc 000: or with
	// a wrong one) gets the document's challenge, no token, and a code is sent.
	Rule2FAChallenge = "2fa-challenge-sends-code"
	// Rule2FACode: the latest code sent logs its user in.
	Rule2FACode = "2fa-latest-code-logs-in"
	// Rule2FAWrong: a code never sent gets no token.
	Rule2FAWrong = "2fa-wrong-code-refused"
	// Rule2FAOther: another user's code gets no token.
	Rule2FAOther = "2fa-other-users-code-refused"
)

// CodeKind is which code a Submit sends.
type CodeKind int

// The codes a Submit may send.
const (
	// CodeLatest is the latest code sent to the account.
	CodeLatest CodeKind = iota
	// CodeEarlier is an earlier code sent to the account, which a later one superseded.
	CodeEarlier
	// CodeOther is the latest code sent to another 2FA account.
	CodeOther
	// CodeWrong is a code never sent, of the length of the account's latest.
	CodeWrong
	// CodeEmpty, CodePrefix and CodeAppended are the account's latest code empty, without its
	// last character and with one more: codes never sent, in the forms a real comparison lets
	// through (the 2FA form specs send them).
	CodeEmpty
	CodePrefix
	CodeAppended
)

// wrongCode says which codes a Submit sends that were never sent to anyone.
func (k CodeKind) wrongCode() bool {
	return k == CodeWrong || k == CodeEmpty || k == CodePrefix || k == CodeAppended
}

func (k CodeKind) String() string {
	switch k {
	case CodeLatest:
		return "the latest code sent"
	case CodeEarlier:
		return "an earlier code, superseded by a later one"
	case CodeOther:
		return "another 2FA user's latest code"
	case CodeEmpty:
		return "an empty code"
	case CodePrefix:
		return "the latest code sent without its last character"
	case CodeAppended:
		return "the latest code sent with one character appended"
	}
	return "a code never sent"
}

// code is one code sent to a 2FA account, as the model follows it.
type code struct {
	value string
	// step is the step whose answer sent it (1-based); used the step it logged in, 0 if none.
	step, used int
}

// codes are the codes sent to one 2FA account since the exploration began, oldest first.
type codes struct {
	sent []*code
	// failedSince is the step of a code refused since the latest was sent (0: none): a target
	// may end the outstanding codes after failed attempts (the documents give no limit), so
	// the latest is then in doubt.
	failedSince int
}

// twoFactor is the 2FA part of a State: the codes of each 2FA account, by its index among
// them.
type twoFactor struct {
	accounts []codes
}

// tfAccount is the index among every account (Token.Owner) of op's 2FA account.
func (s *State) tfAccount(op Op) (acc, j int) {
	j = op.Account % max(s.setup.TwoFactor, 1)
	return s.setup.Accounts + j, j
}

// Resolve is op as it runs in the state: a Submit to an account no code was sent to yet is
// its Challenge; an earlier code where only one was sent is the latest; another user's code
// where no other account has one, or where it is also one of this account's, is a wrong one.
// Shrinking takes operations out, so an operation may meet a state its sequence did not
// draw it for.
func (s *State) Resolve(op Op) Op {
	if op.Kind != Submit {
		return op
	}
	_, j := s.tfAccount(op)
	own := s.tf.accounts[j].sent
	switch {
	case len(own) == 0:
		op.Kind = Challenge
	case op.Code == CodeEarlier && len(own) < 2:
		op.Code = CodeLatest
	case op.Code == CodeOther && s.otherCode(j) == "":
		op.Code = CodeWrong
	}
	return op
}

// otherCode is the latest code of the next 2FA account after j that has one, "" when none has
// or when it is also one of j's codes.
func (s *State) otherCode(j int) string {
	for i := 1; i < len(s.tf.accounts); i++ {
		o := s.tf.accounts[(j+i)%len(s.tf.accounts)].sent
		if len(o) == 0 {
			continue
		}
		if v := o[len(o)-1].value; !s.isOwn(j, v) {
			return v
		}
		return ""
	}
	return ""
}

// SubmitCode returns the code a Submit (resolved by Resolve) sends. wrong returns a code never
// sent of kind k (CodeWrong, CodeEmpty, CodePrefix, CodeAppended), made from the account's
// latest code.
func (s *State) SubmitCode(op Op, wrong func(k CodeKind, latest string) string) string {
	_, j := s.tfAccount(op)
	own := s.tf.accounts[j].sent
	latest := own[len(own)-1]
	switch op.Code {
	case CodeLatest:
		return latest.value
	case CodeEarlier:
		return own[earlier(op.Token, len(own)-1)].value
	case CodeOther:
		return s.otherCode(j)
	}
	return wrong(op.Code, latest.value)
}

// earlier is the index among n earlier codes that token picks, whatever its sign.
func earlier(token, n int) int { return ((token % n) + n) % n }

// isOwn reports whether v is a code sent to 2FA account j.
func (s *State) isOwn(j int, v string) bool {
	for _, c := range s.tf.accounts[j].sent {
		if c.value == v {
			return true
		}
	}
	return false
}

// challenge judges a login of a 2FA account with the right password and no code.
func (s *State) challenge(op Op, a Answer) Judgement {
	acc, j := s.tfAccount(op)
	s.acted[acc] = s.now
	if a.Outcome != Challenged || a.Token != "" {
		return allowed(Rule2FAChallenge, false, "the document's 2FA challenge without a token: the account has 2FA and no code was sent")
	}
	return s.delivered(j, a, "the document's 2FA challenge, and a code sent")
}

// delivered records the code a challenge answer sent, or fails Rule2FAChallenge when none came.
func (s *State) delivered(j int, a Answer, want string) Judgement {
	if a.Code == "" {
		return allowed(Rule2FAChallenge, false, "%s: no code arrived at the account's sink", want)
	}
	c := &s.tf.accounts[j]
	c.sent = append(c.sent, &code{value: a.Code, step: s.step})
	c.failedSince = 0
	return allowed(Rule2FAChallenge, true, "%s", want)
}

// submit judges a login of a 2FA account with the right password and the code op picks.
func (s *State) submit(op Op, a Answer) Judgement {
	acc, j := s.tfAccount(op)
	s.acted[acc] = s.now
	c := &s.tf.accounts[j]
	if op.Wrong > 0 {
		return s.submitWrongPassword(c, a)
	}
	latest := c.sent[len(c.sent)-1]
	var sent *code
	switch op.Code {
	case CodeLatest:
		sent = latest
	case CodeEarlier:
		sent = c.sent[earlier(op.Token, len(c.sent)-1)]
	}
	must := sent == latest && latest.used == 0 && c.failedSince == 0
	if a.Outcome == Issued && a.Envelope == "" {
		s.issue(acc, 0, op, a.Token)
		switch {
		case op.Code == CodeOther:
			return allowed(Rule2FAOther, false, "no token: the code was sent to another user")
		case op.Code.wrongCode():
			return allowed(Rule2FAWrong, false, "no token: the code was never sent")
		}
		j := allowed(Rule2FACode, true, "a token: the latest code sent")
		if !must {
			j = allowed("", true, "a token or a refusal: %s", s.silence(sent, latest, c))
		}
		sent.used = s.step
		return j
	}
	var j2 Judgement
	switch {
	case must:
		return allowed(Rule2FACode, false, "a token: the latest code sent (step %d), unused, and no code refused since", latest.step)
	case op.Code == CodeOther:
		j2 = allowed(Rule2FAOther, true, "no token: the code was sent to another user")
	case op.Code.wrongCode():
		j2 = allowed(Rule2FAWrong, true, "no token: the code was never sent")
	default:
		j2 = allowed("", true, "a token or a refusal: %s", s.silence(sent, latest, c))
	}
	c.failedSince = s.step
	if a.Outcome == Challenged {
		// Doc 000: a wrong code "triggers a code generation process and email"; a challenge
		// answer sends a code in doc 002 too.
		if d := s.delivered(j, a, "no token, and a new code sent"); !d.OK {
			return d
		}
	}
	return j2
}

// silence says which reading of a silence lets a code log in or not.
func (s *State) silence(sent, latest *code, c *codes) string {
	switch {
	case sent != latest:
		return fmt.Sprintf("the code of step %d was superseded by the code of step %d (the document does not say an earlier code stops working)", sent.step, latest.step)
	case sent.used != 0:
		return fmt.Sprintf("the code logged its user in at step %d (the document does not say a code is single-use)", sent.used)
	}
	return fmt.Sprintf("a code was refused at step %d since it was sent (a target may end a user's codes after failed attempts)", c.failedSince)
}

// submitWrongPassword judges a login of a 2FA account with a wrong password and the code op
// picks (the latest, most often): no token, whatever the code. Doc 000 answers wrong
// credentials with its failure ("Incorrect email or password") and gives the code only with
// them: "Provide the correct code and Flylogs will return result=true for email and password
// validation"; doc 002: "If something is wrong with username, password or tfkey" the answer is
// USER_NOT_FOUND. Readings accepted: any answer without a token (a refusal, or the challenge);
// the attempt may use up the code or count as a failed attempt that ends the user's codes, so
// the latest code is not required to log in after it; a code a challenge answer sends is the
// account's latest from then on.
func (s *State) submitWrongPassword(c *codes, a Answer) Judgement {
	if a.Outcome == Challenged && a.Code != "" {
		c.sent = append(c.sent, &code{value: a.Code, step: s.step})
	}
	c.failedSince = s.step
	return allowed(RuleWrong, a.Outcome != Issued && a.Token == "", "no token: the password is wrong, whatever the code")
}
