package repro

import (
	"encoding/base64"
	"regexp"
	"sort"
	"strings"

	"github.com/tidwall/gjson"

	"github.com/conformhq/conform/client"
	"github.com/conformhq/conform/redact"
)

// answerCheck is what a script compares of the failing step's answer with the failing run's.
// A spec's own assertion is Go code the script cannot run; what the script can tell is
// whether the target still gives the answer conform judged a failure. So it compares what is
// stable between two runs: the status, the set of JSON keys and XML tags (the shape), the
// short values that are not tokens or times, and whether the answer showed a secret of the
// config. Anything volatile (a token, a timestamp, a generated key, a masked value) is left
// out, so a restart of the target does not make a reproduction look fixed.
type answerCheck struct {
	status    int
	shape     string   // sorted JSON keys and XML tags, as the script's shape function lists them
	fragments []string // stable key:value texts, whitespace removed, that must all appear
	secret    bool     // the failing answer held a secret (masked in the report)
}

// shapeRE lists what shape() in the script greps: JSON keys (`"key":`) and XML tags (`<tag`).
var shapeRE = regexp.MustCompile(`"[A-Za-z0-9_$.@-]*":|<[A-Za-z_][A-Za-z0-9_.:-]*`)

func checkOf(e *client.Exchange) answerCheck {
	c := answerCheck{status: e.Status}
	body := stripSpace(e.RespBody)
	c.secret = strings.Contains(e.RespBody, redact.Mask)
	seen := map[string]bool{}
	var keys []string
	for _, k := range shapeRE.FindAllString(body+jwtPayloads(body), -1) {
		if !seen[k] {
			seen[k] = true
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	c.shape = strings.Join(keys, " ")
	if client.ValidJSON([]byte(body)) {
		walkStable(gjson.Parse(body), &c.fragments)
	} else {
		for _, m := range xmlText.FindAllStringSubmatch(body, -1) {
			if stable(m[1]) {
				c.fragments = append(c.fragments, m[0])
			}
		}
	}
	return c
}

var xmlText = regexp.MustCompile(`>([^<>]{1,64})<`)

// walkStable collects `"key":value` of every scalar whose value is stable (see stable).
func walkStable(r gjson.Result, out *[]string) {
	if len(*out) > 64 {
		return
	}
	r.ForEach(func(k, v gjson.Result) bool {
		switch {
		case v.IsObject() || v.IsArray():
			walkStable(v, out)
		case k.Raw != "" && stable(v.Raw) && !(v.Type == gjson.Number && (v.Num >= 1e6 || v.Num <= -1e6)):
			*out = append(*out, k.Raw+":"+v.Raw)
		}
		return true
	})
}

// stable reports whether a value is likely the same in another run: not masked, not long,
// and not a mix of digits and other characters of 8 or more (a token, a time, an id made up
// at run time).
func stable(s string) bool {
	if strings.Contains(s, redact.Mask) || len(s) > 80 {
		return false
	}
	return len(s) < 8 || !strings.ContainsAny(s, "0123456789")
}

func stripSpace(s string) string {
	return strings.Map(func(r rune) rune {
		if r == ' ' || r == '\t' || r == '\r' || r == '\n' {
			return -1
		}
		return r
	}, s)
}

// jwtRE finds what jwt_payloads in the script decodes: a JWT's header and payload.
var jwtRE = regexp.MustCompile(`eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*`)

// jwtPayloads decodes the payload of every JWT in s, whitespace removed, as the script's
// shape function reads them: a claim added to a token (a password) changes the shape.
func jwtPayloads(s string) string {
	var b strings.Builder
	for _, t := range jwtRE.FindAllString(s, -1) {
		_, p, _ := strings.Cut(t, ".")
		if dec, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(p, "=")); err == nil {
			b.WriteString(stripSpace(string(dec)))
		}
	}
	return b.String()
}
