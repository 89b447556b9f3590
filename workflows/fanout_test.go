package workflows_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/mock"
	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/testsuite"
	"go.temporal.io/sdk/workflow"

	"cascade/activities"
	"cascade/workflows"
)

// manyUnits is twoCycles with n units.
func manyUnits(n int) *activities.PlanSpec {
	spec := twoCycles("issued")
	spec.UnitIDs = nil
	for id := int64(1); id <= int64(n); id++ {
		spec.UnitIDs = append(spec.UnitIDs, 1000+id)
	}
	return spec
}

// continuedWith is the input a run continued as new with.
func continuedWith(t *testing.T, env *testsuite.TestWorkflowEnvironment) workflows.PlanInput {
	t.Helper()
	var can *workflow.ContinueAsNewError
	require.True(t, errors.As(env.GetWorkflowError(), &can), "want continue-as-new, got %v", env.GetWorkflowError())
	var next workflows.PlanInput
	require.NoError(t, converter.GetDefaultDataConverter().FromPayloads(can.Input, &next))
	return next
}

// A cycle to 5,000 units is ten batches: no more than FanOutWindow run at
// once (before the window all ten were scheduled together and, behind 32
// start slots, timed out together below ~170 starts/s), every unit's
// report starts once, and the plan's history holds offsets, not units.
func TestPlanWorkflow_FanOutRunsABoundedWindowOfBatches(t *testing.T) {
	env := newEnv(t)
	env.SetStartTime(at(t, "2026-12-01 09:00"))
	env.RegisterWorkflow(workflows.PlanWorkflow)
	noPlanTasks(env)
	spec := manyUnits(5000)
	// LoadPlan counts the units; the history never holds them.
	env.OnActivity(a.LoadPlan, mock.Anything, planID).Return(&activities.PlanSpec{Status: "issued", Units: 5000, Cycles: spec.Cycles}, nil).Once()
	var mu sync.Mutex
	running, most := 0, 0
	started := map[string]int{}
	env.OnActivity(a.StartUnitReports, mock.Anything, mock.Anything).After(time.Minute).Return(
		func(ctx context.Context, in activities.StartUnitReportsInput) (*activities.StartedWorkflows, error) {
			mu.Lock()
			defer mu.Unlock()
			for _, r := range reportsOf(t, spec, in) {
				started[r.WorkflowID]++
			}
			return &activities.StartedWorkflows{Started: in.Count}, nil
		})
	env.SetOnActivityStartedListener(func(info *activity.Info, _ context.Context, _ converter.EncodedValues) {
		if info.ActivityType.Name == "StartUnitReports" {
			mu.Lock()
			running++
			most = max(most, running)
			mu.Unlock()
		}
	})
	env.SetOnActivityCompletedListener(func(info *activity.Info, _ converter.EncodedValue, _ error) {
		if info.ActivityType.Name == "StartUnitReports" {
			mu.Lock()
			running--
			mu.Unlock()
		}
	})

	env.ExecuteWorkflow(workflows.PlanWorkflow, workflows.PlanInput{PlanID: planID})

	next := continuedWith(t, env)
	require.Equal(t, workflows.PlanInput{PlanID: planID, CycleIndex: 1}, next)
	require.Equal(t, workflows.FanOutWindow, most, "batches run side by side, never more than the window")
	require.Len(t, started, 5000)
	for id, n := range started {
		require.Equal(t, 1, n, id)
	}
}

// When the server suggests continuing as new in the middle of a fan-out,
// the run lets its batches finish and continues as new from the first
// unit not started; the next run starts the rest. Every unit's report is
// started once over the runs.
func TestPlanWorkflow_FanOutContinuesAsNewWhenSuggestedAndResumes(t *testing.T) {
	spec := manyUnits(1234)
	var mu sync.Mutex // the window's batches run side by side
	started := map[string]int{}
	run := func(in workflows.PlanInput, suggested bool) workflows.PlanInput {
		env := newEnv(t)
		env.SetStartTime(at(t, "2026-12-01 09:00"))
		env.RegisterWorkflow(workflows.PlanWorkflow)
		noPlanTasks(env)
		env.SetContinueAsNewSuggested(suggested)
		env.OnActivity(a.LoadPlan, mock.Anything, planID).Return(&activities.PlanSpec{Status: "issued", Units: 1234, Cycles: spec.Cycles}, nil).Once()
		env.OnActivity(a.StartUnitReports, mock.Anything, mock.Anything).Return(
			func(ctx context.Context, in activities.StartUnitReportsInput) (*activities.StartedWorkflows, error) {
				mu.Lock()
				defer mu.Unlock()
				for _, r := range reportsOf(t, spec, in) {
					started[r.WorkflowID]++
				}
				return &activities.StartedWorkflows{Started: in.Count}, nil
			})
		env.ExecuteWorkflow(workflows.PlanWorkflow, in)
		return continuedWith(t, env)
	}

	next := run(workflows.PlanInput{PlanID: planID}, true)
	require.Equal(t, workflows.PlanInput{PlanID: planID, CycleIndex: 0,
		Resume: &workflows.PlanResume{Stage: workflows.FanOutReports, From: workflows.StartBatchSize}}, next,
		"one batch, then the same cycle again from the next unit")
	require.Len(t, started, workflows.StartBatchSize)

	next = run(next, false)
	require.Equal(t, workflows.PlanInput{PlanID: planID, CycleIndex: 1}, next)
	require.Len(t, started, 1234)
	for id, n := range started {
		require.Equal(t, 1, n, id)
	}
}

// The same for the plan's tasks on its first run: the run continued as new
// in the middle of its tasks dispatches the rest, then the cycle.
func TestPlanWorkflow_TaskDispatchContinuesAsNewWhenSuggestedAndResumes(t *testing.T) {
	spec := twoCycles("issued")
	var mu sync.Mutex // the window's batches run side by side
	dispatched := map[int]int{}
	reports := 0
	run := func(in workflows.PlanInput, suggested bool) workflows.PlanInput {
		env := newEnv(t)
		env.SetStartTime(at(t, "2026-12-01 09:00"))
		env.RegisterWorkflow(workflows.PlanWorkflow)
		env.SetContinueAsNewSuggested(suggested)
		env.OnActivity(a.LoadPlan, mock.Anything, planID).Return(spec, nil).Once()
		env.OnActivity(a.CountPlanTasks, mock.Anything, planID).Return(&activities.PlanTaskCount{Tasks: 1700}, nil)
		env.OnActivity(a.DispatchPlanTasks, mock.Anything, mock.Anything).Return(
			func(_ context.Context, in activities.DispatchPlanTasksInput) (*activities.StartedWorkflows, error) {
				mu.Lock()
				defer mu.Unlock()
				dispatched[in.Offset]++
				return &activities.StartedWorkflows{Started: in.BatchSize}, nil
			})
		env.OnActivity(a.StartUnitReports, mock.Anything, mock.Anything).Return(
			func(ctx context.Context, in activities.StartUnitReportsInput) (*activities.StartedWorkflows, error) {
				mu.Lock()
				defer mu.Unlock()
				reports += len(reportsOf(t, spec, in))
				return &activities.StartedWorkflows{}, nil
			}).Maybe()
		env.ExecuteWorkflow(workflows.PlanWorkflow, in)
		return continuedWith(t, env)
	}
	next := run(workflows.PlanInput{PlanID: planID}, true)
	require.Equal(t, &workflows.PlanResume{Stage: workflows.FanOutTasks, From: 500}, next.Resume)
	require.Zero(t, reports, "the cycle waits for the tasks")
	next = run(next, false)
	require.Equal(t, workflows.PlanInput{PlanID: planID, CycleIndex: 1}, next)
	require.Equal(t, map[int]int{0: 1, 500: 1, 1000: 1, 1500: 1}, dispatched)
	require.Equal(t, 2, reports)
}
