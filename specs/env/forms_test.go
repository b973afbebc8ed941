package env

import "testing"

func TestFormsDifferFromTheRightValue(t *testing.T) {
	for _, right := range []string{"alice-password-1", "424242", "ÄbC", "x"} {
		for _, f := range Forms() {
			v, why := f.value(right, "bob-password-2")
			if why != "" {
				continue
			}
			if v == right {
				t.Errorf("%s of %q is the right value", f.What("value"), right)
			}
		}
	}
	cases := []struct {
		f           Form
		right, want string
	}{
		{FormEmpty, "secret", ""},
		{FormCase, "alice-Password-1", "ALICE-pASSWORD-1"},
		{FormPrefix, "secret", "secre"},
		{FormPrefix, "pässä", "päss"},
		{FormAppended, "secret", "secretx"},
		{FormAppended, "1234", "12340"},
		{FormOther, "secret", "other"},
	}
	for _, c := range cases {
		if v, why := c.f.value(c.right, "other"); v != c.want || why != "" {
			t.Errorf("%s of %q = %q (%s), want %q", c.f.What("value"), c.right, v, why, c.want)
		}
	}
	for _, c := range []struct {
		f            Form
		right, other string
	}{{FormCase, "424242", "x"}, {FormPrefix, "x", "y"}, {FormOther, "same", "same"}, {FormOther, "x", ""}, {FormEmpty, "", "x"}} {
		if _, why := c.f.value(c.right, c.other); why == "" {
			t.Errorf("%s of %q (other %q) applies; want a reason to skip", c.f.What("value"), c.right, c.other)
		}
	}
}
