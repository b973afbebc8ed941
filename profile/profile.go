// Package profile is the registry of the documents conform knows: for each, its name,
// number and title, the rules it imposes on its section of a target config, and its wire
// (how to log in, where the token comes back, where it goes). Specs, load and config all take
// a document's knowledge from here, so it is written once.
//
// Adding a document means one file here declaring its Document and one entry in All; see the
// README's layout section for the rest of the recipe (specs, suite entry point, reference
// handler, fixtures, breaks). The reference server does not use this package on purpose: it is
// the implementation the specs are checked against, and must not share their reading.
package profile

import (
	"github.com/conformhq/conform/config"
)

// Document is one registered document.
type Document struct {
	// Name is the profile name: the --profile value, the config section and the spec
	// package's label.
	Name string
	// Number is the document number, 000-004.
	Number string
	// Title says what the document describes, for help texts.
	Title string
	// Config is what the document asks of its config section (Name and Doc are filled in
	// from the Document).
	Config config.Rules
	// Wire is how the document's login and token look on the wire.
	Wire Wire
	// LiveToken is the requirement a live token refused by the probe, sent as Wire places it,
	// breaks: what a run under load names when the load's live tokens are refused.
	LiveToken string
}

// All lists the registered documents in document order, the order reports show them.
func All() []Document {
	return []Document{Flylogs(), APIKey(), NewAPIKey(), Lptracker(), JWT()}
}

// Names lists the profile names in document order.
func Names() []string {
	docs := All()
	out := make([]string, len(docs))
	for i, d := range docs {
		out[i] = d.Name
	}
	return out
}

// Get returns the document of a profile name.
func Get(name string) (Document, bool) {
	for _, d := range All() {
		if d.Name == name {
			return d, true
		}
	}
	return Document{}, false
}

// Schema is the config schema of every registered document: what config.Schema.Load and
// Parse check a target config against.
func Schema() config.Schema {
	var s config.Schema
	for _, d := range All() {
		s.Profiles = append(s.Profiles, d.Rules())
	}
	return s
}

// Rules returns the document's config rules with its name and number filled in.
func (d Document) Rules() config.Rules {
	r := d.Config
	r.Name, r.Doc = d.Name, d.Number
	return r
}
