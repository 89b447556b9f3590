package embedded_test

import (
	"context"
	"database/sql"
	"net/url"
	"os"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"

	"cascade/embedded"
	"cascade/store"
	"cascade/store/storetest"
)

func TestMain(m *testing.M) { os.Exit(storetest.Main(m)) }

func echo(ctx workflow.Context, s string) (string, error) {
	if err := workflow.Sleep(ctx, time.Second); err != nil {
		return "", err
	}
	return "echo " + s, nil
}

func TestEmbeddedServer_RunsAWorkflowOnPostgres(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	reg := prometheus.NewRegistry()
	srv, err := embedded.Start(ctx, embedded.Config{DatabaseURL: storetest.URL(t), Namespace: "default", Metrics: reg})
	require.NoError(t, err)
	defer srv.Stop(ctx)

	c, err := client.Dial(client.Options{HostPort: srv.HostPort(), Namespace: "default"})
	require.NoError(t, err)
	defer c.Close()
	w := worker.New(c, "q", worker.Options{})
	w.RegisterWorkflow(echo)
	require.NoError(t, w.Start())
	defer w.Stop()

	run, err := c.ExecuteWorkflow(ctx, client.StartWorkflowOptions{TaskQueue: "q"}, echo, "xin chào")
	require.NoError(t, err)
	var out string
	require.NoError(t, run.Get(ctx, &out))
	require.Equal(t, "echo xin chào", out)

	// The server's own metrics land in the registry Cascade serves.
	families, err := reg.Gather()
	require.NoError(t, err)
	names := map[string]bool{}
	for _, f := range families {
		names[f.GetName()] = true
	}
	require.True(t, names["temporal_server_service_requests_total"], "no server request counter among %d families", len(families))
	require.True(t, names["temporal_server_persistence_requests_total"], "no persistence counter")
}

// Retention is applied at every start, also to an existing namespace; a
// different shard count is refused with the one the database holds.
func TestEmbeddedServer_RetentionFollowsTheSettingAndShardsCannotChange(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	url := ownDatabase(t) // the package's holds a server of 4 shards already
	retention := func(srv *embedded.Server) time.Duration {
		nc, err := client.NewNamespaceClient(client.Options{HostPort: srv.HostPort()})
		require.NoError(t, err)
		defer nc.Close()
		d, err := nc.Describe(ctx, "default")
		require.NoError(t, err)
		return d.GetConfig().GetWorkflowExecutionRetentionTtl().AsDuration()
	}

	srv, err := embedded.Start(ctx, embedded.Config{DatabaseURL: url, Namespace: "default", HistoryShards: 2})
	require.NoError(t, err)
	require.Equal(t, 30*24*time.Hour, retention(srv))
	require.NoError(t, srv.Stop(ctx))

	_, err = embedded.Start(ctx, embedded.Config{DatabaseURL: url, Namespace: "default", HistoryShards: 4})
	require.ErrorContains(t, err, "created with 2 shards")

	srv, err = embedded.Start(ctx, embedded.Config{DatabaseURL: url, Namespace: "default", HistoryShards: 2, Retention: 90 * 24 * time.Hour})
	require.NoError(t, err)
	defer srv.Stop(ctx)
	require.Equal(t, 90*24*time.Hour, retention(srv))
}

// ownDatabase creates a database of the test's own, dropped (with the
// server's two) when it ends.
func ownDatabase(t *testing.T) string {
	t.Helper()
	name := "cascade_test_embedded_own_" + storetest.Unique()
	u, err := url.Parse(storetest.BaseURL())
	require.NoError(t, err)
	base := u.String()
	u.Path = "/" + name
	db, err := store.Open(context.Background(), u.String(), 2) // creates it
	require.NoError(t, err)
	db.Close()
	t.Cleanup(func() {
		admin, err := sql.Open("postgres", base)
		require.NoError(t, err)
		defer admin.Close()
		for _, n := range []string{name, name + "_temporal", name + "_temporal_visibility"} {
			_, err := admin.Exec(`DROP DATABASE IF EXISTS ` + n + ` WITH (FORCE)`)
			require.NoError(t, err)
		}
	})
	return u.String()
}

func TestEmbeddedServer_RefusesAPortWhoseMembershipPortsOverflow(t *testing.T) {
	_, err := embedded.Start(context.Background(), embedded.Config{DatabaseURL: "postgres://x@127.0.0.1/none", Namespace: "default", Port: 32761})
	require.ErrorContains(t, err, "at most 32760")
}
