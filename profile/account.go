package profile

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/conformhq/conform/client"
	"github.com/conformhq/conform/config"
)

// AccountError says an account of a target config cannot log in on the target: a wrong
// password (or API key, company key, base path) found before anything runs, so that it costs
// one line instead of a screen of spec failures. It names the account by its login or API key,
// never by its secret.
type AccountError struct {
	Profile string
	// Index is the account's place in the section's accounts.
	Index int
	// Who is the account's login, or its api_key for key-and-secret documents.
	Who string
	// Answer is what the target answered (status and body, or why there was no answer),
	// secrets masked, on one line and clipped.
	Answer string
	// Check says what to look at in the config.
	Check string
}

func (e *AccountError) Error() string {
	return fmt.Sprintf("%s.accounts[%d] (%s) cannot log in: %s: %s", e.Profile, e.Index, e.Who, e.Answer, e.Check)
}

// answerClip is how much of a target's answer an AccountError quotes.
const answerClip = 200

// ErrThrottled is CheckAccounts' answer when the target throttled a login past the client's
// retries: no account was judged, and the caller leaves the target's throttling to the specs
// (which end the run when it goes on).
var ErrThrottled = errors.New("the target throttled the account check (HTTP 429)")

// CheckAccounts is CheckAccountsNoting without its notes and without the probe check (conform
// load's preflight: the load's own report shows what its probe answers).
func (d Document) CheckAccounts(ctx context.Context, c *client.Client, sec *config.Profile, configName string) error {
	_, err := d.checkAccounts(ctx, c, sec, configName, false)
	return err
}

// CheckAccountsNoting logs each account of sec without two_factor in once, as the document's
// wire does, and reads the answers as the specs do. It returns an error only for what it can
// show is the config's to fix (joined): an *AccountError for each account whose login the
// target refused as the document refuses wrong credentials (no token, and HTTP 401 or 403 or
// the document's failure envelope, Wire.Refused), or answered 404 or 405 (the login is not where
// the config's base path puts it); a *ProbeError when the config's probe or token placement
// proved wrong on the first session (see checkProbe). What is the target's to answer for (a
// login in a shape the document does not have: the token elsewhere, a 400, a 5xx; no whole
// answer) goes on to the specs, which fail the requirement it breaks; notes say what the check
// met there. configName names the config file in the advice.
//
// Accounts with two_factor are left out: a login without its code makes the target send one
// (docs 000 and 002 say so), a mail or text per run to a real phone or mailbox, and no
// document's answer to a right password without a code differs from a wrong password's in
// a way every target must show. Their specs log them in with their codes.
//
// Where the document has a logout (Wire.Logout), each session is logged out again at once: on
// doc 003 a session left open from one client address changes what the next user's login
// from that address gets. A token the answer holds elsewhere than the document puts it is
// logged out too (anyToken). An account refused while an earlier account's session may still
// hold the address (its token not found, its logout not accepted) is doc 003's one-user-per-IP
// rule as far as conform can tell, caused by the target's earlier answer: a note, not an error;
// with a second client address the account is tried there first. Requests go through c, so its
// transcript masks the secrets they carry; the transcript is left empty.
func (d Document) CheckAccountsNoting(ctx context.Context, c *client.Client, sec *config.Profile, configName string) (notes []string, _ error) {
	return d.checkAccounts(ctx, c, sec, configName, true)
}

// checkAccounts is CheckAccountsNoting, with the probe check when probe is set.
func (d Document) checkAccounts(ctx context.Context, c *client.Client, sec *config.Profile, configName string, probe bool) (notes []string, _ error) {
	var errs []error
	lostLogout := -1 // the first account whose session the check could not end
	held := -1       // the first account that logged in during the check: its session may live on
	probed := !probe
	defer c.Transcript().Reset()
	for i, a := range sec.Accounts {
		if a.TwoFactor != nil {
			continue
		}
		if err := ctx.Err(); err != nil {
			return notes, err
		}
		c.Transcript().Reset()
		r := d.Wire.Login(sec, a, 0)
		r.Path = sec.BasePath + r.Path
		resp, err := c.Do(ctx, r)
		if ctx.Err() != nil {
			return notes, ctx.Err()
		}
		if err != nil {
			// No whole answer (none, cut off, stalled): a target's failure, not the account's;
			// the specs report it, and a target that stopped answering ends the run.
			continue
		}
		if resp.Throttled {
			// Still 429 after the client's retries: the target's failure too, and every
			// further login would only wait out more of it.
			return notes, ErrThrottled
		}
		if tok := d.Wire.Token(resp.Body); tok != "" {
			if held < 0 {
				held = i
			}
			if !probed {
				probed = true
				if err := d.checkProbe(ctx, c, sec, Session{Account: a, Token: tok}, configName); err != nil {
					if ctx.Err() != nil {
						return notes, ctx.Err()
					}
					errs = append(errs, err)
				}
			}
			if !d.logout(ctx, c, sec, Session{Account: a, Token: tok}) && lostLogout < 0 {
				lostLogout = i
			}
			continue
		}
		if !d.Wire.Refused(resp.Status, resp.Body) && resp.Status != http.StatusNotFound && resp.Status != http.StatusMethodNotAllowed {
			// No token where the document puts it, and no refusal either: the specs report
			// what the target got wrong. A session it may have opened is ended with whatever
			// token the answer holds.
			what := "no token"
			if tok := anyToken(resp.Body); tok != "" {
				what = "a token elsewhere"
				if held < 0 {
					held = i
				}
				if !d.logout(ctx, c, sec, Session{Account: a, Token: tok}) && lostLogout < 0 {
					lostLogout = i
				}
			} else if resp.Status >= 200 && resp.Status <= 299 && lostLogout < 0 {
				lostLogout = i // a session may be open that conform cannot end
			}
			notes = append(notes, client.Printable(fmt.Sprintf("%s.accounts[%d]'s login answered %s, %s than at %s where doc %s puts it: the specs judge the answer", d.Name, i, answer(c), what, d.Wire.TokenPath, d.Number)))
			continue
		}
		ips, _ := c.ClientIPs()
		triedElsewhere := (held >= 0 || lostLogout >= 0) && d.Wire.OneUserPerIP && len(ips) >= 2
		if triedElsewhere && d.loginsElsewhere(ctx, c, sec, a, ips[1]) {
			// Refused here, accepted from another client address: the credentials are right,
			// and the target still holds an earlier account's session on this address although
			// its logout was answered. That is the target's to answer for (the logout and
			// per-IP specs), not the config's.
			continue
		}
		if d.Wire.OneUserPerIP && lostLogout >= 0 && !triedElsewhere {
			// An earlier account's session may still hold this address: the refusal may be
			// the document's one-user-per-IP rule, met because of the target's earlier answer.
			notes = append(notes, client.Printable(fmt.Sprintf("%s.accounts[%d]'s login was refused (%s) while accounts[%d]'s session may still hold this client address (conform could not end it): doc %s allows one user per client IP, so this may be that rule rather than a wrong password; the specs judge the target", d.Name, i, answer(c), lostLogout, d.Number)))
			continue
		}
		who := a.Login
		if d.Config.Credentials == config.KeySecret {
			who = a.APIKey
		}
		e := &AccountError{Profile: d.Name, Index: i, Who: oneLine(who, answerClip), Answer: answer(c), Check: d.advice(r, resp, configName)}
		if held >= 0 && d.Wire.OneUserPerIP && !triedElsewhere {
			e.Check += fmt.Sprintf(" (or the target still holds accounts[%d]'s session from this address although its logout was answered, and doc %s allows one user per client IP; with two client_ips conform tells the two apart)", held, d.Number)
		}
		errs = append(errs, e)
	}
	return notes, errors.Join(errs...)
}

// loginsElsewhere reports whether a's login works from client address from (a token in the
// answer, where the document puts it or elsewhere), and ends the session it opened there.
func (d Document) loginsElsewhere(ctx context.Context, c *client.Client, sec *config.Profile, a config.Account, from string) bool {
	r := d.Wire.Login(sec, a, 0)
	r.Path = sec.BasePath + r.Path
	r.From = from
	resp, err := c.Do(ctx, r)
	if err != nil {
		return false
	}
	tok := d.Wire.Token(resp.Body)
	if tok == "" && resp.Status >= 200 && resp.Status <= 299 {
		tok = anyToken(resp.Body)
	}
	if tok == "" {
		return false
	}
	s := Session{Account: a, Token: tok}
	lr := d.Wire.Logout
	if lr != nil {
		out := lr(sec, s)
		if d.Wire.Authorize != nil {
			d.Wire.Authorize(sec, &out)
		}
		out.Path = sec.BasePath + out.Path
		out.From = from
		c.Do(ctx, out)
	}
	return true
}

// logout ends a session the check opened, where the document has a logout, and reports
// whether the target accepted it. Its outcome is not the check's to judge (the logout specs
// do); it only explains a refusal of the next account's login.
func (d Document) logout(ctx context.Context, c *client.Client, sec *config.Profile, s Session) bool {
	if d.Wire.Logout == nil {
		return true
	}
	r := d.Wire.Logout(sec, s)
	if d.Wire.Authorize != nil {
		d.Wire.Authorize(sec, &r)
	}
	r.Path = sec.BasePath + r.Path
	resp, err := c.Do(ctx, r)
	return err == nil && resp.Status >= 200 && resp.Status <= 299
}

// advice says what in the config to check, from how the login went.
func (d Document) advice(r client.Request, resp *client.Response, configName string) string {
	switch {
	case resp == nil:
		return fmt.Sprintf("check that the target serves %s %s (--target, %s.base_path), or raise --timeout for a slow login", r.Method, r.Path, d.Name)
	case resp.Status == http.StatusNotFound || resp.Status == http.StatusMethodNotAllowed:
		return fmt.Sprintf("check %s.base_path in %s (the login went to %s %s)", d.Name, configName, r.Method, r.Path)
	}
	what := "its password"
	if d.Config.Credentials == config.KeySecret {
		what = "its api_key and api_secret"
	}
	if d.Config.CompanyKey {
		what += " and " + d.Name + ".api_key"
	}
	if d.Config.TwoFactor {
		what += " (if the user has 2FA on, give the account a two_factor)"
	}
	return fmt.Sprintf("check %s in %s", what, configName)
}

// answer is the login's exchange as the client's transcript recorded it, secrets masked: the
// status and body, or why no answer came.
func answer(c *client.Client) string {
	ex := c.Transcript().Exchanges()
	if len(ex) == 0 {
		// Refused before sending; the error may quote the request, secrets and all.
		return "conform could not build the login request (check the account's fields for characters a request cannot carry)"
	}
	last := ex[len(ex)-1]
	if last.Status == 0 {
		return "no answer: " + oneLine(last.Err, answerClip)
	}
	body := oneLine(last.RespBody, answerClip)
	if body == "" {
		body = "(empty body)"
	}
	return fmt.Sprintf("HTTP %d %s", last.Status, body)
}

// oneLine makes s safe to print as part of one line of a terminal or CI log: runs of white
// space become one space, other control characters are escaped (\x1b, \u0085), and what
// remains past n runes is cut, saying how many bytes were left out.
func oneLine(s string, n int) string {
	var b strings.Builder
	runes, space := 0, false
	for i, r := range s {
		if runes >= n {
			fmt.Fprintf(&b, "… (%d more bytes)", len(s)-i)
			break
		}
		switch {
		case r == utf8.RuneError && !strings.HasPrefix(s[i:], "\uFFFD"):
			b.WriteString(`\x` + strconv.FormatUint(uint64(s[i]), 16))
		case r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '\v' || r == '\f':
			if !space {
				b.WriteByte(' ')
			}
			space = true
			runes++
			continue
		case unicode.IsControl(r) || r == '\u2028' || r == '\u2029':
			q := strconv.QuoteRuneToASCII(r)
			b.WriteString(q[1 : len(q)-1])
		default:
			b.WriteRune(r)
		}
		space = false
		runes++
	}
	return strings.TrimSpace(b.String())
}
