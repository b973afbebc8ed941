// Package lptracker_test runs the lptracker specs (doc 003) with go test or the ginkgo CLI, against the
// embedded reference or the target named by CONFORM_TARGET and CONFORM_CONFIG.
package lptracker_test

import (
	"testing"

	"github.com/onsi/ginkgo/v2"
	"github.com/onsi/gomega"

	"github.com/conformhq/conform/suites"
)

func TestLptracker(t *testing.T) {
	gomega.RegisterFailHandler(ginkgo.Fail)
	stop, err := suites.DeclareForGoTest("lptracker")
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	ginkgo.RunSpecs(t, "lptracker (doc 003)")
}
