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
