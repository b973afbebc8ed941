package newapikey

import (
	"testing"

	"github.com/conformhq/conform/client"
)

func TestXMLValuesRefusesWhatIsNotOneWellFormedDocument(t *testing.T) {
	for name, body := range map[string]string{
		"unclosed":   `<response><status>success</status>`,
		"two roots":  `<a>1</a><b>2</b>`,
		"not xml":    `{"status":"success"}`,
		"empty":      ``,
		"stray text": `<a>1</a>tail`,
	} {
		if _, err := xmlValues([]byte(body)); err == nil {
			t.Errorf("%s: %q accepted as well-formed", name, body)
		}
	}
}

func TestJSONAndXMLValuesCompareTheData(t *testing.T) {
	j, err := jsonValues(&client.Response{Body: []byte(`{"status":"success","user":{"username":"alice","id":7,"admin":false,"note":null}}`)})
	if err != nil {
		t.Fatal(err)
	}
	x, err := xmlValues([]byte(`<?xml version="1.0"?><response><status>success</status><user id="7"><username>alice</username><admin>false</admin></user></response>`))
	if err != nil {
		t.Fatal(err)
	}
	for v := range j {
		if !x[v] {
			t.Errorf("%q in JSON, not found in XML values %v", v, x)
		}
	}
	if len(j) != len(x) {
		t.Errorf("JSON values %v, XML values %v", j, x)
	}
}
