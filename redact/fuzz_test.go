package redact

import (
	"bytes"
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
		names := sortedKeys(wireForms(known[0]))
		in := wireForms(known[0])[names[int(form)%len(names)]]
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
			for name, form := range wireForms(s) {
				if strings.Contains(form, "*") {
					continue
				}
				for what, got := range map[string]string{"String": out, "Writer": buf.String()} {
					if strings.Contains(got, form) {
						t.Fatalf("%s: the %s form %q of secret %q survives in %q (from %q)", what, name, form, s, got, input)
					}
				}
			}
		}
	})
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return slices.Clip(keys)
}
