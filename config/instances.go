package config

import (
	"fmt"
	"net/url"
	"reflect"
	"strings"
)

// instancesType is the type the instances field decodes into.
var instancesType = reflect.TypeOf([]string{})

// normalizeInstances checks the instances field: each an absolute http(s) URL with a host and
// no query, given once; the trailing slash is dropped so paths join alike.
func (p *parser) normalizeInstances(f *File) error {
	if len(f.Instances) == 1 {
		return p.errAt("instances", "give at least two base URLs (instances of one deployment), or leave instances out")
	}
	seen := map[string]int{}
	for i, raw := range f.Instances {
		field := fmt.Sprintf("instances[%d]", i)
		u, err := url.Parse(raw)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
			return p.errAt(field, fmt.Sprintf("%q is not a base URL such as http://10.0.0.5:8080", raw))
		}
		f.Instances[i] = strings.TrimSuffix(raw, "/")
		if j, dup := seen[f.Instances[i]]; dup {
			return p.errAt(field, fmt.Sprintf("%q is instances[%d] again", raw, j))
		}
		seen[f.Instances[i]] = i
	}
	return nil
}
