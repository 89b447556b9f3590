package workflows_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/mock"
	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/testsuite"
	"go.temporal.io/sdk/workflow"

	"cascade/activities"
	"cascade/workflows"
)

// twoCycles is a plan with two district units and two annual cycles.
func twoCycles(status string) *activities.PlanSpec {
	return &activities.PlanSpec{
		Status:  status,
		UnitIDs: []int64{7, 8},
		Cycles: []activities.CycleSpec{
			{ID: 31, Kind: "annual", Year: 2026, DueOn: "2026-12-15", Title: "Báo cáo năm 2026"},
			{ID: 32, Kind: "annual", Year: 2027, DueOn: "2027-12-15", Title: "Báo cáo năm 2027"},
		},
	}
}

// startedReport is a UnitReport workflow as the plan started it.
type startedReport struct {
	WorkflowID string
	Input      workflows.UnitReportInput
	At         time.Time
}

// captureStarts mocks StartUnitReports as it reads the database, with
// spec's units in their order standing for the plan's, and records what
// each batch started, and when.
func captureStarts(t *testing.T, env *testsuite.TestWorkflowEnvironment, spec *activities.PlanSpec) *[]startedReport {
	t.Helper()
	var mu sync.Mutex
	var got []startedReport
	env.OnActivity(a.StartUnitReports, mock.Anything, mock.Anything).Return(
		func(ctx context.Context, in activities.StartUnitReportsInput) (*activities.StartedWorkflows, error) {
			mu.Lock()
			defer mu.Unlock()
			batch := reportsOf(t, spec, in)
			for i := range batch {
				batch[i].At = env.Now().In(ict)
			}
			got = append(got, batch...)
			return &activities.StartedWorkflows{Started: len(batch)}, nil
		})
	return &got
}

// reportsOf is what StartUnitReports starts for in when spec's units stand
// for the plan's.
func reportsOf(t *testing.T, spec *activities.PlanSpec, in activities.StartUnitReportsInput) []startedReport {
	t.Helper()
	require.Equal(t, planID, in.PlanID)
	require.Equal(t, workflows.StartBatchSize, in.Count)
	var cycle *activities.CycleSpec
	for i := range spec.Cycles {
		if spec.Cycles[i].ID == in.CycleID {
			cycle = &spec.Cycles[i]
		}
	}
	require.NotNil(t, cycle, "cycle %d", in.CycleID)
	var out []startedReport
	for _, unitID := range spec.UnitIDs[min(in.Offset, len(spec.UnitIDs)):min(in.Offset+in.Count, len(spec.UnitIDs))] {
		out = append(out, startedReport{WorkflowID: workflows.UnitReportID(planID, cycle.ID, unitID), Input: workflows.UnitReportInput{
			PlanID: planID, CycleID: cycle.ID, UnitID: unitID, DueOn: cycle.DueOn, Title: cycle.Title, Policy: spec.Policy}})
	}
	return out
}

func TestPlanWorkflow_OpensEachCycleAndContinuesAsNew(t *testing.T) {
	env := newEnv(t)
	env.SetStartTime(at(t, "2026-06-08 09:00"))
	env.RegisterWorkflow(workflows.PlanWorkflow)
	noPlanTasks(env)
	spec := twoCycles("issued")
	env.OnActivity(a.LoadPlan, mock.Anything, planID).Return(spec, nil).Once()
	started := captureStarts(t, env, spec)

	env.ExecuteWorkflow(workflows.PlanWorkflow, workflows.PlanInput{PlanID: planID})

	require.True(t, env.IsWorkflowCompleted())
	err := env.GetWorkflowError()
	require.True(t, workflow.IsContinueAsNewError(err), "want continue-as-new, got %v", err)
	var can *workflow.ContinueAsNewError
	require.True(t, errors.As(err, &can))
	require.Equal(t, "PlanWorkflow", can.WorkflowType.Name)
	var next workflows.PlanInput
	require.NoError(t, converter.GetDefaultDataConverter().FromPayloads(can.Input, &next))
	require.Equal(t, workflows.PlanInput{PlanID: planID, CycleIndex: 1}, next)

	// The 2026 cycle is due on 15/12: it opens 30 days before the end of
	// that day in Vietnam, at midnight starting 16/11.
	opens := at(t, "2026-11-16 00:00")
	require.Equal(t, opens, at(t, "2026-12-16 00:00").Add(-workflows.CycleOpensBefore))
	require.ElementsMatch(t, []startedReport{
		{WorkflowID: workflows.UnitReportID(planID, 31, 7), At: opens, Input: workflows.UnitReportInput{
			PlanID: planID, CycleID: 31, UnitID: 7, DueOn: "2026-12-15", Title: "Báo cáo năm 2026"}},
		{WorkflowID: workflows.UnitReportID(planID, 31, 8), At: opens, Input: workflows.UnitReportInput{
			PlanID: planID, CycleID: 31, UnitID: 8, DueOn: "2026-12-15", Title: "Báo cáo năm 2026"}},
	}, *started)
	env.AssertExpectations(t)
}

// A plan recorded before the fan-out window (its run passed the fan-out
// without the fanout-window marker) still starts its reports from the
// inputs in its history, every batch at once.
func TestPlanWorkflow_FansOutInBatchesAsBeforeTheWindow(t *testing.T) {
	env := newEnv(t)
	env.SetStartTime(at(t, "2026-12-01 09:00"))
	env.RegisterWorkflow(workflows.PlanWorkflow)
	noPlanTasks(env)
	env.OnGetVersion("fanout-window", workflow.DefaultVersion, 1).Return(workflow.DefaultVersion)
	spec := twoCycles("issued")
	spec.UnitIDs = nil
	for id := int64(1); id <= 1234; id++ {
		spec.UnitIDs = append(spec.UnitIDs, id)
	}
	env.OnActivity(a.LoadPlan, mock.Anything, planID).Return(spec, nil).Once()
	batches := 0
	env.OnActivity(a.StartWorkflows, mock.Anything, mock.Anything).Return(
		func(ctx context.Context, in activities.StartWorkflowsInput) (*activities.StartedWorkflows, error) {
			batches++
			require.LessOrEqual(t, len(in.Starts), workflows.StartBatchSize)
			return &activities.StartedWorkflows{Started: len(in.Starts)}, nil
		})
	env.ExecuteWorkflow(workflows.PlanWorkflow, workflows.PlanInput{PlanID: planID})
	require.True(t, workflow.IsContinueAsNewError(env.GetWorkflowError()))
	require.Equal(t, 3, batches, "1,234 units in batches of 500")
}

func TestPlanWorkflow_CycleAlreadyOpenStartsReportsAtOnce(t *testing.T) {
	// Continued as new into the 2027 cycle on 20/11/2027, less than 30 days
	// before it is due: the reports start without waiting.
	start := at(t, "2027-11-20 10:00")
	env := newEnv(t)
	env.SetStartTime(start)
	env.RegisterWorkflow(workflows.PlanWorkflow)
	noPlanTasks(env)
	spec := twoCycles("issued")
	env.OnActivity(a.LoadPlan, mock.Anything, planID).Return(spec, nil).Once()
	started := captureStarts(t, env, spec)

	env.ExecuteWorkflow(workflows.PlanWorkflow, workflows.PlanInput{PlanID: planID, CycleIndex: 1})

	var can *workflow.ContinueAsNewError
	require.True(t, errors.As(env.GetWorkflowError(), &can))
	var next workflows.PlanInput
	require.NoError(t, converter.GetDefaultDataConverter().FromPayloads(can.Input, &next))
	require.Equal(t, 2, next.CycleIndex)
	var ids []string
	for _, s := range *started {
		ids = append(ids, s.WorkflowID)
		require.Equal(t, start, s.At)
	}
	require.ElementsMatch(t, []string{"plan/42/cycle/32/unit/7", "plan/42/cycle/32/unit/8"}, ids)
}

func TestPlanWorkflow_ClosesAfterTheLastCycle(t *testing.T) {
	env := newEnv(t)
	env.SetStartTime(at(t, "2028-01-05 09:00"))
	env.RegisterWorkflow(workflows.PlanWorkflow)
	noPlanTasks(env)
	env.RegisterWorkflow(workflows.UnitReport)
	env.OnActivity(a.LoadPlan, mock.Anything, planID).Return(twoCycles("issued"), nil).Once()
	var steps []string
	var closedAt time.Time
	env.OnActivity(a.ClosePlan, mock.Anything, planID).Return(func(context.Context, int64) error {
		steps, closedAt = append(steps, "ClosePlan"), env.Now().In(ict)
		return nil
	}).Once()
	env.OnActivity(a.ClosePlanTasks, mock.Anything, planID).Return(func(context.Context, int64) error {
		steps = append(steps, "ClosePlanTasks")
		return nil
	}).Once()
	env.OnActivity(a.EndPlanWorkflows, mock.Anything, planID).Return(func(context.Context, int64) (*activities.EndedWorkflows, error) {
		steps = append(steps, "EndPlanWorkflows")
		return &activities.EndedWorkflows{Cancelled: 3, Finished: 1}, nil
	}).Once()

	env.ExecuteWorkflow(workflows.PlanWorkflow, workflows.PlanInput{PlanID: planID, CycleIndex: 2})

	require.True(t, env.IsWorkflowCompleted())
	require.NoError(t, env.GetWorkflowError())
	var res workflows.PlanResult
	require.NoError(t, env.GetWorkflowResult(&res))
	require.Equal(t, workflows.PlanResult{Status: "closed"}, res)
	// The last report was due 15/12/2027: the plan closes 30 days after the
	// end of that day, then ends its open tasks and every unit workflow.
	require.Equal(t, at(t, "2028-01-15 00:00"), closedAt)
	require.Equal(t, []string{"ClosePlan", "ClosePlanTasks", "EndPlanWorkflows"}, steps)
	env.AssertExpectations(t)
	env.AssertNotCalled(t, "UnitReport", mock.Anything, mock.Anything)
}

func TestPlanWorkflow_ClosingRetriesEndingTheUnitWorkflowsUntilDone(t *testing.T) {
	env := newEnv(t)
	env.SetStartTime(at(t, "2028-02-01 09:00"))
	env.RegisterWorkflow(workflows.PlanWorkflow)
	noPlanTasks(env)
	env.OnActivity(a.LoadPlan, mock.Anything, planID).Return(twoCycles("issued"), nil).Once()
	env.OnActivity(a.ClosePlan, mock.Anything, planID).Return(nil).Once()
	env.OnActivity(a.ClosePlanTasks, mock.Anything, planID).Return(nil).Once()
	attempts := 0
	env.OnActivity(a.EndPlanWorkflows, mock.Anything, planID).Return(func(context.Context, int64) (*activities.EndedWorkflows, error) {
		attempts++
		if attempts < 3 {
			return nil, errors.New("cancel plan/42/cycle/31/unit/7: unavailable")
		}
		return &activities.EndedWorkflows{Cancelled: 2}, nil
	})

	env.ExecuteWorkflow(workflows.PlanWorkflow, workflows.PlanInput{PlanID: planID, CycleIndex: 2})

	require.NoError(t, env.GetWorkflowError())
	require.Equal(t, 3, attempts)
}

// A plan whose last run reached its close before closing ended its unit
// workflows (a history recorded then) closes as it did: nothing more.
func TestPlanWorkflow_ClosingAsBeforeTheChangeEndsNothingElse(t *testing.T) {
	env := newEnv(t)
	env.SetStartTime(at(t, "2028-02-01 09:00"))
	env.RegisterWorkflow(workflows.PlanWorkflow)
	noPlanTasks(env)
	env.OnGetVersion("close-ends-unit-workflows", workflow.DefaultVersion, 1).Return(workflow.DefaultVersion)
	env.OnActivity(a.LoadPlan, mock.Anything, planID).Return(twoCycles("issued"), nil).Once()
	env.OnActivity(a.ClosePlan, mock.Anything, planID).Return(nil).Once()

	env.ExecuteWorkflow(workflows.PlanWorkflow, workflows.PlanInput{PlanID: planID, CycleIndex: 2})

	require.NoError(t, env.GetWorkflowError())
	env.AssertExpectations(t)
	env.AssertNotCalled(t, "ClosePlanTasks", mock.Anything, mock.Anything)
	env.AssertNotCalled(t, "EndPlanWorkflows", mock.Anything, mock.Anything)
}

func TestPlanWorkflow_PlanNotIssuedStartsNoReports(t *testing.T) {
	for _, status := range []string{"draft", "cancelled", "closed"} {
		t.Run(status, func(t *testing.T) {
			env := newEnv(t)
			env.SetStartTime(at(t, "2026-06-08 09:00"))
			env.RegisterWorkflow(workflows.PlanWorkflow)
			noPlanTasks(env)
			spec := twoCycles(status)
			env.OnActivity(a.LoadPlan, mock.Anything, planID).Return(spec, nil).Once()
			started := captureStarts(t, env, spec)
			env.OnActivity(a.ClosePlan, mock.Anything, mock.Anything).Return(nil).Maybe()

			env.ExecuteWorkflow(workflows.PlanWorkflow, workflows.PlanInput{PlanID: planID})

			require.Empty(t, *started)
			if status == "draft" {
				// Never started before its issue committed: a draft is
				// an error to see, not a lifecycle that ended.
				require.ErrorContains(t, env.GetWorkflowError(), "draft")
				return
			}
			require.NoError(t, env.GetWorkflowError())
			var res workflows.PlanResult
			require.NoError(t, env.GetWorkflowResult(&res))
			require.Equal(t, workflows.PlanResult{Status: status}, res)
			env.AssertNotCalled(t, "ClosePlan", mock.Anything, mock.Anything)
			require.Equal(t, at(t, "2026-06-08 09:00"), env.Now().In(ict), "no timer was started")
		})
	}
}

// noPlanTasks answers that the plan has no task workflows to dispatch.
func noPlanTasks(env *testsuite.TestWorkflowEnvironment) {
	env.OnActivity(a.CountPlanTasks, mock.Anything, mock.Anything).Return(&activities.PlanTaskCount{}, nil).Maybe()
}

func TestPlanWorkflow_DispatchesItsTasksInBatchesOnItsFirstRunOnly(t *testing.T) {
	for _, cycle := range []int{0, 1} {
		env := newEnv(t)
		env.SetStartTime(at(t, "2026-06-08 09:00"))
		env.RegisterWorkflow(workflows.PlanWorkflow)
		env.OnActivity(a.LoadPlan, mock.Anything, planID).Return(twoCycles("issued"), nil).Once()
		env.OnActivity(a.StartUnitReports, mock.Anything, mock.Anything).Return(&activities.StartedWorkflows{}, nil)
		env.OnActivity(a.CountPlanTasks, mock.Anything, planID).Return(&activities.PlanTaskCount{Tasks: 1234}, nil).Maybe()
		var mu sync.Mutex
		var offsets []int
		var at []time.Time
		env.OnActivity(a.DispatchPlanTasks, mock.Anything, mock.Anything).Return(
			func(_ context.Context, in activities.DispatchPlanTasksInput) (*activities.StartedWorkflows, error) {
				mu.Lock()
				defer mu.Unlock()
				require.Equal(t, planID, in.PlanID)
				require.Equal(t, workflows.StartBatchSize, in.BatchSize)
				offsets = append(offsets, in.Offset)
				at = append(at, env.Now())
				return &activities.StartedWorkflows{Started: in.BatchSize}, nil
			}).Maybe()

		env.ExecuteWorkflow(workflows.PlanWorkflow, workflows.PlanInput{PlanID: planID, CycleIndex: cycle})

		require.True(t, workflow.IsContinueAsNewError(env.GetWorkflowError()))
		if cycle > 0 {
			require.Empty(t, offsets, "a later run dispatches nothing again")
			continue
		}
		require.ElementsMatch(t, []int{0, 500, 1000}, offsets, "1,234 tasks in batches of 500")
		for _, when := range at {
			require.True(t, when.Equal(at[0]) && when.Before(time.Date(2026, 6, 9, 0, 0, 0, 0, time.UTC)), "dispatched when the plan is issued")
		}
	}
}
