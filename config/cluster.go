package config

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
)

// Cluster is how Cascade meets Temporal beyond the address: the embedded
// server's settings and a secured cluster's credentials.
type Cluster struct {
	UIAddr        string        // Web UI beside the embedded server; empty: none
	Retention     time.Duration // closed workflows' histories (embedded namespace)
	HistoryShards int           // embedded server; fixed at its first start
	TLSCA         string        // PEM file of the CA that signed the frontend's certificate
	TLSCert       string        // client certificate (mTLS), PEM file
	TLSKey        string        // its key
	TLSServerName string        // name the frontend's certificate is checked for
	APIKey        string        // bearer API key (Temporal Cloud, an authorizing proxy)
}

// MaxTemporalPort is the highest TEMPORAL_PORT: the embedded server's
// membership ports (TEMPORAL_PORT+4 … +7) are stored as a smallint.
const MaxTemporalPort = 32767 - 7

// parseDays is time.ParseDuration that also takes whole days ("30d").
func parseDays(v string) (time.Duration, error) {
	if n, ok := strings.CutSuffix(v, "d"); ok {
		d, err := strconv.Atoi(n)
		if err != nil {
			return 0, err
		}
		return time.Duration(d) * 24 * time.Hour, nil
	}
	return time.ParseDuration(v)
}

func fileOrEmpty(path string) error {
	if path == "" {
		return nil
	}
	if _, err := os.Stat(path); err != nil {
		return fmt.Errorf("cannot read the file: %w", err)
	}
	return nil
}

// TLSEnabled says whether Cascade dials Temporal with TLS.
func (c Cluster) TLSEnabled() bool {
	return c.TLSCA != "" || c.TLSCert != "" || c.TLSServerName != "" || c.APIKey != ""
}

// explicitlyEmpty says whether name is set to nothing in the environment, for
// the variables where that means "none" rather than "the default".
func explicitlyEmpty(name string) bool {
	if name != "TEMPORAL_UI_ADDR" {
		return false
	}
	v, set := os.LookupEnv(name)
	return set && v == ""
}
