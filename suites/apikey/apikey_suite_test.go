// Package apikey_test runs the apikey specs (doc 001) with go test or the ginkgo CLI, against the
// embedded reference or the target named by CONFORM_TARGET and CONFORM_CONFIG.
package apikey_test

import (
	"testing"

	"github.com/onsi/ginkgo/v2"
	"github.com/onsi/gomega"

	"github.com/conformhq/conform/suites"
)

func TestAPIKey(t *testing.T) {
	gomega.RegisterFailHandler(ginkgo.Fail)
	stop, err := suites.DeclareForGoTest("apikey")
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	ginkgo.RunSpecs(t, "apikey (doc 001)")
}
