package newapikey

import (
	"testing"

	"github.com/conformhq/conform/client"
	"github.com/conformhq/conform/config"
)

func TestXMLFieldsAndTheProbeRuleReadAsXML(t *testing.T) {
	f, err := xmlFields([]byte(`<?xml version="1.0"?><response><status>error</status><user><name>Al</name></user></response>`))
	if err != nil || f["status"] != "error" || f["user.name"] != "Al" {
		t.Fatalf("xmlFields = %v, %v", f, err)
	}
	p := &config.Probe{InvalidJSON: map[string]string{"status": "error"}}
	ok := &client.Response{Status: 200, Body: []byte(`<response><status>success</status></response>`)}
	refused := &client.Response{Status: 200, Body: []byte(`<response><status>error</status></response>`)}
	if !xmlAccepted(p, ok) || xmlAccepted(p, refused) || xmlAccepted(p, &client.Response{Status: 401, Body: ok.Body}) {
		t.Error("the probe rule read as XML takes the status and the invalid_json paths")
	}
}

// Doc 002 does not say how its XML looks: the envelope in attributes is as good as in
// elements (an independent implementation answered <response status="error" error="..."/>).
func TestTheProbeRuleReadsXMLAttributes(t *testing.T) {
	f, err := xmlFields([]byte(`<response status="error" error="INVALID_KEY"><user id="7"><name>Al</name></user></response>`))
	if err != nil || f["status"] != "error" || f["error"] != "INVALID_KEY" || f["user.id"] != "7" || f["user.name"] != "Al" {
		t.Fatalf("xmlFields = %v, %v", f, err)
	}
	p := &config.Probe{InvalidJSON: map[string]string{"status": "error"}}
	refused := &client.Response{Status: 200, Body: []byte(`<response status="error" error="INVALID_KEY"></response>`)}
	if xmlAccepted(p, refused) {
		t.Error("an error envelope in attributes counted as accepted")
	}
	both, _ := xmlFields([]byte(`<response status="a"><status>b</status></response>`))
	if both["status"] != "b" {
		t.Errorf("element text should win over a same-named attribute: %v", both)
	}
}
