package negative

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"github.com/onsi/ginkgo/v2"

	"github.com/conformhq/conform/client"
	"github.com/conformhq/conform/config"
	"github.com/conformhq/conform/specs/cite"
	"github.com/conformhq/conform/specs/env"
)

// samples is how many logins the uniqueness spec compares: enough that a random position is
// the same in all of them with odds of 16^-5 for hex, few enough to cost little.
const samples = 6

// minBits is ASVS 5.0 V7.2.3's floor for a reference token.
const minBits = 128

// hashValue matches the password hash formats a server stores (bcrypt, argon2, scrypt, pbkdf2).
var hashValue = regexp.MustCompile(`\$(2[abxy]?|argon2(id|i|d)?|scrypt|pbkdf2[-a-z0-9]*)\$[^"\s]{8,}`)

func securitySpecs(b *cite.Book, e *env.Env, p Plan) {
	ownTokenSpec(b, e, p)
	if p.Unique != nil {
		b.It(*p.Unique, fmt.Sprintf("logs one account in %d times and compares the tokens", samples), func(ctx ginkgo.SpecContext) {
			a := e.PlainAccount(0)
			tokens := make([]string, 0, samples)
			reqs := make([]client.Request, samples)
			for i := range reqs {
				reqs[i] = e.LoginRequest(a, i)
			}
			// The first login alone, then the others side by side: a target that remembers a
			// verified secret (the embedded reference does) then hashes it once, not six times.
			// A first login that fails stops the spec before the others are sent.
			tokens = append(tokens, loginToken(e, e.Do(ctx, reqs[0])))
			for _, resp := range e.DoAll(ctx, reqs[1:]...) {
				tokens = append(tokens, loginToken(e, resp))
			}
			defer func() {
				for _, t := range tokens {
					logout(ctx, e, a, t)
				}
			}()
			seen := map[string]bool{}
			for _, t := range tokens {
				env.Expect(!seen[t], fmt.Sprintf("%d different tokens", samples), "a token handed out twice")
				seen[t] = true
			}
			bits := estimateBits(tokens)
			finding := fmt.Sprintf("the tokens of %d logins vary in about %.0f bits (positions that differ times the bits of their alphabet), below %d", samples, bits, minBits)
			if bits < minBits && p.ShortKeysShown {
				env.Advise(finding+"; the document's own example key is as short", "OWASP ASVS 5.0 V7.2.3")
				return
			}
			env.Expect(bits >= minBits, fmt.Sprintf("at least %d bits that vary between consecutive tokens (ASVS 5.0 V7.2.3)", minBits), finding)
		})
	}

	b.It(p.NoPassword, "reads the answers of a valid and a wrong-secret login for the password and password hashes", func(ctx ginkgo.SpecContext) {
		a := e.PlainAccount(0)
		l := newLogin(e.LoginRequest(a, 0), a)
		if !l.hasCredential {
			ginkgo.Fail(fmt.Sprintf("the %s wire's login carries neither the account's login nor its secret as a field", e.Profile))
		}
		sentWrong := "conform-echo-" + strings.Repeat("x", 8)
		bad := l.withSecret(sentWrong)
		answers := e.DoAll(ctx, e.LoginRequest(a, 0), bad)
		defer logout(ctx, e, a, e.Token(answers[0]))
		for i, resp := range answers {
			text := string(resp.Body) + " " + fmt.Sprint(resp.Header)
			which := [2]string{"the valid login's answer", "the wrong-secret login's answer"}[i]
			env.Expect(!strings.Contains(text, l.secretPrefix), "no password in "+which, "the account's secret is in it")
			env.Expect(!hashValue.MatchString(text), "no password hash in "+which, env.Clip(hashValue.FindString(text), 12)+"...")
		}
		if strings.Contains(string(answers[1].Body), sentWrong) {
			finding := "the wrong-secret login's answer echoes the secret that was sent"
			if p.PasswordEchoShown {
				env.Advise(finding+" (as the document's own error example does)", "OWASP ASVS 4.0.3 V8.3.1")
				return
			}
			env.Expect(false, "no echo of the sent secret in the wrong-secret login's answer", finding)
		}
	})
}

// loginToken is the token of a login answer, failing the spec when there is none.
func loginToken(e *env.Env, resp *client.Response) string {
	ginkgo.GinkgoHelper()
	tok, why := e.Wire.LoginToken(resp.Body)
	env.Expect(why == "", "each login to log in", why+": "+env.DescribeBody(resp))
	return tok
}

// withSecret is the login with its secret replaced.
func (l login) withSecret(secret string) client.Request {
	if l.encoding == encJSON {
		return l.withJSON(map[string]any{l.secret: secret})
	}
	return l.withValues(map[string][]string{l.secret: {secret}})
}

// plainLogin logs account a in with the document's login and returns its token. An advisory
// never fails: without a token it skips, and the specs of the login's shape say why.
func plainLogin(ctx context.Context, e *env.Env, a config.Account, n int) (string, *client.Response) {
	ginkgo.GinkgoHelper()
	resp := e.Do(ctx, e.LoginRequest(a, n))
	tok, why := e.Wire.LoginToken(resp.Body)
	if why != "" {
		ginkgo.Skip("the login gave no token (" + why + "): the login's own specs report it")
	}
	return tok, resp
}
