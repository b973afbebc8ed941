package flylogs

import (
	"net/http"

	"github.com/onsi/ginkgo/v2"

	"github.com/conformhq/conform/client"
	"github.com/conformhq/conform/profile"
	"github.com/conformhq/conform/specs/cite"
	"github.com/conformhq/conform/specs/env"
	"github.com/conformhq/conform/wireform"
)

// reqExampleCurl: doc 000's curl example, sent as written.
var reqExampleCurl = doc.Must("example.curl", cite.Wire, qCurl)

// exampleSpecs send doc 000's one request example as written.
//
// How it is read: curl's -d fields make a POST of an application/x-www-form-urlencoded body,
// the fields joined by & in the order written and sent without encoding (curl -d does not
// encode, so the @ of an email goes as it is); -u KEY: is Authorization: Basic of the key and
// an empty password; curl adds User-Agent and Accept: */*. The example's own slips are read as
// their evident intent: its three lines have no continuation backslashes (one command), its host
// is a typo (www.flylogs.com.com; the target's is put in anyway), and its second field is named
// species where the Request Body table requires password ("password*", "The user password") and
// the value is 'Secret-Password': sent as species, the login would carry no password, a request
// the table makes incomplete, whose answer the document does not give. code=” is sent empty,
// as written.
func exampleSpecs(b *cite.Book, e *env.Env) {
	b.It(reqExampleCurl, "sends doc 000's curl example as written: -u KEY: and -d email, password (the example's species) and an empty code", func(ctx ginkgo.SpecContext) {
		a := e.PlainAccount(0)
		r := wireform.AsCurl(client.Request{
			Method: http.MethodPost,
			Path:   "/users/login.json",
			Header: http.Header{"Authorization": {profile.BasicAuth(e.Config.APIKey)}, "Content-Type": {"application/x-www-form-urlencoded"}},
			Body:   "email=" + wireform.CurlData(a.Login) + "&password=" + wireform.CurlData(a.Password) + "&code=",
		})
		resp := e.Do(ctx, r)
		_, why := e.Wire.LoginToken(resp.Body)
		env.Expect(why == "", "the document's successful answer (response.result true, a token) to its own example", why+": "+env.DescribeBody(resp))
	})
}
