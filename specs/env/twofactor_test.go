package env

import "testing"

func TestOtherCodeKeepsTheLengthAndDiffers(t *testing.T) {
	for _, c := range []string{"1234", "999999", "0", "ab12"} {
		if o := OtherCode(c); o == c || len(o) != len(c) {
			t.Errorf("OtherCode(%q) = %q", c, o)
		}
	}
}
