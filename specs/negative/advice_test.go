package negative

import (
	"net/http"
	"testing"
)

func TestRateLimitLeftAndCountsDown(t *testing.T) {
	for v, want := range map[string]int{`"failed-logins";r=17;t=900`: 17, `"default";t=3;r=0`: 0, `r=5`: 5} {
		if n, ok := rateLimitLeft(http.Header{"Ratelimit": {v}}); !ok || n != want {
			t.Errorf("RateLimit %q: %d %v; want %d", v, n, ok, want)
		}
	}
	if n, ok := rateLimitLeft(http.Header{"Ratelimit-Remaining": {" 4 "}}); !ok || n != 4 {
		t.Errorf("RateLimit-Remaining: %d %v", n, ok)
	}
	for _, h := range []http.Header{{}, {"Ratelimit": {`"x";t=9`}}, {"Ratelimit": {`"x";q=9;xr=1`}}} {
		if _, ok := rateLimitLeft(h); ok {
			t.Errorf("%v: read a count", h)
		}
	}
	cases := []struct {
		left []int
		ok   bool
	}{{[]int{4, 3, 2, 1, 0}, true}, {[]int{19, 18, 17, 16, 15}, true}, {[]int{4, 4, 3, 2, 1}, false}, {[]int{4, 3, 2, 1}, true}, {[]int{4, 3}, false}, {nil, false}}
	for _, c := range cases {
		if got := countsDown(c.left, countedDown); got != c.ok {
			t.Errorf("%v: %v, want %v", c.left, got, c.ok)
		}
	}
}
