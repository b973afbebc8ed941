// Package cite ties every spec to the document sentence it encodes. A Requirement is data (the
// document number, the quoted sentence, the level), not a comment: the spec wrapper refuses a
// spec without one, turns it into Ginkgo labels, and reports carry the quote.
package cite

import (
	"fmt"
	"regexp"
	"strings"
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
	Security  Category = "security"
)

// Categories lists every category in summary order.
func Categories() []Category {
	return []Category{Shape, Auth, TwoFactor, Placement, Logout, TTL, PerIP, Security}
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
	// Level is must when the document says it, should otherwise.
	Level Level `json:"level" yaml:"level"`
	// Category groups the requirement in the summary.
	Category Category `json:"category" yaml:"category"`
	// Reason explains a should: why conform checks what the document does not say.
	Reason string `json:"reason,omitempty" yaml:"reason,omitempty"`
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
