package config

import (
	"fmt"
	"sort"

	"github.com/tidwall/gjson"
)

// ProbeRule is a Probe's validity rule compiled once, so the specs and the load generator
// judge an answer the same way and the load path does no map iteration per request.
type ProbeRule struct {
	status         map[int]bool // nil: any 2xx
	valid, invalid [][2]string  // gjson path, value; sorted for stable messages
}

// Rule compiles the probe's validity rule.
func (p *Probe) Rule() ProbeRule {
	r := ProbeRule{valid: sortedPairs(p.ValidJSON), invalid: sortedPairs(p.InvalidJSON)}
	if len(p.ValidStatus) > 0 {
		r.status = map[int]bool{}
		for _, s := range p.ValidStatus {
			r.status[s] = true
		}
	}
	return r
}

// Refusal returns "" when an answer proves the token accepted, else why not: the status is
// not in valid_status (default any 2xx), a valid_json path does not hold its value, or an
// invalid_json path does.
func (r ProbeRule) Refusal(status int, body []byte) string {
	if r.status != nil {
		if !r.status[status] {
			return fmt.Sprintf("probe answered HTTP %d, not one of probe.valid_status", status)
		}
	} else if status < 200 || status > 299 {
		return fmt.Sprintf("probe answered HTTP %d, not 2xx", status)
	}
	for _, kv := range r.valid {
		if got := gjson.GetBytes(body, kv[0]); !got.Exists() || got.String() != kv[1] {
			return fmt.Sprintf("probe answer has %s=%q, want %q", kv[0], got.String(), kv[1])
		}
	}
	for _, kv := range r.invalid {
		if got := gjson.GetBytes(body, kv[0]); got.Exists() && got.String() == kv[1] {
			return fmt.Sprintf("probe answer has %s=%q, a refusal", kv[0], got.String())
		}
	}
	return ""
}

func sortedPairs(m map[string]string) [][2]string {
	out := make([][2]string, 0, len(m))
	for k, v := range m {
		out = append(out, [2]string{k, v})
	}
	sort.Slice(out, func(i, j int) bool { return out[i][0] < out[j][0] })
	return out
}
