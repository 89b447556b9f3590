package app

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"os"

	"go.temporal.io/sdk/client"

	"cascade/config"
)

// secureClient adds to opts what a secured or managed Temporal cluster asks
// for: TLS (the cluster's CA, a client certificate for mutual TLS, the name
// its certificate is checked for) and an API key sent as a bearer token.
func secureClient(opts *client.Options, c config.Cluster) error {
	if !c.TLSEnabled() {
		return nil
	}
	t, err := clientTLS(c)
	if err != nil {
		return err
	}
	opts.ConnectionOptions.TLS = t
	if c.APIKey != "" {
		opts.Credentials = client.NewAPIKeyStaticCredentials(c.APIKey)
	}
	return nil
}

// clientTLS is the TLS configuration of the connection to Temporal; without
// TEMPORAL_TLS_CA the system's roots check the cluster's certificate.
func clientTLS(c config.Cluster) (*tls.Config, error) {
	t := &tls.Config{MinVersion: tls.VersionTLS12, ServerName: c.TLSServerName}
	if c.TLSCA != "" {
		pem, err := os.ReadFile(c.TLSCA)
		if err != nil {
			return nil, fmt.Errorf("TEMPORAL_TLS_CA: %w", err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("TEMPORAL_TLS_CA=%q: no PEM certificate in it", c.TLSCA)
		}
		t.RootCAs = pool
	}
	if c.TLSCert != "" {
		cert, err := tls.LoadX509KeyPair(c.TLSCert, c.TLSKey)
		if err != nil {
			return nil, fmt.Errorf("TEMPORAL_TLS_CERT/TEMPORAL_TLS_KEY: %w", err)
		}
		t.Certificates = []tls.Certificate{cert}
	}
	return t, nil
}
