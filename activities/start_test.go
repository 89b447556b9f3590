package activities_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/lib/pq"
	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/testsuite"

	"cascade/activities"
	"cascade/embedded"
	"cascade/store"
	"cascade/store/storetest"
	"cascade/workflows"
)

// The argument StartUnitReports gives a UnitReport (built here, where
// workflows cannot be imported) is a workflows.UnitReportInput.
func TestStartUnitReports_ArgumentIsAUnitReportInput(t *testing.T) {
	payloads, err := converter.GetDefaultDataConverter().ToPayloads(activities.ReportStartForTest(9, 31, 7, "2026-12-15", "Báo cáo năm 2026"))
	require.NoError(t, err)
	var got workflows.UnitReportInput
	require.NoError(t, converter.GetDefaultDataConverter().FromPayloads(payloads, &got))
	require.Equal(t, workflows.UnitReportInput{PlanID: 9, CycleID: 31, UnitID: 7, DueOn: "2026-12-15", Title: "Báo cáo năm 2026"}, got)
	require.Equal(t, workflows.UnitReportID(9, 31, 7), activities.UnitReportWorkflowID(9, 31, 7))
}

// TestStartUnitReports_ResumesFromItsHeartbeatAndStopsOnceThePlanIsCancelled
// runs one batch of a cycle's reports (50 of a plan's 60 units) against a
// real Temporal server as the retry of a batch whose heartbeat said its
// first 20 starts were done: it starts the other 30 only, each with the
// plan's and the unit's search attributes. Run again for the rest of the
// plan once the plan is cancelled, it starts nothing.
func TestStartUnitReports_ResumesFromItsHeartbeatAndStopsOnceThePlanIsCancelled(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	db := storetest.Open(t)
	f := newFixture(t, db)
	s := store.New(db)
	units := []int64{f.district.ID}
	for i := range 59 {
		u, err := s.CreateUnit(ctx, store.Unit{ParentID: &f.province.ID, Kind: "commune", Code: fmt.Sprintf("X%02d-%s", i, storetest.Unique()), Name: "Hội LHPN xã"})
		require.NoError(t, err)
		units = append(units, u.ID)
	}
	_, err := db.DB.ExecContext(ctx, `INSERT INTO plan_units (plan_id, unit_id) SELECT $1, unnest($2::bigint[]) ON CONFLICT DO NOTHING`, f.planID, pq.Array(units))
	require.NoError(t, err)
	slices.Sort(units)

	srv, err := embedded.Start(ctx, embedded.Config{DatabaseURL: storetest.URL(t), Namespace: "default"})
	require.NoError(t, err)
	defer srv.Stop(ctx)
	c, err := client.Dial(client.Options{HostPort: srv.HostPort(), Namespace: "default"})
	require.NoError(t, err)
	defer c.Close()
	require.NoError(t, workflows.EnsureSearchAttributes(ctx, c, "default"))
	acts := &activities.Activities{DB: db, Temporal: c}

	var suite testsuite.WorkflowTestSuite
	env := suite.NewTestActivityEnvironment()
	env.RegisterActivity(acts)
	env.SetHeartbeatDetails(struct{ Done int }{20})
	val, err := env.ExecuteActivity(acts.StartUnitReports, activities.StartUnitReportsInput{PlanID: f.planID, CycleID: f.cycleID, Offset: 0, Count: 50})
	require.NoError(t, err)
	var res activities.StartedWorkflows
	require.NoError(t, val.Get(&res))
	require.Equal(t, activities.StartedWorkflows{Started: 30, Resumed: 20}, res)

	exists := func(unitID int64) bool {
		_, err := c.DescribeWorkflowExecution(ctx, workflows.UnitReportID(f.planID, f.cycleID, unitID), "")
		return err == nil
	}
	require.False(t, exists(units[19]), "done before the retry: not started again")
	require.True(t, exists(units[20]))
	require.True(t, exists(units[49]))
	require.False(t, exists(units[50]), "not in this batch")
	d, err := c.DescribeWorkflowExecution(ctx, workflows.UnitReportID(f.planID, f.cycleID, units[20]), "")
	require.NoError(t, err)
	sa := d.GetWorkflowExecutionInfo().GetSearchAttributes().GetIndexedFields()
	require.Contains(t, sa, "PlanID")
	require.Contains(t, sa, "UnitID")

	require.NoError(t, s.MarkPlanCancelled(ctx, f.planID))
	env = suite.NewTestActivityEnvironment()
	env.RegisterActivity(acts)
	val, err = env.ExecuteActivity(acts.StartUnitReports, activities.StartUnitReportsInput{PlanID: f.planID, CycleID: f.cycleID, Offset: 50, Count: 50})
	require.NoError(t, err)
	var stopped activities.StartedWorkflows
	require.NoError(t, val.Get(&stopped))
	require.Equal(t, activities.StartedWorkflows{Stopped: true}, stopped)
	require.False(t, exists(units[50]))
}
