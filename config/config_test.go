package config_test

import (
	"os"
	"strings"
	"testing"

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
}

func TestLoad_BadValueNamesTheVariable(t *testing.T) {
	for name, value := range map[string]string{
		"DATABASE_URL":     "mysql://x",
		"HTTP_ADDR":        "8080",
		"TEMPORAL_ADDRESS": "no-port",
		"TEMPORAL_PORT":    "seventy",
		"SMTP_URL":         "http://mail",
		"PUBLIC_URL":       "localhost",
		"LOG_LEVEL":        "loud",
		"SHUTDOWN_TIMEOUT": "-1s",
	} {
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
