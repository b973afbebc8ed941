package env

import "github.com/conformhq/conform/client"

// answeredBy names the instance that gave resp, for a failure message: with several instances
// of one deployment, the one that did not know a token is the one to look at.
func answeredBy(resp *client.Response) string {
	if resp == nil || resp.Instance == "" {
		return ""
	}
	return " (answered by instance " + resp.Instance + ")"
}
