package explore

import (
	"math/rand/v2"

	"github.com/conformhq/conform/client"
	"github.com/conformhq/conform/model"
	"github.com/conformhq/conform/wireform"
)

// formShare is the percentage of operations whose request goes in another wire form than the
// wire builds it.
const formShare = 30

// formStream salts the seed of the stream that draws the forms, apart from the operations'
// own: a sequence's operations are the same with or without their forms.
const formStream = 0x666f726d73

// drawForms draws the wire form of each operation of ops but the clock's (model.Op.Form).
func drawForms(rng *rand.Rand, ops []model.Op) {
	for i := range ops {
		if ops[i].Kind != model.Clock && rng.IntN(100) < formShare {
			ops[i].Form = 1 + rng.IntN(1<<16)
		}
	}
}

// forms are the catalogue's forms of req a conforming server must answer as req itself: those
// a standard makes the same request, less those it leaves a server free to read otherwise
// (wireform.Form.Open, e.g. the order of query parameters), which a judge must not fail.
func forms(req client.Request) []wireform.Variant {
	var out []wireform.Variant
	for _, v := range wireform.Equivalents(req) {
		if v.Form.Open == "" {
			out = append(out, v)
		}
	}
	return out
}

// inForm returns req in op's wire form, and the form (nil for the wire's own).
func inForm(op model.Op, req client.Request) (client.Request, *wireform.Form) {
	if op.Form == 0 {
		return req, nil
	}
	vs := forms(req)
	if len(vs) == 0 {
		return req, nil
	}
	v := vs[(op.Form-1)%len(vs)]
	return v.Request, &v.Form
}

// curlRewrites are the forms whose bytes curl decides itself: it manages the connection
// (Connection) and when a body follows Expect: 100-continue, so a reproducer replaying a step
// sent in one cannot show that form's answer.
var curlRewrites = map[string]bool{wireform.ConnectionKeep: true, wireform.ConnectionEnd: true, wireform.ExpectContinue: true}

// unjudgedForm says why a reproducer cannot judge a failure whose steps went in forms, "" when
// it can: the failing step (the last) went in a form whose bytes curl decides itself.
func unjudgedForm(formOf []string) string {
	if len(formOf) == 0 || !curlRewrites[formOf[len(formOf)-1]] {
		return ""
	}
	return "the failing step went in wire form " + formOf[len(formOf)-1] + ", whose bytes curl decides itself (the connection, when a body follows Expect); a replay through curl cannot show that form"
}
