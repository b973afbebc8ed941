package profile

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/tidwall/gjson"

	"github.com/conformhq/conform/client"
	"github.com/conformhq/conform/config"
)

// ProbeError says the config's probe, or its token placement, proved wrong on the target
// before anything ran: a probe path the target does not have, or a placement where the target
// does not take its token. Field is the config path to fix, e.g. lptracker.probe.path.
type ProbeError struct {
	Field string
	// Problem says what conform saw, secrets masked, on one line.
	Problem string
}

func (e *ProbeError) Error() string { return e.Field + ": " + e.Problem }

// checkProbe sends the config's probe with session s's fresh token and without a token, and
// returns a *ProbeError when they show the config is the cause of a refusal:
//
//   - both answered 404: the target has no such path (a server that refuses a token says so;
//     no document answers a live token with 404, and none has a path that exists only without
//     one);
//   - where the document is silent on the token's placement (Rules.TokenSilent), the probe
//     refused the token where the config puts it, refused the request without a token, and
//     accepted the same token in another common placement: the target takes it there.
//
// Anything else (the probe accepts the token, or refuses it everywhere) is for the specs.
func (d Document) checkProbe(ctx context.Context, c *client.Client, sec *config.Profile, s Session, configName string) error {
	p := sec.Probe
	if p == nil {
		return nil
	}
	rule := p.Rule()
	send := func(place func(*client.Request)) *client.Response {
		r := client.Request{Method: p.Method, Path: sec.BasePath + p.Path, Body: p.Body, Header: http.Header{}}
		if p.Body != "" {
			r.Header.Set("Content-Type", "application/json")
		}
		if d.Wire.Authorize != nil {
			d.Wire.Authorize(sec, &r)
		}
		place(&r)
		resp, err := c.Do(ctx, r)
		if err != nil {
			return nil
		}
		return resp
	}
	with := send(func(r *client.Request) { d.Wire.Placements(sec)[0].Put(r, s) })
	if with == nil || rule.Refusal(with.Status, with.Body) == "" {
		return nil
	}
	without := send(func(*client.Request) {})
	if without == nil {
		return nil
	}
	if with.Status == http.StatusNotFound && without.Status == http.StatusNotFound {
		return &ProbeError{Field: d.Name + ".probe.path", Problem: fmt.Sprintf(
			"the probe %s %s answered HTTP 404 to a fresh token and to no token alike: the target has no such path; set %s.probe in %s to a request that answers a valid token (see fixtures/%s.example.yaml)",
			p.Method, sec.BasePath+p.Path, d.Name, configName, d.Name)}
	}
	if !d.Config.TokenSilent || rule.Refusal(without.Status, without.Body) == "" {
		return nil
	}
	for _, alt := range placementsToTry {
		if sec.Token != nil && *sec.Token == alt {
			continue
		}
		other := *sec
		other.Token = &alt
		if resp := send(func(r *client.Request) { configured(&other)[0].Put(r, s) }); resp != nil && rule.Refusal(resp.Status, resp.Body) == "" {
			return &ProbeError{Field: d.Name + ".token", Problem: fmt.Sprintf(
				"the probe refused a fresh token sent as %s (HTTP %d) and accepted it sent as %s: the target takes its token there; set %s.token in %s to %s",
				configured(sec)[0].Name, with.Status, configured(&other)[0].Name, d.Name, configName, placementYAML(alt))}
		}
	}
	return nil
}

// placementsToTry are the common places a login API takes its token, tried when the config's
// placement is refused (docs 000 and 001 do not say where the token goes).
var placementsToTry = []config.TokenPlacement{
	{Bearer: true}, {Header: "token"}, {Header: "x-access-token"}, {Header: "X-Auth-Token"},
	{Header: "Authorization"}, {Query: "token"}, {Query: "access_token"},
}

// placementYAML is p as the config writes it.
func placementYAML(p config.TokenPlacement) string {
	switch {
	case p.Header != "":
		return "{header: " + p.Header + "}"
	case p.Query != "":
		return "{query: " + p.Query + "}"
	}
	return "{bearer: true}"
}

// anyToken is a token of a JSON login answer wherever it is: the first non-empty string whose
// key says token (any case), walking the answer in order, at most maxWalk values. The check uses
// it to end a session whose answer does not put the token where the document does.
func anyToken(body []byte) string {
	if !client.ValidJSON(body) {
		return ""
	}
	found, seen := "", 0
	var walk func(key string, v gjson.Result) bool
	walk = func(key string, v gjson.Result) bool {
		seen++
		if seen > maxWalk {
			return false
		}
		switch {
		case v.Type == gjson.String && strings.Contains(strings.ToLower(key), "token") && strings.TrimSpace(v.Str) != "":
			found = v.Str
			return false
		case v.IsObject() || v.IsArray():
			cont := true
			v.ForEach(func(k, x gjson.Result) bool {
				name := k.String()
				if v.IsArray() {
					name = key
				}
				cont = walk(name, x)
				return cont
			})
			return cont
		}
		return true
	}
	walk("", gjson.ParseBytes(body))
	return found
}

// maxWalk bounds the values anyToken looks at: a hostile answer cannot make it walk for long.
const maxWalk = 10000
