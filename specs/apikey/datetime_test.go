package apikey

import "testing"

func TestRFC3339DateTimeTakesEitherLetterCase(t *testing.T) {
	for s, ok := range map[string]bool{
		"2025-02-03T04:05:06Z":         true,
		"2025-02-03t04:05:06.789z":     true,
		"2025-02-03T04:05:06+02:00":    true,
		"2016-12-31T23:59:60Z":         true,
		"2025-02-03 04:05:06Z":         false, // RFC 3339 allows the space only in prose
		"2025-02-03":                   false,
		"2025-02-03T04:05:06":          false, // no offset
		"2025-13-03T04:05:06Z":         false,
		"yesterday":                    false,
		"2025-02-03T04:05:06.789+0200": false,
	} {
		if got := rfc3339DateTime(s) == nil; got != ok {
			t.Errorf("%q: valid %v, want %v", s, got, ok)
		}
	}
}
