package activities_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/temporal"

	"cascade/activities"
	"cascade/escalation"
	"cascade/reports"
	"cascade/store"
	"cascade/store/storetest"
)

// A decision's activity retried after its commit (the worker lost the
// answer) writes neither a second review nor a second audit row: it is keyed
// by the workflow update that made it. The row names the person who acted
// and the request.
func TestRecordReview_RetriedAfterTheCommitRecordsTheDecisionOnce(t *testing.T) {
	db := storetest.Open(t)
	f := newFixture(t, db)
	a := &activities.Activities{DB: db}
	r := f.open(t, a)
	v := 3.0
	_, err := a.RecordSubmission(context.Background(), activities.RecordSubmissionInput{
		PlanID: f.planID, ReportID: r.ReportID, UnitID: f.district.ID, Values: []reports.Value{{TargetID: f.targetID, Value: &v}},
		Actor: "canbo@example.org", RequestID: "req-submit",
	})
	require.NoError(t, err)

	due := store.DateOf(f.due.AddDate(0, 0, 5)).String()
	in := activities.RecordReviewInput{PlanID: f.planID, ReportID: r.ReportID, UnitID: f.district.ID, Action: "return",
		Comment: "Thiếu số liệu", DueOn: due, Key: "update-" + storetest.Unique(), Actor: "lanhdao@example.org", RequestID: "req-return"}
	for i := 0; i < 3; i++ {
		require.NoError(t, a.RecordReview(context.Background(), in))
	}
	require.Equal(t, 1, count(t, db, `SELECT count(*) FROM report_reviews WHERE report_id = $1`, r.ReportID))
	require.Equal(t, 1, count(t, db, `SELECT count(*) FROM audit_log WHERE entity = 'report' AND entity_id = $1::text AND action = 'return'`, r.ReportID))
	require.Equal(t, 1, count(t, db, `SELECT count(*) FROM audit_log WHERE entity = 'report' AND entity_id = $1::text AND action = 'return'
		AND actor = 'lanhdao@example.org' AND request_id = 'req-return'`, r.ReportID))
	require.Equal(t, 1, count(t, db, `SELECT count(*) FROM audit_log WHERE entity = 'report' AND entity_id = $1::text AND action = 'submit'
		AND actor = 'canbo@example.org' AND request_id = 'req-submit'`, r.ReportID))
	// what the rows say is for people: the figure by its target's text, the
	// decision as before → after, no ids nor Go field names
	require.Equal(t, 1, count(t, db, `SELECT count(*) FROM audit_log WHERE entity = 'report' AND entity_id = $1::text AND action = 'submit'
		AND before IS NULL AND jsonb_array_length(after->'figures') = 1 AND after->'figures'->0->>'value' = '3'
		AND after->'figures'->0->>'target' <> '' AND NOT (after->'figures'->0 ? 'target_id')`, r.ReportID))
	require.Equal(t, 1, count(t, db, `SELECT count(*) FROM audit_log WHERE entity = 'report' AND entity_id = $1::text AND action = 'return'
		AND before = '{"status": "submitted"}'::jsonb AND after = jsonb_build_object('status', 'returned', 'comment', 'Thiếu số liệu', 'due_on', $2::text)`,
		r.ReportID, due))

	// Another decision (another update) is recorded.
	in.Key, in.Action, in.Comment, in.DueOn = in.Key+"-accept", "accept", "Đạt", ""
	require.NoError(t, a.RecordReview(context.Background(), in))
	require.Equal(t, 2, count(t, db, `SELECT count(*) FROM report_reviews WHERE report_id = $1`, r.ReportID))
	require.Equal(t, 1, count(t, db, `SELECT count(*) FROM reports WHERE id = $1 AND status = 'accepted'`, r.ReportID))
}

// A ladder step retried after the report came in (or due as it came in)
// chases no one.
func TestNotify_AStepOfAReportAlreadySubmittedSendsNothing(t *testing.T) {
	db := storetest.Open(t)
	f := newFixture(t, db)
	a := &activities.Activities{DB: db}
	r := f.open(t, a)
	v := 3.0
	_, err := a.RecordSubmission(context.Background(), activities.RecordSubmissionInput{
		PlanID: f.planID, ReportID: r.ReportID, UnitID: f.district.ID, Values: []reports.Value{{TargetID: f.targetID, Value: &v}}})
	require.NoError(t, err)
	key := "test/" + storetest.Unique() + "/escalation/T+3"
	res, err := a.Notify(context.Background(), activities.NotifyInput{Key: key, PlanID: f.planID, UnitID: f.district.ID,
		ReportID: r.ReportID, Template: "escalation_unit_leader", Audiences: []string{"unit_leader"}, DueOn: f.due.String()})
	require.NoError(t, err)
	require.True(t, res.ReportIn)
	require.Equal(t, 0, count(t, db, `SELECT count(*) FROM notifications WHERE idempotency_key LIKE $1`, key+"%"))
}

// PlanLadder reads the calendar as it is now: a day off added on the
// deadline moves it and the reminder of the day.
func TestPlanLadder_ReadsTheCalendarAsItIsNow(t *testing.T) {
	db := storetest.Open(t)
	a := &activities.Activities{DB: db}
	in := activities.PlanLadderInput{Policy: escalation.DefaultPolicy(), DueOn: "2031-11-14"}
	before, err := a.PlanLadder(context.Background(), in)
	require.NoError(t, err)
	require.Equal(t, "2031-11-14", before[1].Date.String())
	require.NoError(t, store.New(db).SetCalendarDay(context.Background(), store.CalendarDay{Day: store.DateOf(time.Date(2031, 11, 14, 0, 0, 0, 0, time.UTC)), Kind: "off", Name: "Nghỉ bù"}, nil))
	after, err := a.PlanLadder(context.Background(), in)
	require.NoError(t, err)
	require.Equal(t, "T+0", after[1].Key)
	require.Equal(t, "2031-11-17", after[1].Date.String(), "Friday off: the next Monday")
	in.HeldDays = 7
	held, err := a.PlanLadder(context.Background(), in)
	require.NoError(t, err)
	require.Equal(t, "2031-11-24", held[1].Date.String(), "held a week")
}

// An ad-hoc task whose row is missing (its transaction rolled back) fails
// its workflow at once instead of retrying for ever.
func TestOpenTask_AMissingRowIsNotRetried(t *testing.T) {
	db := storetest.Open(t)
	a := &activities.Activities{DB: db}
	_, err := a.OpenTask(context.Background(), activities.OpenTaskInput{UnitTaskID: 987654321})
	var appErr *temporal.ApplicationError
	require.True(t, errors.As(err, &appErr), "%v", err)
	require.True(t, appErr.NonRetryable())
	require.Equal(t, "TaskNotFound", appErr.Type())
}
