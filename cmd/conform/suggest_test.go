package main

import (
	"slices"
	"testing"
)

func TestNearest(t *testing.T) {
	if got := nearest("lsit", []string{"init", "list"}); !slices.Equal(got, []string{"list"}) {
		t.Errorf("nearest(lsit) = %v, want [list]", got)
	}
	if got := nearest("rn", []string{"run"}); !slices.Equal(got, []string{"run"}) {
		t.Errorf("nearest(rn) = %v", got)
	}
}
