package apikey

import (
	"github.com/conformhq/conform/specs/wire"
	"github.com/conformhq/conform/wireform"
)

// wirePlan is doc 001's part in the wire specs: its JSON login and the config's probe, in the
// forms the standards make the same request.
var wirePlan = wire.Plan{
	Doc:    doc,
	Answer: qSchema,
	Forms: []string{wireform.Charset, wireform.MediaTypeCase, wireform.MemberOrder, wireform.Whitespace, wireform.AuthSchemeCase,
		wireform.HeaderNameCase, wireform.AcceptAny, wireform.AcceptJSON, wireform.ConnectionKeep, wireform.ConnectionEnd, wireform.ExpectContinue},
	Required: qLoginRequired, Member: "apiSecret",
}
