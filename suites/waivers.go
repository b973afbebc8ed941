package suites

import (
	"errors"
	"fmt"
	"os"

	"github.com/conformhq/conform/config"
)

// Waiver is a known failure that does not fail the run: a CI baseline. Every waiver carries
// a written reason; a waived requirement whose specs all pass is reported as stale.
type Waiver struct {
	// ID is the requirement id, as `conform list` prints it.
	ID string `yaml:"id" json:"id"`
	// Reason says why the failure is accepted for now (a ticket, a decision).
	Reason string `yaml:"reason" json:"reason"`
}

type waiverFile struct {
	Waivers []Waiver `yaml:"waivers"`
}

type waiverSet struct {
	list []Waiver
	byID map[string]string
}

func loadWaivers(path string) (*waiverSet, error) {
	w := &waiverSet{byID: map[string]string{}}
	if path == "" {
		return w, nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, &UsageError{Err: fmt.Errorf("read waivers: %w", err)}
	}
	var wf waiverFile
	if err := config.DecodeFile(path, data, &wf); err != nil {
		var fe *config.FieldError
		if errors.As(err, &fe) {
			fe.Msg += " (expected waivers: [{id: REQUIREMENT-ID, reason: WHY}])"
		}
		return nil, &UsageError{Err: err}
	}
	lines := config.ItemLines(data, "waivers")
	for i, x := range wf.Waivers {
		field := fmt.Sprintf("waivers[%d]", i)
		line := config.LineAt(lines, i)
		if x.ID == "" {
			return nil, &UsageError{Err: &config.FieldError{File: path, Field: field + ".id", Line: line, Msg: "required (a requirement id from `conform list`)"}}
		}
		if x.Reason == "" {
			return nil, &UsageError{Err: &config.FieldError{File: path, Field: field + ".reason", Line: line, Msg: "required: say why this failure is accepted"}}
		}
		w.byID[x.ID] = x.Reason
	}
	w.list = wf.Waivers
	return w, nil
}

func (w *waiverSet) reason(id string) (string, bool) {
	r, ok := w.byID[id]
	return r, ok
}

// stale lists waivers whose requirement ran, and passed in every spec: the baseline can shrink.
func (w *waiverSet) stale(passed, failed map[string]bool) []Waiver {
	var out []Waiver
	for _, x := range w.list {
		if passed[x.ID] && !failed[x.ID] {
			out = append(out, x)
		}
	}
	return out
}

// unknown lists waivers that name no registered requirement, likely a typo.
func (w *waiverSet) unknown(known func(string) bool) []string {
	var out []string
	for _, x := range w.list {
		if !known(x.ID) {
			out = append(out, x.ID)
		}
	}
	return out
}
