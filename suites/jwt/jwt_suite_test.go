// Package jwt_test runs the jwt specs (doc 004) with go test or the ginkgo CLI, against the
// embedded reference or the target named by CONFORM_TARGET and CONFORM_CONFIG.
package jwt_test

import (
	"testing"

	"github.com/onsi/ginkgo/v2"
	"github.com/onsi/gomega"

	"github.com/conformhq/conform/suites"
)

func TestJWT(t *testing.T) {
	gomega.RegisterFailHandler(ginkgo.Fail)
	stop, err := suites.DeclareForGoTest("jwt")
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	ginkgo.RunSpecs(t, "jwt (doc 004)")
}
