package worker_test

import (
	"context"
	"os"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/workflow"

	"cascade/activities"
	"cascade/embedded"
	"cascade/store/storetest"
	"cascade/worker"
)

func TestMain(m *testing.M) { os.Exit(storetest.Main(m)) }

// TestStop_LetsARunningActivityFinish stops a worker (as SIGTERM does) while
// one of its activities is half-way through a three-second job: the
// activity completes, its result is recorded, and it is not run again.
// Without a stop timeout the SDK cancels running activities at once, so the
// job was cut off and retried by the next worker.
func TestStop_LetsARunningActivityFinish(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	srv, err := embedded.Start(ctx, embedded.Config{DatabaseURL: storetest.URL(t), Namespace: "default"})
	require.NoError(t, err)
	defer srv.Stop(ctx)
	c, err := client.Dial(client.Options{HostPort: srv.HostPort(), Namespace: "default"})
	require.NoError(t, err)
	defer c.Close()

	var began, finished, cut atomic.Int32
	job := func(ctx context.Context) (string, error) {
		began.Add(1)
		select {
		case <-time.After(3 * time.Second):
			finished.Add(1)
			return "done", nil
		case <-ctx.Done():
			cut.Add(1)
			return "", ctx.Err()
		}
	}
	flow := func(ctx workflow.Context) (string, error) {
		ctx = workflow.WithActivityOptions(ctx, workflow.ActivityOptions{StartToCloseTimeout: time.Minute})
		var out string
		err := workflow.ExecuteActivity(ctx, "job").Get(ctx, &out)
		return out, err
	}
	w := worker.New(c, "stop-test", &activities.Activities{}, 10*time.Second)
	w.RegisterActivityWithOptions(job, activity.RegisterOptions{Name: "job"})
	w.RegisterWorkflowWithOptions(flow, workflow.RegisterOptions{Name: "stop-test"})
	require.NoError(t, w.Start())

	run, err := c.ExecuteWorkflow(ctx, client.StartWorkflowOptions{TaskQueue: "stop-test"}, "stop-test")
	require.NoError(t, err)
	require.Eventually(t, func() bool { return began.Load() == 1 }, time.Minute, 20*time.Millisecond)
	time.Sleep(time.Second)
	w.Stop()
	require.Equal(t, int32(1), finished.Load(), "the activity ran to its end")
	require.Zero(t, cut.Load())

	// A new worker completes the workflow with the recorded result; the
	// job is not run again.
	w2 := worker.New(c, "stop-test", &activities.Activities{}, 0)
	w2.RegisterActivityWithOptions(job, activity.RegisterOptions{Name: "job"})
	w2.RegisterWorkflowWithOptions(flow, workflow.RegisterOptions{Name: "stop-test"})
	require.NoError(t, w2.Start())
	defer w2.Stop()
	var out string
	require.NoError(t, run.Get(ctx, &out))
	require.Equal(t, "done", out)
	require.Equal(t, int32(1), began.Load(), "run once")
	d, err := c.DescribeWorkflowExecution(ctx, run.GetID(), "")
	require.NoError(t, err)
	require.Equal(t, enumspb.WORKFLOW_EXECUTION_STATUS_COMPLETED, d.GetWorkflowExecutionInfo().GetStatus())
}
