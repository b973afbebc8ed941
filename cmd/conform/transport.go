package main

import (
	"fmt"
	"io"

	"github.com/spf13/pflag"

	"github.com/conformhq/conform/client"
)

// transportFlags declares the target-client options `conform run` and `conform load` share.
func transportFlags(f *pflag.FlagSet, o *client.TransportOptions) {
	f.StringVar(&o.CACert, "ca-cert", "", "PEM file of CA certificates to trust for an https target, in addition to the system's")
	f.BoolVar(&o.Insecure, "insecure", false, "do not verify the target's TLS certificate (testing only: anyone on the path can read the secrets sent)")
	f.BoolVar(&o.NoProxy, "no-proxy", false, "ignore HTTP_PROXY, HTTPS_PROXY and NO_PROXY (honoured by default; loopback targets are never proxied)")
}

// warnInsecure says loudly, on stderr, that --insecure is on.
func warnInsecure(w io.Writer, o client.TransportOptions) {
	if o.Insecure {
		fmt.Fprintln(w, "conform: WARNING: --insecure: the target's TLS certificate is NOT verified; the passwords and keys conform sends can be read by anyone on the path")
	}
}
