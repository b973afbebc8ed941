package client

import "github.com/conformhq/conform/config"

var clientIPsHeader = config.ClientIPs{Mode: "header", Header: "X-Forwarded-For", Addresses: []string{"203.0.113.2", "203.0.113.3"}}
