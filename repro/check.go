package repro

import (
	"encoding/base64"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
	"unicode"

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

// The shape of an answer, as the script's shape function computes it: a JSON answer's
// skeleton (keys kept, string values as s, date-times as t or tl (with or without an offset)
// and numbers as n, nesting kept, so a token moved out of its object shows), or the sorted tags of any other answer; then the sorted claim
// names of every JWT in it (a password added to a token shows).
var (
	keyRE    = regexp.MustCompile(`"([^"\\]*(\\.[^"\\]*)*)":`)
	stringRE = regexp.MustCompile(`"[^"\\]*(\\.[^"\\]*)*"`)
	numberRE = regexp.MustCompile(`-?[0-9][0-9.eE+-]*`)
	tagRE    = regexp.MustCompile(`</?[A-Za-z_][A-Za-z0-9_.:-]*`)
	// A date-time string is t with an offset (Z or ±hh:mm), tl without (a local time): the
	// value changes every run, its form does not, and a break may change only its form.
	timeOffsetRE = regexp.MustCompile(`"[0-9]{4}-[0-9][0-9]-[0-9][0-9]T?[0-9][0-9]:[0-9][0-9]:[0-9][0-9](\.[0-9]*)?(Z|[+-][0-9][0-9]:?[0-9][0-9])"`)
	timeLocalRE  = regexp.MustCompile(`"[0-9]{4}-[0-9][0-9]-[0-9][0-9]T?[0-9][0-9]:[0-9][0-9]:[0-9][0-9](\.[0-9]*)?"`)
	claimRE      = regexp.MustCompile(`"[A-Za-z0-9_$.@-]*":`)
)

// shapeOf is the shape of a whitespace-stripped body.
func shapeOf(body string) string {
	var shape string
	if strings.HasPrefix(body, "{") || strings.HasPrefix(body, "[") {
		shape = keyRE.ReplaceAllString(body, "<K$1>")
		shape = timeOffsetRE.ReplaceAllString(shape, "t")
		shape = timeLocalRE.ReplaceAllString(shape, "tl")
		shape = stringRE.ReplaceAllString(shape, "s")
		shape = numberRE.ReplaceAllString(shape, "n")
	} else if strings.HasPrefix(body, "<") {
		tags := tagRE.FindAllString(body, -1)
		sort.Strings(tags) // with repeats: a missing closing tag shows
		shape = strings.Join(tags, " ")
	} else if body != "" {
		// Neither JSON nor XML (a YAML file, text): the whole of it, as POSIX cksum sums it.
		shape = fmt.Sprintf("cksum %d %d", cksum([]byte(body)), len(body))
	}
	if claims := sortedUnique(claimRE.FindAllString(jwtPayloads(body), -1)); claims != "" {
		shape += " jwt: " + claims
	}
	return shape
}

func sortedUnique(ss []string) string {
	sort.Strings(ss)
	return strings.Join(slices.Compact(ss), " ")
}

func checkOf(e *client.Exchange) answerCheck {
	c := answerCheck{status: e.Status}
	body := stripSpace(e.RespBody)
	c.secret = strings.Contains(e.RespBody, redact.Mask)
	c.shape = shapeOf(body)
	if client.ValidJSON([]byte(e.RespBody)) {
		walkStable(gjson.Parse(e.RespBody), &c.fragments)
	} else {
		for _, m := range xmlText.FindAllStringSubmatch(e.RespBody, -1) {
			if stable(m[1]) {
				c.fragments = append(c.fragments, stripSpace(m[0]))
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
		case k.Raw != "" && !generatedName.MatchString(k.Str) && stable(v.Raw) && !(v.Type == gjson.Number && (v.Num >= 1e6 || v.Num <= -1e6)):
			*out = append(*out, stripSpace(k.Raw+":"+v.Raw))
		}
		return true
	})
}

// generatedName matches the names under which the documents return what a server makes up
// per login (doc 002's "key", tokens, codes, sessions): a random key can look like a word
// ("SMBQsxcpbc" made a reproducer of a restarted target say "not reproduced"), so such a
// value is never compared, whatever it looks like.
var generatedName = regexp.MustCompile(`(?i)key|token|code|session|secret|jwt|auth`)

// stable reports whether a value is likely the same in another run: not masked, not long,
// and, from 8 characters up, not a word with digits or a capital after its first letter (a
// token, a time, a key made up at run time); words with spaces (messages) and lower-case
// words (emails) are.
func stable(s string) bool {
	switch {
	case strings.Contains(s, redact.Mask) || len(s) > 80:
		return false
	case len(s) < 8 || strings.Contains(s, " "):
		return true
	}
	word := strings.Trim(s, `"`)
	return word != "" && !strings.ContainsAny(word, "0123456789") && !strings.ContainsFunc(word[1:], unicode.IsUpper)
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

// cksum is the CRC of POSIX cksum: polynomial 0x04C11DB7, most significant bit first, over
// the data and then its length, complemented.
func cksum(data []byte) uint32 {
	var crc uint32
	feed := func(b byte) {
		crc ^= uint32(b) << 24
		for range 8 {
			if crc&0x80000000 != 0 {
				crc = crc<<1 ^ 0x04C11DB7
			} else {
				crc <<= 1
			}
		}
	}
	for _, b := range data {
		feed(b)
	}
	for n := len(data); n > 0; n >>= 8 {
		feed(byte(n))
	}
	return ^crc
}
