package env

import (
	"context"
	"testing"
)

func TestOtherCodeKeepsTheLengthAndDiffers(t *testing.T) {
	for _, c := range []string{"1234", "999999", "0", "ab12"} {
		if o := OtherCode(c); o == c || len(o) != len(c) {
			t.Errorf("OtherCode(%q) = %q", c, o)
		}
	}
}

// issuedSource is a code source that knows which codes the target gave.
type issuedSource []string

func (issuedSource) Delivered() bool                              { return true }
func (issuedSource) Mark(context.Context) uint64                  { return 0 }
func (issuedSource) Owe(uint64)                                   {}
func (issuedSource) Code(context.Context, uint64) (string, error) { return "", nil }
func (s issuedSource) Issued() []string                           { return s }

// A wrong code is never one the target gave the account: a 4-digit code's neighbour is now and
// then an earlier code the target keeps valid.
func TestWrongCodeIsNoIssuedCode(t *testing.T) {
	for _, tc := range []struct {
		right  string
		issued issuedSource
		want   string
	}{
		{"1234", issuedSource{"1234"}, "1235"},
		{"1234", issuedSource{"1234", "1235"}, "1236"},
		{"1239", issuedSource{"1239", "1230", "1231"}, "1232"},
		{"555555", nil, "555556"},
	} {
		if got := WrongCode(tc.issued, tc.right); got != tc.want {
			t.Errorf("WrongCode(%v, %s) = %s, want %s", tc.issued, tc.right, got, tc.want)
		}
	}
	// Every other last digit issued: the code is still not the right one.
	all := issuedSource{"1230", "1231", "1232", "1233", "1234", "1235", "1236", "1237", "1238", "1239"}
	if got := WrongCode(all, "1234"); got == "1234" || len(got) != 4 {
		t.Errorf("WrongCode with every neighbour issued = %s", got)
	}
}
