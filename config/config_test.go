package config_test

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"cascade/config"
)

func env(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestLoad_DefaultsWorkOnADeveloperMachine(t *testing.T) {
	c, err := config.Load(env(nil))
	require.NoError(t, err)
	require.Equal(t, "postgres://postgres@127.0.0.1:5432/cascade?sslmode=disable", c.DatabaseURL)
	require.Equal(t, ":8080", c.HTTPAddr)
	require.Empty(t, c.TemporalAddress)
	require.Equal(t, "default", c.TemporalNamespace)
	require.Equal(t, "cascade", c.TaskQueue)
	require.Equal(t, 7233, c.TemporalPort)
	require.Equal(t, "127.0.0.1:8233", c.Cluster.UIAddr)
	require.Equal(t, 30*24*time.Hour, c.Cluster.Retention)
	require.Equal(t, 4, c.Cluster.HistoryShards)
	require.False(t, c.Cluster.TLSEnabled())
}

func TestLoad_ClusterSettings(t *testing.T) {
	c, err := config.Load(env(map[string]string{
		"TEMPORAL_PORT": "32760", "TEMPORAL_RETENTION": "90d", "TEMPORAL_UI_ADDR": "off",
		"TEMPORAL_ADDRESS": "ns.acct.tmprl.cloud:7233", "TEMPORAL_API_KEY": "k",
	}))
	require.NoError(t, err)
	require.Equal(t, 32760, c.TemporalPort)
	require.Equal(t, 90*24*time.Hour, c.Cluster.Retention)
	require.Empty(t, c.Cluster.UIAddr)
	require.True(t, c.Cluster.TLSEnabled())

	t.Setenv("TEMPORAL_UI_ADDR", "") // set to nothing: no UI
	c, err = config.Load(env(nil))
	require.NoError(t, err)
	require.Empty(t, c.Cluster.UIAddr)
}

func TestLoad_BadValueNamesTheVariable(t *testing.T) {
	for name, value := range map[string]string{
		"DATABASE_URL":            "mysql://x",
		"HTTP_ADDR":               "8080",
		"TEMPORAL_ADDRESS":        "no-port",
		"TEMPORAL_PORT":           "seventy",
		"SMTP_URL":                "http://mail",
		"SMTP_CONCURRENCY":        "0",
		"PUBLIC_URL":              "localhost",
		"LOG_LEVEL":               "loud",
		"SHUTDOWN_TIMEOUT":        "-1s",
		"TEMPORAL_RETENTION":      "12h",
		"TEMPORAL_HISTORY_SHARDS": "0",
		"TEMPORAL_UI_ADDR":        "8233",
		"TEMPORAL_TLS_CA":         "/nonexistent/ca.pem",
		"TEMPORAL_API_KEY":        "key-without-a-cluster",
		"TEMPORAL_PORT=":          "32761", // membership ports (+4…+7) are a smallint
	} {
		name = strings.TrimSuffix(name, "=")
		_, err := config.Load(env(map[string]string{name: value}))
		require.Error(t, err, name)
		require.True(t, strings.HasPrefix(err.Error(), name+"="), "%s: %v", name, err)
		require.NotContains(t, err.Error(), "\n")
	}
}

func TestHelp_AndReadmeListEveryVariable(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	require.NoError(t, err)
	help := config.Help()
	for _, v := range config.Vars {
		require.Contains(t, help, v.Name)
		require.Contains(t, string(readme), "`"+v.Name+"`", "README.md does not document %s", v.Name)
	}
}

func TestLoad_SecuritySettings(t *testing.T) {
	c, err := config.Load(env(nil))
	require.NoError(t, err)
	require.Empty(t, c.TrustedProxies, "no proxy is trusted by default")
	require.Empty(t, c.MetricsAddr)
	require.Positive(t, c.HTTPReadTimeout)
	require.GreaterOrEqual(t, c.HTTPWriteTimeout, 2*c.HTTPReadTimeout/2, "exports need time to be written")
	require.Positive(t, c.HTTPIdleTimeout)

	c, err = config.Load(env(map[string]string{"TRUSTED_PROXIES": "127.0.0.1, 10.0.0.0/8", "DEBUG_ADDR": "127.0.0.1:6060"}))
	require.NoError(t, err)
	require.Equal(t, []string{"127.0.0.1", "10.0.0.0/8"}, c.TrustedProxies)

	for name, value := range map[string]string{
		"TRUSTED_PROXIES":    "proxy.example",
		"DEBUG_ADDR":         "0.0.0.0:6060",
		"METRICS_ADDR":       "9090",
		"HTTP_WRITE_TIMEOUT": "0",
	} {
		_, err := config.Load(env(map[string]string{name: value}))
		require.Error(t, err, name)
		require.True(t, strings.HasPrefix(err.Error(), name+"="), "%s: %v", name, err)
	}
	_, err = config.Load(env(map[string]string{"DEBUG_ADDR": ":6060"}))
	require.Error(t, err, "an empty host listens on every interface")
	c, err = config.Load(env(map[string]string{"DEBUG_ADDR": "0.0.0.0:6060", "DEBUG_ADDR_ALLOW_PUBLIC": "1"}))
	require.NoError(t, err)
	require.Equal(t, "0.0.0.0:6060", c.DebugAddr)
}
