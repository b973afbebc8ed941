package cite

import (
	"strings"
	"testing"
)

func good() Requirement {
	return Requirement{ID: "jwt.token.query", Profile: "jwt", Doc: "004", Quote: "Pass the token as a query parameter.", Level: Must, Category: Placement}
}

func TestValidateRefusesAnUncitedOrVagueRequirement(t *testing.T) {
	if err := good().Validate(); err != nil {
		t.Fatalf("good requirement refused: %v", err)
	}
	cases := map[string]func(*Requirement){
		"no quote":           func(r *Requirement) { r.Quote = " " },
		"position id":        func(r *Requirement) { r.ID = "jwt.3" + "/" },
		"id of another":      func(r *Requirement) { r.ID = "lptracker.token.query" },
		"bad doc":            func(r *Requirement) { r.Doc = "4" },
		"should without why": func(r *Requirement) { r.Level = Should },
		"unknown level":      func(r *Requirement) { r.Level = "may" },
		"unknown category":   func(r *Requirement) { r.Category = "misc" },
	}
	for name, mutate := range cases {
		r := good()
		mutate(&r)
		if err := r.Validate(); err == nil {
			t.Errorf("%s: accepted %+v", name, r)
		}
	}
}

func TestLabelsCarryEverySelector(t *testing.T) {
	got := strings.Join(good().Labels(), ",")
	if got != "jwt,placement,must,doc:004,req:jwt.token.query" {
		t.Fatalf("labels %s", got)
	}
	if id := IDFromLabels(good().Labels()); id != "jwt.token.query" {
		t.Fatalf("IDFromLabels = %q", id)
	}
}
