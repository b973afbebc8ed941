package newapikey

import (
	"github.com/conformhq/conform/specs/wire"
	"github.com/conformhq/conform/wireform"
)

// wirePlan is doc 002's part in the wire specs: its login and the view, both queries, in the
// forms the standards make the same request. The description is the client's to choose (the
// example's is YourAPP); the specs send one with a space, so that a space's two encodings vary.
var wirePlan = wire.Plan{
	Doc:    doc,
	Answer: qAddedKey,
	Forms: []string{wireform.PercentAll, wireform.Unencoded, wireform.SpacePercent20, wireform.QueryOrder, wireform.QueryExtra,
		wireform.AcceptAny, wireform.AcceptJSON, wireform.ConnectionKeep, wireform.ConnectionEnd},
	Required: qAddedKey, Member: "pass",
	Spaced: wire.Spaced("description", "conform wire"),
}
