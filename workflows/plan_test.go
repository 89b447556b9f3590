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

// startedChild is a UnitReport child as the plan started it.
type startedChild struct {
	WorkflowID string
	Input      workflows.UnitReportInput
	At         time.Time
}

func TestPlanWorkflow_OpensEachCycleAndContinuesAsNew(t *testing.T) {
	env := newEnv(t)
	env.SetStartTime(at(t, "2026-06-08 09:00"))
	env.RegisterWorkflow(workflows.PlanWorkflow)
	env.RegisterWorkflow(workflows.UnitReport)
	env.OnActivity(a.LoadPlan, mock.Anything, planID).Return(twoCycles("issued"), nil).Once()

	var mu sync.Mutex
	var children []startedChild
	env.OnWorkflow(workflows.UnitReport, mock.Anything, mock.Anything).Return(
		func(ctx workflow.Context, in workflows.UnitReportInput) (*workflows.UnitReportResult, error) {
			mu.Lock()
			defer mu.Unlock()
			children = append(children, startedChild{
				WorkflowID: workflow.GetInfo(ctx).WorkflowExecution.ID, Input: in, At: workflow.Now(ctx).In(ict),
			})
			return &workflows.UnitReportResult{ReportID: in.UnitID * 10, Status: "submitted"}, nil
		}).Times(2)

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
	require.ElementsMatch(t, []startedChild{
		{WorkflowID: workflows.UnitReportID(planID, 31, 7), At: opens, Input: workflows.UnitReportInput{
			PlanID: planID, CycleID: 31, UnitID: 7, DueOn: "2026-12-15", Title: "Báo cáo năm 2026"}},
		{WorkflowID: workflows.UnitReportID(planID, 31, 8), At: opens, Input: workflows.UnitReportInput{
			PlanID: planID, CycleID: 31, UnitID: 8, DueOn: "2026-12-15", Title: "Báo cáo năm 2026"}},
	}, children)
	env.AssertExpectations(t)
}

func TestPlanWorkflow_CycleAlreadyOpenStartsChildrenAtOnce(t *testing.T) {
	// Continued as new into the 2027 cycle on 20/11/2027, less than 30 days
	// before it is due: the children start without waiting.
	start := at(t, "2027-11-20 10:00")
	env := newEnv(t)
	env.SetStartTime(start)
	env.RegisterWorkflow(workflows.PlanWorkflow)
	env.RegisterWorkflow(workflows.UnitReport)
	env.OnActivity(a.LoadPlan, mock.Anything, planID).Return(twoCycles("issued"), nil).Once()
	var mu sync.Mutex
	var ids []string
	var starts []time.Time
	env.OnWorkflow(workflows.UnitReport, mock.Anything, mock.Anything).Return(
		func(ctx workflow.Context, in workflows.UnitReportInput) (*workflows.UnitReportResult, error) {
			mu.Lock()
			defer mu.Unlock()
			ids = append(ids, workflow.GetInfo(ctx).WorkflowExecution.ID)
			starts = append(starts, workflow.Now(ctx).In(ict))
			return &workflows.UnitReportResult{Status: "submitted"}, nil
		}).Times(2)

	env.ExecuteWorkflow(workflows.PlanWorkflow, workflows.PlanInput{PlanID: planID, CycleIndex: 1})

	var can *workflow.ContinueAsNewError
	require.True(t, errors.As(env.GetWorkflowError(), &can))
	var next workflows.PlanInput
	require.NoError(t, converter.GetDefaultDataConverter().FromPayloads(can.Input, &next))
	require.Equal(t, 2, next.CycleIndex)
	require.ElementsMatch(t, []string{"plan/42/cycle/32/unit/7", "plan/42/cycle/32/unit/8"}, ids)
	require.Equal(t, []time.Time{start, start}, starts)
}

func TestPlanWorkflow_ClosesAfterTheLastCycle(t *testing.T) {
	env := newEnv(t)
	env.SetStartTime(at(t, "2028-01-05 09:00"))
	env.RegisterWorkflow(workflows.PlanWorkflow)
	env.RegisterWorkflow(workflows.UnitReport)
	env.OnActivity(a.LoadPlan, mock.Anything, planID).Return(twoCycles("issued"), nil).Once()
	env.OnActivity(a.ClosePlan, mock.Anything, planID).Return(nil).Once()

	env.ExecuteWorkflow(workflows.PlanWorkflow, workflows.PlanInput{PlanID: planID, CycleIndex: 2})

	require.True(t, env.IsWorkflowCompleted())
	require.NoError(t, env.GetWorkflowError())
	var res workflows.PlanResult
	require.NoError(t, env.GetWorkflowResult(&res))
	require.Equal(t, workflows.PlanResult{Status: "closed"}, res)
	env.AssertExpectations(t)
	env.AssertNotCalled(t, "UnitReport", mock.Anything, mock.Anything)
}

func TestPlanWorkflow_PlanNotIssuedStopsWithoutChildren(t *testing.T) {
	for _, status := range []string{"draft", "cancelled", "closed"} {
		t.Run(status, func(t *testing.T) {
			env := newEnv(t)
			env.SetStartTime(at(t, "2026-06-08 09:00"))
			env.RegisterWorkflow(workflows.PlanWorkflow)
			env.RegisterWorkflow(workflows.UnitReport)
			env.OnActivity(a.LoadPlan, mock.Anything, planID).Return(twoCycles(status), nil).Once()
			started := 0
			env.OnWorkflow(workflows.UnitReport, mock.Anything, mock.Anything).Return(
				func(workflow.Context, workflows.UnitReportInput) (*workflows.UnitReportResult, error) {
					started++
					return nil, nil
				}).Maybe()
			env.OnActivity(a.ClosePlan, mock.Anything, mock.Anything).Return(nil).Maybe()

			env.ExecuteWorkflow(workflows.PlanWorkflow, workflows.PlanInput{PlanID: planID})

			require.NoError(t, env.GetWorkflowError())
			var res workflows.PlanResult
			require.NoError(t, env.GetWorkflowResult(&res))
			require.Equal(t, workflows.PlanResult{Status: status}, res)
			require.Zero(t, started)
			env.AssertNotCalled(t, "ClosePlan", mock.Anything, mock.Anything)
			require.Equal(t, at(t, "2026-06-08 09:00"), env.Now().In(ict), "no timer was started")
		})
	}
}

func TestPlanWorkflow_RunsRealUnitReportChildrenToCompletion(t *testing.T) {
	// The children are the real UnitReport with mocked activities: each
	// opens its report when the cycle opens and completes when its unit
	// submits; then the plan continues as new.
	env := newEnv(t)
	env.SetStartTime(at(t, "2026-11-01 09:00"))
	env.RegisterWorkflow(workflows.PlanWorkflow)
	env.RegisterWorkflow(workflows.UnitReport)
	env.OnActivity(a.LoadPlan, mock.Anything, planID).Return(twoCycles("issued"), nil).Once()
	var mu sync.Mutex
	var opened []activities.OpenUnitReportInput
	env.OnActivity(a.OpenUnitReport, mock.Anything, mock.Anything).Return(
		func(_ context.Context, in activities.OpenUnitReportInput) (*activities.OpenedReport, error) {
			mu.Lock()
			defer mu.Unlock()
			opened = append(opened, in)
			return &activities.OpenedReport{ReportID: in.UnitID * 10, Status: "pending"}, nil
		}).Times(2)
	env.OnActivity(a.Notify, mock.Anything, mock.Anything).Return(&activities.NotifyResult{}, nil).Maybe()
	env.OnActivity(a.RecordSubmission, mock.Anything, mock.Anything).Return(&activities.RecordedSubmission{Status: "submitted"}, nil).Times(2)
	submitted := map[string]bool{}
	for _, unit := range []int64{7, 8} {
		id := workflows.UnitReportID(planID, 31, unit)
		env.RegisterDelayedCallback(func() {
			err := env.UpdateWorkflowByID(id, workflows.UpdateSubmitReport, "submit-"+id, &testsuite.TestUpdateCallback{
				OnAccept: func() {}, OnReject: func(err error) { t.Errorf("%s rejected: %v", id, err) },
				OnComplete: func(_ any, err error) { submitted[id] = err == nil },
			}, validRequest())
			require.NoError(t, err)
		}, time.Duration(unit)*24*time.Hour+20*24*time.Hour)
	}

	env.ExecuteWorkflow(workflows.PlanWorkflow, workflows.PlanInput{PlanID: planID})

	require.True(t, workflow.IsContinueAsNewError(env.GetWorkflowError()), "got %v", env.GetWorkflowError())
	require.Equal(t, map[string]bool{"plan/42/cycle/31/unit/7": true, "plan/42/cycle/31/unit/8": true}, submitted)
	require.Len(t, opened, 2)
	for _, in := range opened {
		require.Equal(t, "2026-12-15", in.DueOn)
		require.Equal(t, workflows.UnitReportID(planID, 31, in.UnitID), in.WorkflowID)
	}
	env.AssertExpectations(t)
}
