package config_test

import (
	"slices"
	"strings"
	"testing"
)

const jwtSection = "\njwt:\n  accounts: [{login: a, password: b}]\n"

func TestInstancesAreBaseURLs(t *testing.T) {
	f, err := schema.Parse("t.yaml", []byte("instances: [http://127.0.0.1:8081/, 'https://pod-2.internal:8443']"+jwtSection), env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"http://127.0.0.1:8081", "https://pod-2.internal:8443"}; !slices.Equal(f.Instances, want) {
		t.Errorf("Instances = %v, want %v", f.Instances, want)
	}
	f, err = schema.Parse("t.yaml", []byte(jwtSection), env(nil))
	if err != nil || f.Instances != nil {
		t.Errorf("without instances: %v, %v", f.Instances, err)
	}
}

func TestInstancesErrorsNameTheField(t *testing.T) {
	for _, c := range []struct{ yaml, want string }{
		{"instances: [http://127.0.0.1:8081]", "t.yaml:1: instances: give at least two base URLs"},
		{"instances: [http://a:1, 'ftp://b:2']", "t.yaml:1: instances[1]: \"ftp://b:2\" is not a base URL"},
		{"instances: [http://a:1, 'http://b:2/?x=1']", "instances[1]: \"http://b:2/?x=1\" is not a base URL"},
		{"instances: [http://a:1, 'http://a:1/']", "instances[1]: \"http://a:1/\" is instances[0] again"},
		{"instances: {a: b}", "instances: must be a list"},
	} {
		_, err := schema.Parse("t.yaml", []byte(c.yaml+jwtSection), env(nil))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want it to contain %q", c.yaml, err, c.want)
		}
	}
}
