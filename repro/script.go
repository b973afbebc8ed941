package repro

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/tidwall/gjson"

	"github.com/conformhq/conform/client"
	"github.com/conformhq/conform/redact"
	"github.com/conformhq/conform/twofactor"
)

// Failure is a failed spec as a script reproduces it.
type Failure struct {
	// ID is the requirement id; Text what the spec sends; Citation the requirement with its
	// document sentence; Message what conform saw (expected and got), secrets masked.
	ID, Text, Citation, Message string
	// Target is the base URL the run used; the script's default for CONFORM_TARGET.
	Target string
	// Exchanges are the spec's exchanges in order, each with its Replay.
	Exchanges []*client.Exchange
	// Unjudged, when set, says why comparing the answers with the failing run's cannot tell
	// whether the failure reproduced: the check is over requests sent at one instant, over
	// many answers taken together, or done offline. The script replays the requests and exits
	// ExitCannotRun with this reason.
	Unjudged string
}

// Script is a reproducer: a POSIX shell script that sends a failed spec's requests again
// with curl and says whether the target still answers the failing step the same way.
type Script struct {
	Text string
	// Limits say what the script cannot replay by itself: a value conform read at run time
	// (a 2FA code from a mail or a text), real waits, exchanges the transcript did not keep.
	// Empty when it replays on its own.
	Limits []string
}

// Exit statuses of a script: 1 reads as "failed" in a shell, as a failing conform run does.
const (
	ExitReproduced    = 1 // the target answered every step as in the failing run
	ExitNotReproduced = 0 // it answered differently: fixed, or failing another way
	ExitCannotRun     = 2 // a variable unset, no answer before the failing step, curl missing
)

// Build writes the script of f. vars names the variables secrets are read from (the same
// Vars that parameterized the exchanges).
func Build(f Failure, vars *Vars) Script {
	var steps []*client.Exchange
	for _, e := range f.Exchanges {
		if e.Replay != nil && e.Refused == "" {
			steps = append(steps, e)
		}
	}
	var s Script
	var body strings.Builder
	if len(steps) == 0 {
		s.Limits = append(s.Limits, "no request of this spec was recorded")
		return Script{Text: header(f, vars, nil, s.Limits) + "echo 'reproducer: nothing to replay' >&2\nexit 2\n", Limits: s.Limits}
	}
	if d := f.Exchanges[0].Dropped; d > 0 {
		s.Limits = append(s.Limits, fmt.Sprintf("the spec's first %d exchanges were not kept (conform keeps the last 32); the script starts after them", d))
	}
	fmt.Fprintf(&body, "STEPS=%d\n", len(steps))
	used := map[string]bool{} // variables the steps read
	caps := &captures{names: map[string]string{}}
	askedCodes := map[string]bool{}
	starts := groupStarts(steps)
	for i, e := range steps {
		n := i + 1
		if starts[i] == i && i > 0 {
			prev := steps[i-1]
			if gap := e.At.Sub(prev.At.Add(prev.Took)); gap > time.Second {
				secs := int(gap.Round(time.Second) / time.Second)
				fmt.Fprintf(&body, "sleep %d  # the failing run waited this long here\n", secs)
				s.Limits = append(s.Limits, fmt.Sprintf("waits %d s of real time before step %d, as the failing run did (timing)", secs, n))
			}
		}
		r := *e.Replay
		// Values the target gave in earlier answers (tokens, keys) are taken from those answers.
		parts := []*string{&r.URL, &r.Body}
		hdr := r.Header.Clone()
		keys := sortedKeys(hdr)
		for _, k := range keys {
			for j := range hdr[k] {
				parts = append(parts, &hdr[k][j])
			}
		}
		for _, p := range parts {
			// A request released together with others takes values from the answers
			// before its group only: the others' are not in yet.
			*p = caps.substitute(&body, steps[:starts[i]], *p)
		}
		// A masked value left here is a secret conform learned at run time that Vars did not
		// (a code from a source it was not told of): the script asks for it too.
		code := fmt.Sprintf("CONFORM_MASKED_%d", n)
		asked := false
		for _, p := range parts {
			if strings.Contains(*p, redact.Mask) {
				*p = strings.ReplaceAll(*p, redact.Mask, client.Placeholder("${"+code+"}"))
				asked = true
			}
		}
		if asked {
			fmt.Fprintf(&body, "ask %s 'the value conform masked in step %d (a 2FA code the target sent after step %d?)'\n", code, n, n-1)
			s.Limits = append(s.Limits, fmt.Sprintf("step %d needs a value conform learned at run time, a 2FA code sent out of band? (%s)", n, code))
		}
		for _, p := range parts {
			for _, m := range codeRef.FindAllStringSubmatch(*p, -1) {
				if !askedCodes[m[1]] {
					askedCodes[m[1]] = true
					fmt.Fprintf(&body, "ask %s 'the 2FA code the target sent after step %d'\n", m[1], n-1)
					s.Limits = append(s.Limits, fmt.Sprintf("step %d needs a 2FA code the target sends out of band (%s)", n, m[1]))
				}
			}
		}
		profile, _, _ := strings.Cut(f.ID, ".")
		for _, p := range parts {
			*p = varRef.ReplaceAllStringFunc(*p, func(m string) string { return "${" + vars.For(profile, m[2:]) })
		}
		if strings.HasPrefix(r.URL, f.Target) && f.Target != "" {
			r.URL = client.Placeholder("${T}") + r.URL[len(f.Target):]
		}
		for _, p := range append(parts, &r.URL) {
			for _, x := range vars.List() {
				if strings.Contains(*p, "${"+x.Name) {
					used[x.Name] = true
				}
			}
		}
		fmt.Fprintf(&body, "\n# step %d of %d: %s %s\n", n, len(steps), r.Method, pathOf(e.URL, f.Target))
		args := []string{"step", fmt.Sprint(n)}
		if r.Method != http.MethodGet || r.Body != "" {
			args = append(args, "-X", shellQuote(r.Method))
		}
		if r.From != "" && r.SourceMode == "source" {
			args = append(args, "--interface", shellQuote(r.From))
		}
		for _, k := range keys {
			for _, v := range hdr[k] {
				args = append(args, "-H", Word(k+": "+v))
			}
		}
		if r.Body != "" {
			args = append(args, "--data-raw", Word(r.Body))
		}
		args = append(args, Word(r.URL))
		if e.Together != 0 {
			if starts[i] == i {
				fmt.Fprintf(&body, "# steps %d-%d are sent together, as conform released them at once\n", n, groupEnd(starts, i)+1)
			}
			args = append(args, "&")
		}
		body.WriteString(strings.Join(args, " ") + "\n")
		if e.Together != 0 && groupEnd(starts, i) == i {
			body.WriteString("wait\n")
		}
	}
	if len(caps.twice) > 0 && f.Unjudged == "" {
		why := caps.twice[0] + " (one token handed to two logins?): a replay cannot tell which answer each use stands for"
		s.Limits = append(s.Limits, why)
		fmt.Fprintf(&body, "\necho %s\nexit %d\n", Word("CANNOT TELL: "+f.ID+": "+why+"; run conform again to judge"), ExitCannotRun)
	} else if f.Unjudged != "" {
		s.Limits = append(s.Limits, f.Unjudged)
		fmt.Fprintf(&body, "\necho %s\nexit %d\n", Word("CANNOT TELL: "+f.ID+": "+f.Unjudged+"; run conform again to judge"), ExitCannotRun)
	} else if strings.HasPrefix(f.Message, twofactor.NoCode) {
		s.Limits = append(s.Limits, "the failure is a 2FA code that never came (mail or text, off the wire): the script replays the requests; whether a code arrives is for you to see")
		fmt.Fprintf(&body, "\necho 'CANNOT TELL: %s failed because no 2FA code arrived after these requests; check the mailbox or phone'\nexit %d\n", f.ID, ExitCannotRun)
	} else {
		writeCheck(&body, steps, starts, f.ID)
	}
	s.Text = header(f, vars, used, s.Limits) + body.String()
	return s
}

// codeRef finds a placeholder of a 2FA code read at run time.
var codeRef = regexp.MustCompile(`\$\{(` + CodePrefix + `[0-9]+)`)

// varRef finds a placeholder's variable reference.
var varRef = regexp.MustCompile(`\$\{CONFORM_[A-Z0-9_]+`)

// captures names the values taken from earlier answers.
type captures struct {
	names map[string]string // value -> variable
	n     int
	// twice lists the values a request carries that came back in two earlier answers (a
	// server that handed one token to two logins): a replay, whose answers differ, cannot
	// tell which of the two each use stands for.
	twice []string
}

// substitute replaces in part every value an earlier answer gave (a token, a key) by a
// variable the script fills from that answer, writing the capture to b the first time.
func (c *captures) substitute(b *strings.Builder, earlier []*client.Exchange, part string) string {
	for j, e := range earlier {
		for _, v := range candidates(e) {
			forms, exprs := []string{v}, []string{"%s"}
			if q := url.QueryEscape(v); q != v {
				forms, exprs = append(forms, q), append(exprs, `$(urlenc "%s")`)
			}
			if len(v) >= 8 {
				// The wrong forms specs make of a key (env.Form).
				if sw := swapCase(v); sw != v {
					forms, exprs = append(forms, sw), append(exprs, `$(swapcase "%s")`)
				}
				forms, exprs = append(forms, v[:len(v)-1]), append(exprs, "%s%%?")
			}
			for fi, form := range forms {
				if !strings.Contains(part, form) {
					continue
				}
				name, ok := c.names[v]
				if !ok {
					extract, found := extraction(e, j+1, v)
					if !found {
						continue
					}
					c.n++
					name = fmt.Sprintf("V%d", c.n)
					c.names[v] = name
					for k, later := range earlier[j+1:] {
						if slices.Contains(candidates(later), v) {
							c.twice = append(c.twice, fmt.Sprintf("a value came back in the answers of steps %d and %d", j+1, j+k+2))
							break
						}
					}
					fmt.Fprintf(b, "%s=$(%s)\nhas %s %d\n", name, extract, name, j+1)
				}
				expr := fmt.Sprintf(exprs[fi], "${"+name+"}")
				if strings.HasSuffix(exprs[fi], "%?") {
					expr = "${" + name + "%?}"
				}
				part = strings.ReplaceAll(part, form, client.Placeholder(expr))
			}
		}
	}
	return part
}

// candidates are the values of an answer a later request may carry: JSON strings and XML
// texts of 8 characters or more, and header values, longest first, none masked and none the
// request itself sent (an echoed login name is the config's, not the answer's).
func candidates(e *client.Exchange) []string {
	var out []string
	add := func(v string) {
		if len(v) >= 8 && !strings.Contains(v, redact.Mask) && !strings.Contains(e.URL+e.ReqBody, v) && !strings.ContainsAny(v, "\r\n") {
			out = append(out, v)
		}
	}
	if client.ValidJSON([]byte(e.RespBody)) {
		var walk func(gjson.Result)
		walk = func(r gjson.Result) {
			r.ForEach(func(_, v gjson.Result) bool {
				if v.IsObject() || v.IsArray() {
					walk(v)
				} else if v.Type == gjson.String {
					add(v.Str)
				}
				return true
			})
		}
		walk(gjson.Parse(e.RespBody))
	} else {
		for _, m := range xmlText.FindAllStringSubmatch(e.RespBody, -1) {
			add(m[1])
		}
	}
	for _, k := range sortedKeys(e.RespHeader) {
		if k == "Date" || k == "Content-Length" || k == "Content-Type" {
			continue
		}
		for _, v := range e.RespHeader[k] {
			add(v)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return len(out[i]) > len(out[j]) })
	return out
}

// extraction is the shell pipeline that prints v from step n's answer: the text right before
// its first place in the body (or a header line), long enough to be found once, anchors a sed
// expression, and the character right after it ends the value.
func extraction(e *client.Exchange, n int, v string) (string, bool) {
	flat := strings.NewReplacer("\r", " ", "\n", " ").Replace(e.RespBody)
	if i := strings.Index(flat, v); i >= 0 {
		if sed, ok := sedFor(flat, i, v); ok {
			return fmt.Sprintf(`tr '\r\n' '  ' < "$D/b%d" | sed -n %s | head -n 1`, n, shellQuote(sed)), true
		}
	}
	for _, k := range sortedKeys(e.RespHeader) {
		for _, hv := range e.RespHeader[k] {
			line := k + ": " + hv
			if i := strings.Index(line, v); i >= 0 {
				if sed, ok := sedFor(line, i, v); ok {
					return fmt.Sprintf(`tr -d '\r' < "$D/h%d" | grep -i %s | head -n 1 | sed -n %s`, n, shellQuote("^"+k+":"), shellQuote(sed)), true
				}
			}
		}
	}
	return "", false
}

// sedFor is a sed expression that prints the value at text[i:i+len(v)]: the shortest text
// before it that occurs once in text, then the value up to the character after it.
func sedFor(text string, i int, v string) (string, bool) {
	end := i + len(v)
	stop := ""
	if end < len(text) {
		stop = text[end : end+1]
		if strings.Contains(v, stop) || strings.ContainsAny(stop, `]^\-|`) {
			return "", false
		}
	}
	for k := 1; k <= min(i, 64); k++ {
		left := text[i-k : i]
		if strings.Contains(left, redact.Mask) || strings.Count(text, left) != 1 {
			continue
		}
		class := `.*`
		if stop != "" {
			class = `[^` + stop + `]*`
		}
		// Widen the anchor to a whole key or tag, for a reader: `"token":"` rather than `n":"`.
		for w := k; w < min(i, 64) && !strings.ContainsRune(`"{,[ <>`, rune(text[i-w-1])); w++ {
			if wider := text[i-w-1 : i]; !strings.Contains(wider, redact.Mask) {
				left = wider
			}
		}
		return `s|.*` + bre(left) + `\(` + class + `\)` + bre(stop) + `.*|\1|p`, true
	}
	if i == 0 && stop != "" {
		return `s|^\([^` + stop + `]*\)` + bre(stop) + `.*|\1|p`, true
	}
	return "", false
}

// bre escapes s for a sed basic regular expression delimited by |.
func bre(s string) string {
	var b strings.Builder
	for _, r := range s {
		if strings.ContainsRune(`\.*[]^$|`, r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

func sortedKeys(h http.Header) []string {
	keys := make([]string, 0, len(h))
	for k := range h {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// pathOf is u without the target's base, for the script's comments.
func pathOf(u, base string) string {
	if base != "" && strings.HasPrefix(u, base) {
		return u[len(base):]
	}
	return u
}

// Curl renders one request of a transcript as a curl command that sends it again with the
// secrets read from the environment (as in the scripts), never masked: the console's and the
// reports' "reproduce the last request" line. Values from earlier answers (a token) stay as
// the failing run had them; a secret is read from profile's own variable (vars.For). e has
// no Replay when the client had no Parameterizer: then its
// own (masked) curl line.
func Curl(e *client.Exchange, vars *Vars, profile string) string {
	if e.Replay == nil {
		return e.Curl()
	}
	r := *e.Replay
	alias := func(s string) string {
		return varRef.ReplaceAllStringFunc(s, func(m string) string { return "${" + vars.For(profile, m[2:]) })
	}
	r.URL, r.Body, r.Header = alias(r.URL), alias(r.Body), r.Header.Clone()
	for _, vs := range r.Header {
		for i := range vs {
			vs[i] = alias(vs[i])
		}
	}
	parts := []string{"curl", "-sS", "-i"}
	if r.Method != http.MethodGet {
		parts = append(parts, "-X", r.Method)
	}
	if r.From != "" && r.SourceMode == "source" {
		parts = append(parts, "--interface", r.From)
	}
	for _, k := range sortedKeys(r.Header) {
		for _, v := range r.Header[k] {
			parts = append(parts, "-H", Word(k+": "+v))
		}
	}
	if r.Body != "" {
		parts = append(parts, "--data-raw", Word(r.Body))
	}
	return strings.Join(append(parts, Word(r.URL)), " ")
}

// groupStarts gives, for each step, the index of the first step of its group of requests
// released together (client.Exchange.Together): its own index when it was sent alone.
func groupStarts(steps []*client.Exchange) []int {
	out := make([]int, len(steps))
	for i, e := range steps {
		out[i] = i
		if i > 0 && e.Together != 0 && steps[i-1].Together == e.Together {
			out[i] = out[i-1]
		}
	}
	return out
}

// groupEnd is the index of the last step of step i's group.
func groupEnd(starts []int, i int) int {
	for i+1 < len(starts) && starts[i+1] == starts[i] {
		i++
	}
	return i
}
