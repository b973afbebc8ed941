package e2e_test

import (
	"strings"
	"testing"

	"github.com/conformhq/conform/reference"
)

// TestThrottlingAdvisorySeesTheReferenceLimit: the reference's login throttle, announced on
// each refusal (RateLimit fields), keeps the throttling advisory quiet while no spec meets the
// limit itself; with the throttle off, the advisory says so.
func TestThrottlingAdvisorySeesTheReferenceLimit(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name     string
		throttle reference.LoginThrottle
		advised  bool
	}{{"default", reference.LoginThrottle{}, false}, {"off", reference.LoginThrottle{Failures: -1}, true}} {
		url := serveReference(t, reference.Options{LoginThrottle: tc.throttle})
		r := conform(t, "run", "--target", url, "--config", "fixtures/reference.yaml", "--profile", "lptracker,jwt", "--label-filter", "security || auth || robustness", "--strict")
		if r.code != 0 || r.report == nil {
			t.Fatalf("%s: exit %d\n%s\n%s", tc.name, r.code, r.stdout, r.stderr)
		}
		advised := 0
		for _, a := range r.report.Advisories {
			if strings.Contains(a.Finding, "no throttling seen") {
				advised++
			}
		}
		if (advised == 2) != tc.advised || (advised == 0) == tc.advised {
			t.Errorf("throttle %s: %d throttling advisories for 2 profiles; want advised %v", tc.name, advised, tc.advised)
		}
	}
}
