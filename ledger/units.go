package ledger

import (
	"regexp"
	"strings"
	"unicode"
)

// A statement, mechanically: the document is read through its rendering (doc 002's HTML
// without its tags), cut into lines, each line's whitespace collapsed (runs of spaces, tabs and
// no-break spaces become one space; the ends trimmed), and each line cut after a sentence's end
// (., ! or ? followed by a space and an upper-case letter, outside a double-quoted string). A
// piece holding at least one letter or digit is a statement; the rest ("{", "],", "---|---|")
// is punctuation around statements. The ledger lists the statements one entry each, in order.

var htmlTag = regexp.MustCompile(`<[^>]*>`)

// Rendering is the markup a document is read through before it is cut into statements.
type Rendering string

const (
	// Plain reads the document's characters as they are.
	Plain Rendering = ""
	// HTML reads the document without its tags: `<p>done <strong>once</strong>.</p>` is the
	// statement "done once.".
	HTML Rendering = "html"
)

func (r Rendering) known() bool { return r == Plain || r == HTML }

// Statements cuts document, read through rendering, into its statements in document order.
func Statements(document string, rendering Rendering) []string {
	if rendering == HTML {
		document = htmlTag.ReplaceAllString(document, "")
	}
	var out []string
	for _, line := range strings.Split(document, "\n") {
		for _, s := range sentences(strings.Join(strings.Fields(line), " ")) {
			if hasWord(s) {
				out = append(out, s)
			}
		}
	}
	return out
}

// sentences cuts one collapsed line after each sentence end: '.', '!' or '?', then a space, then
// an upper-case letter, where an even number of double quotes precede it (so a JSON string
// value such as "Authentication failed. Wrong password." stays one statement).
func sentences(line string) []string {
	var out []string
	runes := []rune(line)
	start, quotes := 0, 0
	for i := 0; i < len(runes); i++ {
		switch runes[i] {
		case '"':
			quotes++
		case '.', '!', '?':
			if quotes%2 == 0 && i+2 < len(runes) && runes[i+1] == ' ' && unicode.IsUpper(runes[i+2]) {
				out = append(out, string(runes[start:i+1]))
				start = i + 2
				i++
			}
		}
	}
	return append(out, string(runes[start:]))
}

func hasWord(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return true
		}
	}
	return false
}
