package api_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"cascade/store"
	"cascade/store/storetest"
)

// task assigns A's commune A1 a fresh ad-hoc task from A, supported by a
// fresh commune of A, and returns its id.
func (w *world) task(t *testing.T) int64 {
	t.Helper()
	ctx := context.Background()
	s := store.New(w.db)
	due := store.Date{Time: time.Date(2099, 1, 15, 0, 0, 0, 0, time.UTC)}
	ut, err := s.EnsureUnitTask(ctx, store.UnitTask{IdempotencyKey: "authz/" + storetest.Unique(), UnitID: w.a1.ID, Kind: "task",
		Title: "Quán triệt nghị quyết", DueOn: &due, AssignedByUnitID: &w.a.ID})
	require.NoError(t, err)
	require.NoError(t, s.SetUnitTaskWorkflow(ctx, ut.ID, "task/"+id(ut.ID)))
	require.NoError(t, s.AddTaskSupporters(ctx, ut.ID, []int64{w.leaf(t).ID}))
	return ut.ID
}

// taskListMarker is the title of an A task that GET /tasks lists only to
// who may see A.
func (w *world) taskListMarker(t *testing.T) string {
	t.Helper()
	title := "NV-" + w.planCode
	_, err := store.New(w.db).EnsureUnitTask(context.Background(), store.UnitTask{IdempotencyKey: "authz-list/" + w.planCode,
		UnitID: w.a1.ID, Kind: "task", Title: title, AssignedByUnitID: &w.a.ID})
	require.NoError(t, err)
	return title
}
