package cite

import (
	"strings"
	"testing"
)

// page is a small document in the shapes the five have: plain lines, an indented JSON example,
// HTML paragraphs, a markdown table row and Russian text.
const page = `Uses JSON Web Tokens
method | endpoint | description |
---|---|---|
POST | /users/login | expects JSON in the message body. e.g. ` + "`" + `{"email": ""} |
Returns the following
{
	"token": "eyJ0eXAiOiJKV1QiLCJhbGci"
}
<p>This only needs to be done <strong>once</strong>. When calling the API further on use the generated key.</p>
<p>In case the user has two-factor-authentication activated, you will get this response:</p>
<div class="highlight"><pre>
{
	"status": "success"
}
</pre></div>
С одного IP адреса можно авторизоваться только под 1-м пользователем lptracker.`

func quoted(quote string, k Rendering) Requirement {
	r := good()
	r.Quote, r.Rendering = quote, k
	return r
}

func TestFindInAcceptsAQuoteModuloWhitespaceAndElisions(t *testing.T) {
	cases := map[string]Requirement{
		"a plain line":             quoted("Uses JSON Web Tokens", ""),
		"line breaks folded":       quoted(`Returns the following { "token": "eyJ0eXAiOiJKV1QiLCJhbGci" }`, ""),
		"pieces in order":          quoted("Uses JSON [...] Returns the following", ""),
		"an elision inside a word": quoted(`Returns the following { "token": "eyJ0eXAi[...]" }`, ""),
		"ending at an elision":     quoted("the generated [...]", ""),
		"Russian":                  quoted("С одного IP адреса можно авторизоваться только под 1-м пользователем lptracker.", ""),
		"HTML, tags left out":      quoted("This only needs to be done once. When calling", HTML),
		"HTML, across paragraphs":  quoted(`you will get this response: { "status": "success" }`, HTML),
		"a markdown table row":     quoted("POST /users/login expects JSON in the message body. e.g. {", MarkdownTable),
	}
	for name, r := range cases {
		if err := r.FindIn(page); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestFindInRefusesAWrongQuote(t *testing.T) {
	cases := map[string]struct {
		r    Requirement
		want string // in the error
	}{
		"one word changed": {quoted("This only needs to be done twice.", HTML),
			`after "This only needs to be done" the document has "once." where the quote has "twice."`},
		"one word changed, Russian": {quoted("С одного IP адреса можно авторизоваться только под 2-м пользователем", ""),
			`the document has "1-м" where the quote has "2-м"`},
		"pieces out of order": {quoted("Returns the following [...] Uses JSON Web Tokens", ""),
			`quote piece "Uses JSON Web Tokens" is in the document only before the piece ahead of it`},
		"a word cut at the end": {quoted("Uses JSON Web Token", ""),
			"only inside a longer word"},
		"a word cut at the start": {quoted("ses JSON Web Tokens", ""),
			"only inside a longer word"},
		"an informal ellipsis": {quoted(`"token": "eyJ0eXAi..." }`, ""),
			`quote piece "\"token\": \"eyJ0eXAi...\" }" is not in the document`},
		"plain quote across HTML tags": {quoted("This only needs to be done once.", ""),
			"is not in the document"},
		"plain quote of a table row": {quoted("POST /users/login expects JSON", ""),
			"is not in the document"},
		"rendering the raw text needs no": {quoted("Uses JSON Web Tokens", HTML),
			"quote is in the raw text: it renders no html"},
		"only an elision": {quoted(" [...] ", ""),
			"no text outside [...]"},
		"an unknown rendering": {quoted("Uses JSON Web Tokens", "pdf"),
			`rendering "pdf" is unknown`},
	}
	for name, c := range cases {
		err := c.r.FindIn(page)
		if err == nil {
			t.Errorf("%s: %q accepted", name, c.r.Quote)
			continue
		}
		if !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %q, want it to contain %q", name, err, c.want)
		}
	}
}

func TestValidateRefusesAnUnknownRendering(t *testing.T) {
	if err := good().RenderedFrom(MarkdownTable).Validate(); err != nil {
		t.Fatalf("markdown table row refused: %v", err)
	}
	if err := good().RenderedFrom("pdf").Validate(); err == nil || !strings.Contains(err.Error(), `rendering "pdf"`) {
		t.Fatalf("unknown rendering: got %v", err)
	}
}
