package negative

import (
	"math"
	"strings"
)

// alphabets are the character sets tokens are drawn from, smallest first: a token's characters
// are taken to come from the smallest that holds them all.
var alphabets = []string{
	"0123456789",
	"0123456789abcdef",
	"0123456789ABCDEF",
	"0123456789abcdefghijklmnopqrstuvwxyz",
	"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ",
	"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
	"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_+/=.",
}

// estimateBits estimates the entropy of tokens drawn from one generator: the positions (up to
// the shortest token's length) where the samples differ, each counted at log2 of the alphabet
// the samples use. A position that is the same in every sample carries nothing an attacker
// must guess, so counters ("tok-000123", "tok-000124") and timestamps, whose leading
// characters stay put between consecutive tokens, come out far below their length. It is an
// upper bound for such structure, never a proof of randomness: a hash of a counter looks
// random to it. With fewer than two samples it returns 0.
func estimateBits(tokens []string) float64 {
	if len(tokens) < 2 {
		return 0
	}
	n := len(tokens[0])
	chars := map[byte]bool{}
	for _, t := range tokens {
		n = min(n, len(t))
		for i := range len(t) {
			chars[t[i]] = true
		}
	}
	size := float64(len(chars))
	for _, a := range alphabets {
		if within(chars, a) {
			size = float64(len(a))
			break
		}
	}
	varying := 0
	for i := range n {
		for _, t := range tokens[1:] {
			if t[i] != tokens[0][i] {
				varying++
				break
			}
		}
	}
	if size < 2 {
		return 0
	}
	return float64(varying) * math.Log2(size)
}

func within(chars map[byte]bool, alphabet string) bool {
	for c := range chars {
		if !strings.ContainsRune(alphabet, rune(c)) {
			return false
		}
	}
	return true
}
