package main

import (
	"os"
	"strings"
	"testing"
	"time"
)

// Every wrong segment or start time is one line and exit 2, before any load.
func TestLoadSegmentUsage(t *testing.T) {
	os.Unsetenv("JOB_COMPLETION_INDEX")
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--segment", "4/4"}, "out of range [0, 3]"},
		{[]string{"--segment", "1"}, "INDEX/COUNT"},
		{[]string{"--segments", "4"}, "JOB_COMPLETION_INDEX is not set"},
		{[]string{"--segment", "0/2", "--segments", "2"}, "give one"},
		{[]string{"--start-at", "noon"}, "RFC 3339"},
		{[]string{"--start-at", time.Now().Add(3 * time.Hour).Format(time.RFC3339)}, "more than 1h0m0s ahead"},
		{[]string{"--segment", "0/4", "--users", "2"}, "cannot be split over 4 segments"},
	} {
		code, _, errOut := cli(t, append(quickLoad, c.args...)...)
		if code != 2 || !strings.Contains(errOut, c.want) || strings.Count(strings.TrimSpace(errOut), "\n") > 0 {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q in one line", c.args, code, errOut, c.want)
		}
	}
}
