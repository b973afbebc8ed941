package redact

import (
	"encoding/base64"
	"slices"
	"strings"
	"sync"
)

// minPattern is the shortest form masked, in bytes: every form of a secret of MinLen
// characters is at least this long, and the index looks patterns up by their first bytes.
const minPattern = 4

// minClipped is the shortest start of a form masked before a clip marker ("...").
const minClipped = 3

// matcher finds every form of every secret in a text. It is immutable: a Redactor replaces it
// when it learns a secret.
//
// It finds all occurrences, overlapping ones included, in one pass: at each position a bitmap
// of the hashes of patterns' first four bytes rules out almost every position at the cost of
// a multiplication and one load, and the patterns starting with the position's four bytes are
// tried longest first.
type matcher struct {
	first  [1 << 16 / 64]uint64
	byKey  map[uint32][]string
	maxLen int
	// maxNL is the length of the longest pattern holding a newline, 0 when none does: how much
	// a Writer holds back after a line end.
	maxNL int
	// raw are the secrets themselves, for Basic credentials decoded.
	raw []string

	prefixOnce sync.Once
	prefixes   map[string]bool // every start of every pattern, for clipped secrets
	pats       []string
}

func newMatcher(pats, raw []string) *matcher {
	m := &matcher{byKey: map[uint32][]string{}, raw: raw, pats: pats}
	for _, p := range pats {
		k := key4(p)
		h := hash16(k)
		m.first[h>>6] |= 1 << (h & 63)
		m.byKey[k] = append(m.byKey[k], p)
		m.maxLen = max(m.maxLen, len(p))
		if strings.IndexByte(p, '\n') >= 0 {
			m.maxNL = max(m.maxNL, len(p))
		}
	}
	for _, ps := range m.byKey {
		slices.SortFunc(ps, func(a, b string) int { return len(b) - len(a) })
	}
	return m
}

func key4(s string) uint32 {
	return uint32(s[0])<<24 | uint32(s[1])<<16 | uint32(s[2])<<8 | uint32(s[3])
}

// hash16 spreads four bytes over the bitmap's 16 bits (Fibonacci hashing).
func hash16(k uint32) uint32 { return (k * 2654435769) >> 16 }

// span is s[from:to], to be masked.
type span struct{ from, to int }

// replace returns s with every span masked.
func (m *matcher) replace(s string) string {
	spans := m.spans(s)
	if len(spans) == 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	writeMasked(&b, s, spans)
	return b.String()
}

func writeMasked(b *strings.Builder, s string, spans []span) {
	prev := 0
	for _, sp := range spans {
		b.WriteString(s[prev:sp.from])
		b.WriteString(Mask)
		prev = sp.to
	}
	b.WriteString(s[prev:])
}

// spans returns what to mask in s, sorted, overlapping and touching spans merged into one.
func (m *matcher) spans(s string) []span {
	if len(s) < minPattern {
		return nil
	}
	out := m.scan(s, nil)
	if strings.IndexByte(s, '%') >= 0 {
		// Percent escapes with their hex digits in mixed case (%2a%2B): the forms hold
		// upper- and lower-case hex, and lowering every escape keeps each byte in its place.
		if low := lowerHex(s); low != s {
			out = append(out, m.scan(low, nil)...)
		}
	}
	extra := append(m.basic(s), m.clipped(s)...)
	if len(extra) == 0 && !strings.Contains(s, "%") {
		return out
	}
	out = append(out, extra...)
	slices.SortFunc(out, func(a, b span) int { return a.from - b.from })
	merged := out[:0:0]
	for _, sp := range out {
		merged = addSpan(merged, sp)
	}
	return merged
}

// scan appends to out the spans of s that a form matches, in order, merged.
func (m *matcher) scan(s string, out []span) []span {
	k := uint32(s[0])<<16 | uint32(s[1])<<8 | uint32(s[2])
	for i := 0; i+minPattern <= len(s); i++ {
		k = k<<8 | uint32(s[i+3]) // s[i:i+4], rolled on by one byte
		if h := hash16(k); m.first[h>>6]&(1<<(h&63)) == 0 {
			continue
		}
		for _, p := range m.byKey[k] {
			if strings.HasPrefix(s[i:], p) && (!allDigits(p) || wholeNumber(s, i, i+len(p))) {
				out = addSpan(out, span{i, i + len(p)})
				break
			}
		}
	}
	return out
}

// allDigits reports whether p is a number: a 2FA code, a numeric PIN or password. Such a form
// is masked only where it stands as a whole number (see wholeNumber): inside a longer number
// (a timestamp, a date, a byte count) it is that number's digits, and masking them there would
// corrupt a report's timestamps without hiding anything.
func allDigits(p string) bool {
	for i := 0; i < len(p); i++ {
		if p[i] < '0' || p[i] > '9' {
			return false
		}
	}
	return true
}

// wholeNumber reports whether s[from:to] is not continued by a digit on either side, directly
// or across one of the separators that join the parts of dates, times and decimals
// ("2026-12-01", "10:31:16.45", "1,234", "12/01"). A code at the end of a sentence ("is 1234.")
// or in a value ("code=1234&", "\"1234\"") is whole.
func wholeNumber(s string, from, to int) bool {
	joins := func(sep, beyond int) bool {
		return digitAt(s, sep) || strings.IndexByte("-:.,/", at(s, sep)) >= 0 && digitAt(s, beyond)
	}
	return !joins(from-1, from-2) && !joins(to, to+1)
}

func at(s string, i int) byte {
	if i < 0 || i >= len(s) {
		return 0
	}
	return s[i]
}

func digitAt(s string, i int) bool { c := at(s, i); return '0' <= c && c <= '9' }

// addSpan appends sp to spans sorted by start, merging it into the last one when they overlap
// or touch.
func addSpan(spans []span, sp span) []span {
	if n := len(spans); n > 0 && sp.from <= spans[n-1].to {
		spans[n-1].to = max(spans[n-1].to, sp.to)
		return spans
	}
	return append(spans, sp)
}

// basic returns the credentials of HTTP Basic authorizations in s ("Basic " and base64, the
// scheme in any case) that decode to text holding a secret.
func (m *matcher) basic(s string) []span {
	var out []span
	for _, word := range []string{"asic", "ASIC"} {
		for i := 0; ; {
			j := strings.Index(s[i:], word)
			if j < 0 {
				break
			}
			j += i
			i = j + len(word)
			if j == 0 || (s[j-1] != 'B' && s[j-1] != 'b') {
				continue
			}
			from := i
			for from < len(s) && (s[from] == ' ' || s[from] == '\t') {
				from++
			}
			to := from
			for to < len(s) && isBase64(s[to]) {
				to++
			}
			if from == i || to-from < minPattern {
				continue
			}
			if m.holdsSecret(s[from:to]) {
				out = append(out, span{from, to})
			}
		}
	}
	return out
}

func isBase64(c byte) bool {
	return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '+' || c == '/' || c == '=' || c == '-' || c == '_'
}

// holdsSecret reports whether cred, decoded from base64 in any alphabet, holds a secret.
func (m *matcher) holdsSecret(cred string) bool {
	trimmed := strings.TrimRight(cred, "=")
	for _, enc := range []*base64.Encoding{base64.RawStdEncoding, base64.RawURLEncoding} {
		if d, err := enc.DecodeString(trimmed); err == nil {
			for _, r := range m.raw {
				if strings.Contains(string(d), r) {
					return true
				}
			}
		}
	}
	return false
}

// clipMarkers end a text cut short.
var clipMarkers = []string{"...", "…"}

// clipped returns the starts of forms cut short right before a clip marker.
func (m *matcher) clipped(s string) []span {
	var out []span
	for _, marker := range clipMarkers {
		if !strings.Contains(s, marker) {
			continue
		}
		prefixes := m.prefixSet()
		for i := 0; ; {
			j := strings.Index(s[i:], marker)
			if j < 0 {
				break
			}
			j += i
			i = j + len(marker)
			for k := min(m.maxLen-1, j); k >= minClipped; k-- {
				if prefixes[s[j-k:j]] {
					out = append(out, span{j - k, j})
					break
				}
			}
		}
	}
	return out
}

// prefixSet is every start of every pattern, at least minClipped bytes long; built the first
// time a text has a clip marker.
func (m *matcher) prefixSet() map[string]bool {
	m.prefixOnce.Do(func() {
		m.prefixes = map[string]bool{}
		for _, p := range m.pats {
			for k := minClipped; k < len(p); k++ {
				m.prefixes[p[:k]] = true
			}
		}
	})
	return m.prefixes
}
