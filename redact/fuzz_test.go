package redact

import (
	"bytes"
	"github.com/conformhq/conform/redact/redacttest"
	"slices"
	"sort"
	"strings"
	"testing"
)

// FuzzRedact puts one form of a secret (wireForms) into random text at a random place, with up
// to two more secrets known, and checks that no form of any secret survives in what String,
// Bytes and a Writer fed in two writes pass on. A form made partly of the mask's own
// characters is not checked: "****" next to an "*" can spell it. The seed corpus is in
// testdata/fuzz/FuzzRedact; run with go test -fuzz FuzzRedact ./redact.
func FuzzRedact(f *testing.F) {
	f.Add(special, "login failed: ", uint(10), uint8(0), uint(3))
	f.Add("hunter2-password\x00other-secret", `{"url":"/login?pass=`, uint(0), uint8(9), uint(7))
	f.Add("abcdef\x00defghi", "xxabcdefghixx", uint(4), uint8(21), uint(2))
	f.Fuzz(func(t *testing.T, secrets, text string, at uint, form uint8, split uint) {
		all := strings.Split(secrets, "\x00")
		if len(all) > 3 || len(text) > 4096 || len(secrets) > 256 {
			return
		}
		var known []string
		for _, s := range all {
			if Maskable(s) {
				known = append(known, s)
			}
		}
		if len(known) == 0 {
			return
		}
		r := New(known...)
		names := sortedKeys(redacttest.WireForms(known[0]))
		in := redacttest.WireForms(known[0])[names[int(form)%len(names)]]
		pos := int(at % uint(len(text)+1))
		input := text[:pos] + in + text[pos:]

		out := r.String(input)
		if b := string(r.Bytes([]byte(input))); b != out {
			t.Fatalf("Bytes %q, String %q", b, out)
		}
		var buf bytes.Buffer
		w := r.Writer(&buf)
		cut := int(split % uint(len(input)+1))
		w.Write([]byte(input[:cut]))
		w.Write([]byte(input[cut:]))
		w.Flush()
		for _, s := range known {
			for name, form := range redacttest.WireForms(s) {
				if strings.Contains(form, "*") {
					continue
				}
				for what, got := range map[string]string{"String": out, "Writer": buf.String()} {
					if survives(got, form) {
						t.Fatalf("%s: the %s form %q of secret %q survives in %q (from %q)", what, name, form, s, got, input)
					}
				}
			}
		}
	})
}

// survives reports whether form shows in got where the Redactor promises to mask it: anywhere,
// or for a number, where it stands as a whole number (wholeNumber). A number touching a mask
// may have been part of a longer one that a clipped form ended ("0000000..." with secret 0000
// keeps its first digits): the mask's stars count as digits there.
func survives(got, form string) bool {
	if !allDigits(form) {
		return strings.Contains(got, form)
	}
	starsAsDigits := strings.ReplaceAll(got, "*", "0")
	for i := 0; ; i++ {
		j := strings.Index(got[i:], form)
		if j < 0 {
			return false
		}
		if wholeNumber(starsAsDigits, i+j, i+j+len(form)) {
			return true
		}
		i += j
	}
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return slices.Clip(keys)
}
