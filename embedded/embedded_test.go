package embedded_test

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"

	"cascade/embedded"
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
	srv, err := embedded.Start(ctx, embedded.Config{DatabaseURL: storetest.URL(t), Namespace: "default"})
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
}
