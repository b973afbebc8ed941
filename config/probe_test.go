package config

import "testing"

func TestProbeRule(t *testing.T) {
	lp := &Probe{ValidJSON: map[string]string{"status": "success"}}
	nk := &Probe{InvalidJSON: map[string]string{"status": "error"}}
	st := &Probe{ValidStatus: []int{204}}
	cases := []struct {
		p      *Probe
		status int
		body   string
		ok     bool
	}{
		{lp, 200, `{"status":"success"}`, true},
		{lp, 200, `{"status":"error"}`, false},
		{lp, 401, `{"status":"success"}`, false},
		{lp, 200, `not json`, false},
		{nk, 200, `{"user":{"name":"a"}}`, true},
		{nk, 200, `{"status":"error","error":"KEY_NOT_VALID"}`, false},
		{st, 204, ``, true},
		{st, 200, ``, false},
	}
	for i, c := range cases {
		if got := c.p.Rule().Refusal(c.status, []byte(c.body)) == ""; got != c.ok {
			t.Errorf("case %d: accepted %v, want %v (%s)", i, got, c.ok, c.p.Rule().Refusal(c.status, []byte(c.body)))
		}
	}
}
