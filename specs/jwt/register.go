package jwt

import (
	"github.com/onsi/ginkgo/v2"

	"github.com/conformhq/conform/model"
	"github.com/conformhq/conform/specs/cite"
	"github.com/conformhq/conform/specs/env"
	"github.com/conformhq/conform/specs/negative"
	"github.com/conformhq/conform/specs/sequences"
	"github.com/conformhq/conform/specs/wire"
)

// Register declares doc 004's specs in b against e.
func Register(b *cite.Book, e *env.Env) {
	ginkgo.Describe("jwt (doc 004)", func() {
		loginSpecs(b, e)
		tokenSpecs(b, e)
		securitySpecs(b, e)
		keySpecs(b, e)
		attackSpecs(b, e)
		messageSpecs(b, e)
		negative.Register(b, e, plan)
		wire.Register(b, e, wirePlan)
		exampleSpecs(b, e)
		sequences.Register(b, e, model.JWT())
	})
}
