package workflows_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	enumspb "go.temporal.io/api/enums/v1"
	historypb "go.temporal.io/api/history/v1"
	"go.temporal.io/sdk/client"
	sdkworker "go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"

	"cascade/activities"
	"cascade/worker"
	"cascade/workflows"
)

// histories lists the recorded histories; there must be some.
func histories(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", "*.json"))
	require.NoError(t, err)
	require.NotEmpty(t, files, "no recorded histories in workflows/testdata: run go test ./workflows/ -run TestRecordHistories -record -count=1")
	return files
}

// recordedHistories are the histories in testdata, each kept on purpose: the
// latest recorded run of each workflow (and of each of its stages), and the
// runs of older versions that executions may still be in. A history deleted
// or left out of this list fails the replay test.
var recordedHistories = []string{
	"EndPlan.json",
	"ImportDocument.json",
	"PlanReminder.json",
	"PlanReminder_v0_one_activity.json",
	"PlanWorkflow.json",
	"PlanWorkflow_close.json",
	"PlanWorkflow_review.json",
	"PlanWorkflow_v0_cycles_wait_for_children.json",
	"PlanWorkflow_v1_children_abandoned.json",
	"PlanWorkflow_v2_batched_starts.json",
	"PlanWorkflow_v3_dispatch_tasks.json",
	"PlanWorkflow_v4_reviews_batches_at_once.json",
	"SendEmail.json",
	"TaskWorkflow.json",
	"TaskWorkflow_plan_task_waiting.json",
	"TaskWorkflow_unit_plan_waiting.json",
	"TaskWorkflow_plan_task_waiting_v0_ladder_once.json",
	"TaskWorkflow_unit_plan_waiting_v0_ladder_once.json",
	"TaskWorkflow_v0_mail_in_handler.json",
	"TaskWorkflow_recurring_continued.json",
	"TaskWorkflow_updates_in_turn.json",
	"UnitReport.json",
	"UnitReport_v0_no_review.json",
	"UnitReport_v1_review_statutory_calendar.json",
	"UnitReport_v2_opened_by_activities.json",
	"UnitReport_waiting.json",
	"UnitReport_waiting_v0_no_review.json",
	"UnitReport_waiting_v2_opened_by_activities.json",
	"UnitReport_v3_ladder_once.json",
	"UnitReport_waiting_v3_ladder_once.json",
	"UnitReport_waived.json",
	"UnitReport_deadline_moved.json",
	"UnitReport_updates_in_turn.json",
}

// TestReplay_TwoUpdatesInOneWorkflowTask checks that the histories recorded
// for handlers taking turns hold what they are kept for: two updates
// accepted in one workflow task, both completed, the second refused by its
// handler (a failure, not a rejection), and the change's version marker.
func TestReplay_TwoUpdatesInOneWorkflowTask(t *testing.T) {
	for _, name := range []string{"UnitReport_updates_in_turn.json", "TaskWorkflow_updates_in_turn.json"} {
		t.Run(strings.TrimSuffix(name, ".json"), func(t *testing.T) {
			h := readHistory(t, name)
			require.GreaterOrEqual(t, mostUpdatesInOneTask(h), 2, "two updates accepted in one workflow task")
			var completed, failed int
			marker := false
			for _, e := range h.Events {
				if c := e.GetWorkflowExecutionUpdateCompletedEventAttributes(); c != nil {
					completed++
					if c.GetOutcome().GetFailure() != nil {
						failed++
					}
				}
				if m := e.GetMarkerRecordedEventAttributes(); m != nil && strings.Contains(m.GetDetails()["change-id"].String(), "handlers-in-turn") {
					marker = true
				}
			}
			require.GreaterOrEqual(t, completed, 2)
			require.Equal(t, 1, failed, "the second of the pair is refused for the state the first left")
			require.True(t, marker, "the handlers-in-turn version marker")

			replayer := sdkworker.NewWorkflowReplayer()
			worker.RegisterWorkflows(replayer)
			require.NoError(t, replayer.ReplayWorkflowHistory(testLogger(t), h))
		})
	}
}

// readHistory reads a recorded history from testdata.
func readHistory(t *testing.T, name string) *historypb.History {
	t.Helper()
	h, err := client.HistoryFromJSON(mustOpen(t, filepath.Join("testdata", name)), client.HistoryJSONOptions{})
	require.NoError(t, err)
	return h
}

func mustOpen(t *testing.T, path string) *os.File {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	t.Cleanup(func() { f.Close() })
	return f
}

// mostUpdatesInOneTask is the largest number of updates a workflow task of
// h accepted: the updates accepted after one WorkflowTaskCompleted and
// before the next.
func mostUpdatesInOneTask(h *historypb.History) int {
	most, n := 0, 0
	for _, e := range h.Events {
		switch e.GetEventType() {
		case enumspb.EVENT_TYPE_WORKFLOW_TASK_COMPLETED:
			n = 0
		case enumspb.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED:
			n++
			most = max(most, n)
		}
	}
	return most
}

// TestReplay_RecordedHistoriesReplayOnTheCurrentWorkflows fails when a
// change to a workflow is not compatible with the executions already
// running: guard such a change with workflow.GetVersion.
func TestReplay_RecordedHistoriesReplayOnTheCurrentWorkflows(t *testing.T) {
	files := histories(t)
	for _, want := range recordedHistories {
		require.FileExists(t, filepath.Join("testdata", want))
	}
	replayer := sdkworker.NewWorkflowReplayer()
	worker.RegisterWorkflows(replayer)
	for _, f := range files {
		t.Run(strings.TrimSuffix(filepath.Base(f), ".json"), func(t *testing.T) {
			require.NoError(t, replayer.ReplayWorkflowHistoryFromJSONFile(testLogger(t), f))
		})
	}
}

// TestReplay_EveryHistoryIsListedAndEveryWorkflowHasOne keeps the list of
// recorded histories whole: a new history in testdata is listed, and every
// workflow the worker registers has at least one recorded history.
func TestReplay_EveryHistoryIsListedAndEveryWorkflowHasOne(t *testing.T) {
	recorded := map[string]bool{}
	for _, f := range histories(t) {
		name := filepath.Base(f)
		require.Contains(t, recordedHistories, name, "list %s in recordedHistories", name)
		raw, err := os.ReadFile(f)
		require.NoError(t, err)
		var h struct {
			Events []struct {
				Attributes struct {
					WorkflowType struct{ Name string } `json:"workflowType"`
				} `json:"workflowExecutionStartedEventAttributes"`
			} `json:"events"`
		}
		require.NoError(t, json.Unmarshal(raw, &h), name)
		require.NotEmpty(t, h.Events, name)
		recorded[h.Events[0].Attributes.WorkflowType.Name] = true
	}
	var registered workflowNames
	worker.RegisterWorkflows(&registered)
	require.NotEmpty(t, registered)
	for _, name := range registered {
		require.True(t, recorded[name], "workflow %s is registered but has no recorded history in testdata: record one (record_serve_test.go)", name)
	}
}

// workflowNames is a workflow registry that only notes the names registered.
type workflowNames []string

func (n *workflowNames) RegisterWorkflow(w any) {
	name := runtime.FuncForPC(reflect.ValueOf(w).Pointer()).Name()
	*n = append(*n, name[strings.LastIndex(name, ".")+1:])
}

func (n *workflowNames) RegisterWorkflowWithOptions(w any, o workflow.RegisterOptions) {
	if o.Name != "" {
		*n = append(*n, o.Name)
		return
	}
	n.RegisterWorkflow(w)
}

func (n *workflowNames) RegisterDynamicWorkflow(any, workflow.DynamicRegisterOptions) {}

// TestReplay_DetectsANonDeterministicChange replays the recorded UnitReport
// on a copy whose first step is a different activity: the replayer must
// refuse it, or the replay tests prove nothing.
func TestReplay_DetectsANonDeterministicChange(t *testing.T) {
	histories(t)
	altered := func(ctx workflow.Context, in workflows.UnitReportInput) (*workflows.UnitReportResult, error) {
		ctx = workflow.WithActivityOptions(ctx, workflow.ActivityOptions{StartToCloseTimeout: time.Minute})
		var spec activities.PlanSpec
		if err := workflow.ExecuteActivity(ctx, a.LoadPlan, in.PlanID).Get(ctx, &spec); err != nil {
			return nil, err
		}
		return workflows.UnitReport(ctx, in)
	}
	replayer := sdkworker.NewWorkflowReplayer()
	replayer.RegisterWorkflowWithOptions(altered, workflow.RegisterOptions{Name: "UnitReport"})

	err := replayer.ReplayWorkflowHistoryFromJSONFile(testLogger(t), filepath.Join("testdata", "UnitReport.json"))
	// TMPRL1100 is the SDK's code for a replay that does not match history.
	require.ErrorContains(t, err, "[TMPRL1100]")
}

// TestReplay_DetectsAChangedTimer replays the recorded UnitReport on a copy
// that sleeps before opening the report: a timer where the history has an
// activity.
func TestReplay_DetectsAChangedTimer(t *testing.T) {
	histories(t)
	altered := func(ctx workflow.Context, in workflows.UnitReportInput) (*workflows.UnitReportResult, error) {
		if err := workflow.Sleep(ctx, time.Hour); err != nil {
			return nil, err
		}
		return workflows.UnitReport(ctx, in)
	}
	replayer := sdkworker.NewWorkflowReplayer()
	replayer.RegisterWorkflowWithOptions(altered, workflow.RegisterOptions{Name: "UnitReport"})

	err := replayer.ReplayWorkflowHistoryFromJSONFile(testLogger(t), filepath.Join("testdata", "UnitReport.json"))
	require.ErrorContains(t, err, "[TMPRL1100]")
}
