// Package cite ties every spec to the document sentence it encodes. A Requirement is data (the
// document number, the quoted sentence, the level), not a comment: the spec wrapper refuses a
// spec without one, turns it into Ginkgo labels, and reports carry the quote.
package cite

import (
	"fmt"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Level says how strongly the document asks for a behavior.
type Level string

const (
	// Must: the document states the behavior; a conforming server shows it.
	Must Level = "must"
	// Should: the document is silent; conform checks it for a written reason (security
	// practice, a standard the document builds on). Off unless --strict.
	Should Level = "should"
)

// Category groups specs in the summary.
type Category string

// The categories of the summary, in the order it prints them.
const (
	Shape     Category = "shape"
	Auth      Category = "auth"
	TwoFactor Category = "2fa"
	Placement Category = "placement"
	Logout    Category = "logout"
	TTL       Category = "ttl"
	PerIP     Category = "per-ip"
	// Robustness: what a login endpoint must survive (malformed and hostile input).
	Robustness Category = "robustness"
	Security   Category = "security"
	// Race: a documented invariant under concurrent requests released together.
	Race Category = "race"
	// Model: a rule of a document's model, checked on every answer of randomly generated
	// sequences of operations (package explore).
	Model Category = "model"
	// Wire: a documented request in another wire form a standard makes equivalent (or not),
	// and the documents' example requests sent as written.
	Wire Category = "wire"
)

// Categories lists every category in summary order.
func Categories() []Category {
	return []Category{Shape, Auth, TwoFactor, Placement, Logout, TTL, PerIP, Robustness, Security, Race, Model, Wire}
}

// Requirement is one documented behavior.
type Requirement struct {
	// ID is a stable slug, "<profile>.<behavior>", never a position: reports, waivers and the
	// golden list key on it.
	ID string `json:"id" yaml:"id"`
	// Profile is the profile (document) the requirement belongs to.
	Profile string `json:"profile" yaml:"profile"`
	// Doc is the document number, 000-004.
	Doc string `json:"doc" yaml:"doc"`
	// Quote is the sentence the spec encodes, verbatim from the document.
	Quote string `json:"quote" yaml:"quote"`
	// English renders Quote in English when the document is not (doc 003 is in Russian).
	English string `json:"english,omitempty" yaml:"english,omitempty"`
	// Rendering names the markup Quote was read through when it gives the text a reader sees
	// rather than the document's characters (a markdown table row without its pipes); empty
	// when Quote is the document's own text.
	Rendering Rendering `json:"rendering,omitempty" yaml:"rendering,omitempty"`
	// Level is must when the document says it, should otherwise.
	Level Level `json:"level" yaml:"level"`
	// Category groups the requirement in the summary.
	Category Category `json:"category" yaml:"category"`
	// Reason explains a should: why conform checks what the document does not say.
	Reason string `json:"reason,omitempty" yaml:"reason,omitempty"`
	// Standard names the standard, and its section, that the spec reads the document's
	// request through (RFC 8259 §11 for a charset parameter on application/json): the
	// document gives the request, the standard says which other forms of it are the same
	// request. Empty when the spec reads the document alone.
	Standard string `json:"standard,omitempty" yaml:"standard,omitempty"`
}

var idPattern = regexp.MustCompile(`^[a-z0-9]+(\.[a-z0-9-]+)+$`)

// Validate reports what makes r unfit to back a spec.
func (r Requirement) Validate() error {
	var problems []string
	if !idPattern.MatchString(r.ID) {
		problems = append(problems, fmt.Sprintf("id %q is not a slug like profile.behavior", r.ID))
	} else if !strings.HasPrefix(r.ID, r.Profile+".") {
		problems = append(problems, fmt.Sprintf("id %q does not start with its profile %q", r.ID, r.Profile))
	}
	if len(r.Doc) != 3 {
		problems = append(problems, fmt.Sprintf("doc %q is not a document number like 003", r.Doc))
	}
	if strings.TrimSpace(r.Quote) == "" {
		problems = append(problems, "no quoted sentence")
	}
	switch r.Level {
	case Must:
	case Should:
		if strings.TrimSpace(r.Reason) == "" {
			problems = append(problems, "a should requirement needs a reason (the document is silent)")
		}
	default:
		problems = append(problems, fmt.Sprintf("level %q is not must or should", r.Level))
	}
	if !r.Rendering.known() {
		problems = append(problems, fmt.Sprintf("rendering %q is unknown (known: %s, %s)", r.Rendering, HTML, MarkdownTable))
	}
	known := false
	for _, c := range Categories() {
		known = known || c == r.Category
	}
	if !known {
		problems = append(problems, fmt.Sprintf("category %q is unknown", r.Category))
	}
	if len(problems) > 0 {
		return fmt.Errorf("requirement %s: %s", r.ID, strings.Join(problems, "; "))
	}
	return nil
}

// Labels are the Ginkgo labels a spec of r carries: profile, category, level, doc and id, so
// --label-filter can select by any of them.
func (r Requirement) Labels() []string {
	return []string{r.Profile, string(r.Category), string(r.Level), "doc:" + r.Doc, "req:" + r.ID}
}

// Citation is the one-line reference printed with a failure: `doc 003 (must): "..."`.
func (r Requirement) Citation() string {
	s := fmt.Sprintf(`doc %s (%s): "%s"`, r.Doc, r.Level, r.Quote)
	if r.English != "" {
		s += " [" + r.English + "]"
	}
	if r.Standard != "" {
		s += "; read through " + r.Standard
	}
	return s
}

// IDFromLabels finds the requirement id among a spec's labels.
func IDFromLabels(labels []string) string {
	for _, l := range labels {
		if id, ok := strings.CutPrefix(l, "req:"); ok {
			return id
		}
	}
	return ""
}

// Document is one profile's document; its methods declare that document's requirements, so a
// profile package states its profile and number once.
type Document struct {
	Profile string // e.g. lptracker
	Number  string // e.g. 003
}

// Must declares a requirement the document states; id is relative to the profile.
func (d Document) Must(id string, cat Category, quote string) Requirement {
	return Requirement{ID: d.Profile + "." + id, Profile: d.Profile, Doc: d.Number, Quote: quote, Level: Must, Category: cat}
}

// Should declares a check the document does not state, with the reason conform makes it.
func (d Document) Should(id string, cat Category, quote, reason string) Requirement {
	r := d.Must(id, cat, quote)
	r.Level, r.Reason = Should, reason
	return r
}

// InEnglish returns r with an English rendering of its quote.
func (r Requirement) InEnglish(english string) Requirement {
	r.English = english
	return r
}

// Under returns r read through a standard (see Requirement.Standard).
func (r Requirement) Under(standard string) Requirement {
	r.Standard = standard
	return r
}

// RenderedFrom returns r with the markup its quote was read through.
func (r Requirement) RenderedFrom(k Rendering) Requirement {
	r.Rendering = k
	return r
}

// Rendering names markup a quote leaves out. A quote keeps the document's words in order; where
// the document wraps them in markup, the quote gives what a reader sees, and says so.
type Rendering string

const (
	// HTML is text read without its tags: "done <strong>once</strong>" is quoted "done once".
	HTML Rendering = "html"
	// MarkdownTable is a markdown table row read without its cell pipes and code backticks:
	// "POST | /users/login | expects" is quoted "POST /users/login expects".
	MarkdownTable Rendering = "markdown table row"
)

func (k Rendering) known() bool {
	return k == "" || k == HTML || k == MarkdownTable
}

var htmlTag = regexp.MustCompile(`<[^>]*>`)

// read returns the text of document as a reader of this rendering sees it.
func (k Rendering) read(document string) string {
	switch k {
	case HTML:
		return htmlTag.ReplaceAllString(document, "")
	case MarkdownTable:
		return strings.NewReplacer("|", " ", "`", "").Replace(document)
	}
	return document
}

// elision marks words a quote leaves out; the pieces around it appear in the document in order.
const elision = "[...]"

// FindIn reports whether r's quote is in document, the full text of r's document: each piece
// between elisions ("[...]") must appear, in order, with runs of whitespace (line breaks,
// indentation) counting as one space, and the quote may neither start nor end inside a word
// (except at an elision). A plain quote is compared with the document's raw text; a rendered
// one with the text its markup renders, and must need it: a rendered quote that matches the raw
// text is an error too. The error names the piece not found.
func (r Requirement) FindIn(document string) error {
	if !r.Rendering.known() {
		return fmt.Errorf("rendering %q is unknown", r.Rendering)
	}
	q := strings.TrimSpace(r.Quote)
	var pieces []string
	for _, p := range strings.Split(q, elision) {
		if p = collapse(p); p != "" {
			pieces = append(pieces, p)
		}
	}
	if len(pieces) == 0 {
		return fmt.Errorf("quote %q has no text outside %s", r.Quote, elision)
	}
	whole := [2]bool{!strings.HasPrefix(q, elision), !strings.HasSuffix(q, elision)}
	if err := find(collapse(r.Rendering.read(document)), pieces, whole); err != nil || r.Rendering == "" {
		return err
	}
	if find(collapse(document), pieces, whole) == nil {
		return fmt.Errorf("quote is in the raw text: it renders no %s", r.Rendering)
	}
	return nil
}

// find looks for pieces in text, in order; whole says whether the first piece must start a
// word and the last end one.
func find(text string, pieces []string, whole [2]bool) error {
	at := 0 // where the next piece may start
	for i, p := range pieces {
		start, end := whole[0] && i == 0, whole[1] && i == len(pieces)-1
		found := -1
		for from := at; found < 0; {
			j := strings.Index(text[from:], p)
			if j < 0 {
				break
			}
			j += from
			if !(start && splitsWord(text, j)) && !(end && splitsWord(text, j+len(p))) {
				found = j
			}
			from = j + 1
		}
		switch {
		case found >= 0:
			at = found + len(p)
		case strings.Contains(text[at:], p):
			return fmt.Errorf("quote piece %q is in the document only inside a longer word", p)
		case strings.Contains(text, p):
			return fmt.Errorf("quote piece %q is in the document only before the piece ahead of it", p)
		default:
			return fmt.Errorf("quote piece %q is not in the document%s", p, divergence(text[at:], p))
		}
	}
	return nil
}

// divergence says where a piece missing from text leaves it: after the longest run of the
// piece's first words that text has, the word text has and the one the piece has instead, so a
// one-word change reads as that word.
func divergence(text, piece string) string {
	words := strings.Split(piece, " ")
	for k := len(words) - 1; k > 0; k-- {
		head := strings.Join(words[:k], " ")
		if i := strings.Index(text, head); i >= 0 {
			next, _, _ := strings.Cut(strings.TrimPrefix(text[i+len(head):], " "), " ")
			if k > 6 {
				head = "... " + strings.Join(words[k-6:k], " ")
			}
			if r := []rune(next); len(r) > 40 {
				next = string(r[:40]) + "..."
			}
			return fmt.Sprintf(": after %q the document has %q where the quote has %q", head, next, words[k])
		}
	}
	return ""
}

// collapse turns every run of whitespace into one space and trims the ends.
func collapse(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// splitsWord reports whether byte offset i of text falls between two letters or digits.
func splitsWord(text string, i int) bool {
	if i <= 0 || i >= len(text) {
		return false
	}
	before, _ := utf8.DecodeLastRuneInString(text[:i])
	after, _ := utf8.DecodeRuneInString(text[i:])
	return isWord(before) && isWord(after)
}

func isWord(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}
