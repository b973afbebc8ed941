package flylogs

import (
	"github.com/conformhq/conform/specs/wire"
	"github.com/conformhq/conform/wireform"
)

// qPasswordField is the password row of doc 000's Request Body table.
const qPasswordField = "password* string The user password."

// wirePlan is doc 000's part in the wire specs: its form login with the company key (curl -d
// and -u), and the config's probe, in the forms the standards make the same request. The
// document fixes a form body; only what the form encoding makes equivalent varies.
var wirePlan = wire.Plan{
	Doc:    doc,
	Answer: qSuccess,
	Forms: []string{wireform.Charset, wireform.MediaTypeCase, wireform.PercentAll, wireform.Unencoded, wireform.AuthSchemeCase,
		wireform.HeaderNameCase, wireform.AcceptAny, wireform.AcceptJSON, wireform.ConnectionKeep, wireform.ConnectionEnd, wireform.ExpectContinue},
	Required: qPasswordField, Member: "password",
}
