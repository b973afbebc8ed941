package client

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Printable returns s for one line of a terminal or CI log: every control character (C0, DEL,
// C1, and the bidirectional overrides that reorder what a reader sees), every byte that is not
// UTF-8, and the line breaks CR and LF are written as Go escapes (\r, \x1b, \u202e). What a
// target sends then cannot overwrite a line, color it, or start a line that passes for
// conform's own (a CI runner's "::error::" command, say). Tab and backslash stay as they are.
func Printable(s string) string { return escape(s, false) }

// PrintableText is Printable for several lines: LF stays a line break, and the caller puts
// its own prefix before each line.
func PrintableText(s string) string { return escape(s, true) }

func escape(s string, keepLF bool) string {
	clean := true
	for _, r := range s {
		if r == utf8.RuneError || unprintable(r, keepLF) {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size <= 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\n' && !keepLF:
			b.WriteString(`\n`)
		case unprintable(r, keepLF) && r < 0x80:
			fmt.Fprintf(&b, `\x%02x`, r)
		case unprintable(r, keepLF):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// unprintable reports whether r must not reach a terminal as it is.
func unprintable(r rune, keepLF bool) bool {
	switch {
	case r == '\t', r == '\n' && keepLF:
		return false
	case r < 0x20, r == 0x7f, r >= 0x80 && r <= 0x9f:
		return true
	case r == 0x061c, r == 0x200e, r == 0x200f, r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
		return true
	}
	return false
}
