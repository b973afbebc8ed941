// Package flylogs_test runs the flylogs specs (doc 000) with go test or the ginkgo CLI, against the
// embedded reference or the target named by CONFORM_TARGET and CONFORM_CONFIG.
package flylogs_test

import (
	"testing"

	"github.com/onsi/ginkgo/v2"
	"github.com/onsi/gomega"

	"github.com/conformhq/conform/suites"
)

func TestFlylogs(t *testing.T) {
	gomega.RegisterFailHandler(ginkgo.Fail)
	stop, err := suites.DeclareForGoTest("flylogs")
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	ginkgo.RunSpecs(t, "flylogs (doc 000)")
}
