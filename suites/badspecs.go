//go:build !conform_badspecs

package suites

import "github.com/conformhq/conform/specs/cite"

// declareBadSpecs declares nothing. Built with -tags conform_badspecs it declares specs that
// must not register (badspecs_on.go), so a test can watch the built binary refuse them.
func declareBadSpecs(*cite.Book) {}
