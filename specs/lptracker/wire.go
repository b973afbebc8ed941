package lptracker

import (
	"github.com/conformhq/conform/client"
	"github.com/conformhq/conform/specs/wire"
	"github.com/conformhq/conform/wireform"
)

// wirePlan is doc 003's part in the wire specs: its JSON login, the probe with header token,
// and its logout, in the forms the standards make the same request.
var wirePlan = wire.Plan{
	Doc:    doc,
	Answer: qSuccess, English: "Successful answer: status success, result.token.",
	Forms: []string{wireform.Charset, wireform.MediaTypeCase, wireform.MemberOrder, wireform.Whitespace,
		wireform.HeaderNameCase, wireform.AcceptAny, wireform.AcceptJSON, wireform.ConnectionKeep, wireform.ConnectionEnd, wireform.ExpectContinue},
	Required: qRequired, RequiredEnglish: "All fields in this request are required.", Member: "password",
	LogoutAnswer: logoutAnswer,
}

// logoutAnswer says what a logout answer lacks of doc 003's: status success, result true.
func logoutAnswer(resp *client.Response) string {
	switch {
	case resp.Get("status").String() != "success":
		return "status is not \"success\""
	case resp.Get("result").Raw != "true":
		return "result is not true"
	}
	return ""
}
