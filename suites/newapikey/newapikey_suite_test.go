// Package newapikey_test runs the newapikey specs (doc 002) with go test or the ginkgo CLI, against the
// embedded reference or the target named by CONFORM_TARGET and CONFORM_CONFIG.
package newapikey_test

import (
	"testing"

	"github.com/onsi/ginkgo/v2"
	"github.com/onsi/gomega"

	"github.com/conformhq/conform/suites"
)

func TestNewAPIKey(t *testing.T) {
	gomega.RegisterFailHandler(ginkgo.Fail)
	stop, err := suites.DeclareForGoTest("newapikey")
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	ginkgo.RunSpecs(t, "newapikey (doc 002)")
}
