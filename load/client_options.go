package load

import (
	"github.com/conformhq/conform/client"
)

// transport is the run's target-client options: the CLI's proxy, CA and --insecure, and the
// config's extra headers (none for the embedded reference).
func (o Options) transport() client.TransportOptions {
	t := o.Transport
	if o.Target != "" && o.Config != nil {
		t.Header = o.Config.HTTPHeader()
	}
	return t
}
