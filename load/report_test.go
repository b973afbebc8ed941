package load

import (
	"bytes"
	"encoding/json"
	"slices"
	"testing"
)

// The JSON report opens with its verdict, the one the exit code gives: pass, fail with the
// broken checks, or interrupted (no verdict, whatever the checks say).
func TestVerdictInJSON(t *testing.T) {
	ok := Check{Name: "min-success", OK: true}
	cases := []struct {
		rep    Report
		result string
		broken []string
	}{
		{Report{Checks: []Check{ok}}, "pass", nil},
		{Report{}, "pass", nil},
		{Report{Checks: []Check{ok, {Name: "max-p99"}, {Name: "valid"}}}, "fail", []string{"max-p99", "valid"}},
		{Report{Interrupted: true, Checks: []Check{{Name: "max-p99"}}}, "interrupted", nil},
	}
	for _, c := range cases {
		var buf bytes.Buffer
		if err := c.rep.WriteJSON(&buf); err != nil {
			t.Fatal(err)
		}
		var got struct {
			Verdict Verdict `json:"verdict"`
			Attack  *string `json:"attack"`
		}
		if err := json.Unmarshal(buf.Bytes(), &got); err != nil || got.Attack == nil {
			t.Fatalf("%v:\n%s", err, buf.String())
		}
		if got.Verdict.Result != c.result || !slices.Equal(got.Verdict.Broken, c.broken) {
			t.Errorf("checks %+v interrupted %v: verdict %+v, want %s %v", c.rep.Checks, c.rep.Interrupted, got.Verdict, c.result, c.broken)
		}
		if !bytes.HasPrefix(buf.Bytes(), []byte("{\n  \"verdict\": {")) {
			t.Errorf("the verdict is not first:\n%s", buf.String())
		}
	}
}
