package jwt

import (
	"github.com/conformhq/conform/specs/cite"
	"github.com/conformhq/conform/specs/wire"
	"github.com/conformhq/conform/wireform"
)

// qLoginBody is the login row of doc 004's table with its example body: the members the login
// sends.
const qLoginBody = `POST /users/login expects JSON in the message body. e.g. {"email": "email@example.com", password: ""}`

// wirePlan is doc 004's part in the wire specs: its JSON login and GET /users/me with header
// x-access-token, in the forms the standards make the same request.
var wirePlan = wire.Plan{
	Doc:       doc,
	Answer:    qReturns,
	Rendering: cite.MarkdownTable,
	Forms: []string{wireform.Charset, wireform.MediaTypeCase, wireform.MemberOrder, wireform.Whitespace,
		wireform.HeaderNameCase, wireform.AcceptAny, wireform.AcceptJSON, wireform.ConnectionKeep, wireform.ConnectionEnd, wireform.ExpectContinue},
	Required: qLoginBody, Member: "password",
}
