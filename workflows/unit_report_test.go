package workflows_test

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/mock"
	"github.com/stretchr/testify/require"
	sdklog "go.temporal.io/sdk/log"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"

	"cascade/activities"
	"cascade/calendar"
	"cascade/escalation"
	"cascade/workflows"
)

// a is the nil receiver the tests name activities by, as the workflows do.
var a *activities.Activities

// ict is Vietnam's time zone: every step of the ladder goes out at 08:00 ICT.
var ict = time.FixedZone("ICT", 7*60*60)

// at is an instant in Vietnam, e.g. at("2025-11-07 08:00").
func at(t *testing.T, s string) time.Time {
	t.Helper()
	v, err := time.ParseInLocation("2006-01-02 15:04", s, ict)
	require.NoError(t, err)
	return v
}

const (
	planID  = int64(42)
	cycleID = int64(3)
	unitID  = int64(7)
)

// scope is the idempotency key prefix of the test unit's ladder.
const scope = "plan/42/unit/7/cycle/3"

// sentStep is one Notify call as the unit's ladder made it.
type sentStep struct {
	Key      string
	Template string
	At       time.Time
}

// unitReportEnv is a test environment running UnitReport with every activity
// mocked: OpenUnitReport opens report 100, Notify records each step and the
// simulated time it was sent, RecordSubmission records each submission.
type unitReportEnv struct {
	*testsuite.TestWorkflowEnvironment
	mu          sync.Mutex
	opened      []activities.OpenUnitReportInput
	notified    []sentStep
	notifyIn    []activities.NotifyInput
	submissions []activities.RecordSubmissionInput
	reviews     []activities.RecordReviewInput
	// mailDown fails every review email (accepted, returned), as with SMTP
	// down; each attempt is in mailTried.
	mailDown  bool
	mailTried []sentStep
	// paused skips every ladder step, as Notify does while the plan's
	// escalations are paused; each skipped call is counted.
	paused  bool
	skipped int
	// openAs is the report row OpenUnitReport finds, when not a new one.
	openAs *activities.OpenedReport
}

func newUnitReportEnv(t *testing.T, start time.Time) *unitReportEnv {
	t.Helper()
	e := &unitReportEnv{TestWorkflowEnvironment: newEnv(t)}
	e.SetStartTime(start)
	e.RegisterWorkflow(workflows.UnitReport)
	e.OnActivity(a.OpenUnitReport, mock.Anything, mock.Anything).Return(
		func(_ context.Context, in activities.OpenUnitReportInput) (*activities.OpenedReport, error) {
			e.mu.Lock()
			defer e.mu.Unlock()
			e.opened = append(e.opened, in)
			if e.openAs != nil {
				return e.openAs, nil
			}
			return &activities.OpenedReport{ReportID: 100, UnitTaskID: 200, Status: "pending"}, nil
		}).Once()
	e.OnActivity(a.Notify, mock.Anything, mock.Anything).Return(
		func(_ context.Context, in activities.NotifyInput) (*activities.NotifyResult, error) {
			e.mu.Lock()
			defer e.mu.Unlock()
			if e.mailDown && (in.Template == "accepted" || in.Template == "returned") {
				e.mailTried = append(e.mailTried, sentStep{Key: in.Key, Template: in.Template, At: e.Now().In(ict)})
				return nil, errors.New("dial tcp 127.0.0.1:25: connection refused")
			}
			if e.paused && in.Template != "accepted" && in.Template != "returned" {
				e.skipped++
				return &activities.NotifyResult{Skipped: true}, nil
			}
			e.notified = append(e.notified, sentStep{Key: in.Key, Template: in.Template, At: e.Now().In(ict)})
			e.notifyIn = append(e.notifyIn, in)
			return &activities.NotifyResult{Queued: 1, Sent: 1}, nil
		}).Maybe()
	e.OnActivity(a.RecordSubmission, mock.Anything, mock.Anything).Return(
		func(_ context.Context, in activities.RecordSubmissionInput) (*activities.RecordedSubmission, error) {
			e.mu.Lock()
			defer e.mu.Unlock()
			e.submissions = append(e.submissions, in)
			return &activities.RecordedSubmission{Status: "submitted", SubmittedAt: e.Now().UTC()}, nil
		}).Maybe()
	e.OnActivity(a.RecordReview, mock.Anything, mock.Anything).Return(
		func(_ context.Context, in activities.RecordReviewInput) error {
			e.mu.Lock()
			defer e.mu.Unlock()
			e.reviews = append(e.reviews, in)
			return nil
		}).Maybe()
	t.Cleanup(func() { e.AssertExpectations(t) })
	return e
}

// sent lists the escalation ladder's emails (not the review's).
func (e *unitReportEnv) sent() []sentStep {
	e.mu.Lock()
	defer e.mu.Unlock()
	var out []sentStep
	for _, s := range e.notified {
		if s.Template != "accepted" && s.Template != "returned" {
			out = append(out, s)
		}
	}
	return out
}

func (e *unitReportEnv) recorded() []activities.RecordSubmissionInput {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]activities.RecordSubmissionInput(nil), e.submissions...)
}

// submitAt sends the submission update at the simulated instant when and
// returns where its outcome lands.
func (e *unitReportEnv) submitAt(t *testing.T, when time.Time, id string, req workflows.SubmitReportRequest) *updateOutcome {
	t.Helper()
	out := &updateOutcome{}
	delay := when.Sub(e.Now())
	require.Positive(t, delay, "submission must be after the start")
	e.RegisterDelayedCallback(func() { e.submit(id, req, out) }, delay)
	// The assigning side accepts a minute later, so the report completes.
	e.RegisterDelayedCallback(func() { e.review(id+"-accept", workflows.ReviewReportRequest{Accept: true}, &updateOutcome{}) }, delay+time.Minute)
	return out
}

// review sends the review update now; out receives its outcome.
func (e *unitReportEnv) review(id string, req workflows.ReviewReportRequest, out *updateOutcome) {
	e.UpdateWorkflow(workflows.UpdateReviewReport, id, &testsuite.TestUpdateCallback{
		OnAccept:   func() { out.accepted = true },
		OnReject:   func(err error) { out.rejected = err },
		OnComplete: func(v any, err error) { out.completed, out.err = true, err },
	}, req)
}

// submit sends the submission update now; out receives its outcome.
func (e *unitReportEnv) submit(id string, req workflows.SubmitReportRequest, out *updateOutcome) {
	e.UpdateWorkflow(workflows.UpdateSubmitReport, id, &testsuite.TestUpdateCallback{
		OnAccept: func() { out.accepted = true },
		OnReject: func(err error) { out.rejected = err },
		OnComplete: func(v any, err error) {
			out.completed = true
			out.err = err
			if r, ok := v.(*workflows.SubmitReportResult); ok {
				out.result = r
			}
		},
	}, req)
}

// updateOutcome is what the update callbacks saw.
type updateOutcome struct {
	accepted  bool
	rejected  error
	completed bool
	err       error
	result    *workflows.SubmitReportResult
}

// newEnv is a test environment whose log goes to the test's output, shown
// only when the test fails or runs with -v.
func newEnv(t *testing.T) *testsuite.TestWorkflowEnvironment {
	t.Helper()
	var s testsuite.WorkflowTestSuite
	s.SetLogger(testLogger(t))
	env := s.NewTestWorkflowEnvironment()
	// The statutory calendar with adminDays, none unless a test sets them.
	env.OnActivity(a.LoadCalendar, mock.Anything).Return(func(context.Context) (*calendar.Config, error) {
		return &calendar.Config{ExtraDaysOff: adminDays}, nil
	}).Maybe()
	// The ladder placed on that calendar, as PlanLadder does.
	env.OnActivity(a.PlanLadder, mock.Anything, mock.Anything).Return(
		func(_ context.Context, in activities.PlanLadderInput) ([]escalation.Planned, error) {
			return activities.LadderSchedule(calendar.Config{ExtraDaysOff: adminDays}, in)
		}).Maybe()
	return env
}

// testLogger logs warnings and errors to the test's output.
func testLogger(t *testing.T) sdklog.Logger {
	return sdklog.NewStructuredLogger(slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelWarn})))
}

// adminDays are the days off an admin added, as LoadCalendar answers them.
var adminDays []calendar.DayOff

func value(v float64) *float64 { return &v }

func validRequest() workflows.SubmitReportRequest {
	uid := int64(9)
	return workflows.SubmitReportRequest{UserID: &uid, Values: []activities.TargetValue{
		{TargetID: 1, Value: value(640)},
		{TargetID: 2, Numerator: value(85), Denominator: value(100)},
	}}
}

func unitReportInput(due string) workflows.UnitReportInput {
	return workflows.UnitReportInput{PlanID: planID, CycleID: cycleID, UnitID: unitID, DueOn: due, Title: "Báo cáo năm 2025"}
}

func applicationErrorType(t *testing.T, err error) string {
	t.Helper()
	var appErr *temporal.ApplicationError
	require.True(t, errors.As(err, &appErr), "want an application error, got %T %v", err, err)
	return appErr.Type()
}

func TestUnitReport_UnitThatNeverSubmitsGetsTheWholeLadder(t *testing.T) {
	step := func(key, template, when string) sentStep {
		return sentStep{Key: scope + "/" + key, Template: template, At: at(t, when+" 08:00")}
	}
	const (
		before    = "reminder_before_due"
		today     = "reminder_due_today"
		leader    = "escalation_unit_leader"
		committee = "escalation_standing_committee"
	)
	cases := []struct {
		name  string
		due   string
		start string
		want  []sentStep
	}{{
		// Due Friday 14/11/2025: every step and every weekly repeat falls on
		// an ordinary working day, the last one on the Friday before Tết.
		name:  "due on a Friday in November",
		due:   "2025-11-14",
		start: "2025-10-15 09:30",
		want: []sentStep{
			step("reminder/T-7", before, "2025-11-07"),
			step("reminder/T+0", today, "2025-11-14"),
			step("escalation/T+3", leader, "2025-11-17"), // Monday 17/11
			step("escalation/T+7", committee, "2025-11-21"),
			step("escalation/T+14", committee, "2025-11-28"),
			step("escalation/T+21", committee, "2025-12-05"),
			step("escalation/T+28", committee, "2025-12-12"),
			step("escalation/T+35", committee, "2025-12-19"),
			step("escalation/T+42", committee, "2025-12-26"),
			step("escalation/T+49", committee, "2026-01-02"),
			step("escalation/T+56", committee, "2026-01-09"),
			step("escalation/T+63", committee, "2026-01-16"),
			step("escalation/T+70", committee, "2026-01-23"),
			step("escalation/T+77", committee, "2026-01-30"),
			step("escalation/T+84", committee, "2026-02-06"),
			step("escalation/T+91", committee, "2026-02-13"),
		},
	}, {
		// Due Monday 29/12/2025: T+3 is New Year's Day (Thursday 1/1/2026)
		// and goes out on Friday 2/1; T+49 is Monday 16/2, the first day of
		// Tết 2026 (off through the compensatory Monday 23/2), and goes out on
		// Tuesday 24/2; T+56 (Monday 23/2) would land on that same day and
		// goes out the working day after, Wednesday 25/2.
		name:  "due before New Year with repeats across Tết",
		due:   "2025-12-29",
		start: "2025-12-01 14:00",
		want: []sentStep{
			step("reminder/T-7", before, "2025-12-22"),
			step("reminder/T+0", today, "2025-12-29"),
			step("escalation/T+3", leader, "2026-01-02"),
			step("escalation/T+7", committee, "2026-01-05"),
			step("escalation/T+14", committee, "2026-01-12"),
			step("escalation/T+21", committee, "2026-01-19"),
			step("escalation/T+28", committee, "2026-01-26"),
			step("escalation/T+35", committee, "2026-02-02"),
			step("escalation/T+42", committee, "2026-02-09"),
			step("escalation/T+49", committee, "2026-02-24"),
			step("escalation/T+56", committee, "2026-02-25"),
			step("escalation/T+63", committee, "2026-03-02"),
			step("escalation/T+70", committee, "2026-03-09"),
			step("escalation/T+77", committee, "2026-03-16"),
			step("escalation/T+84", committee, "2026-03-23"),
			step("escalation/T+91", committee, "2026-03-30"),
		},
	}}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			require.Len(t, tc.want, len(escalation.DefaultPolicy().Steps)+escalation.DefaultPolicy().MaxRepeats)
			env := newUnitReportEnv(t, at(t, tc.start))
			last := tc.want[len(tc.want)-1].At

			// A month after the last repeat the ladder is exhausted, nothing
			// more was sent and the workflow still waits for the report.
			var sentBefore []sentStep
			openAfterLadder := false
			env.RegisterDelayedCallback(func() {
				sentBefore = env.sent()
				openAfterLadder = !env.IsWorkflowCompleted()
			}, last.AddDate(0, 1, 0).Sub(env.Now()))
			out := env.submitAt(t, last.AddDate(0, 1, 0).Add(time.Hour), "late-submission", validRequest())

			env.ExecuteWorkflow(workflows.UnitReport, unitReportInput(tc.due))

			require.True(t, openAfterLadder, "the workflow must wait for the report once the ladder is exhausted")
			require.Equal(t, tc.want, sentBefore)
			require.Equal(t, tc.want, env.sent(), "nothing is sent once the ladder is exhausted")
			for _, in := range env.notifyIn {
				require.Equal(t, tc.due, in.DueOn)
				require.Equal(t, int64(100), in.ReportID)
				require.Equal(t, planID, in.PlanID)
				require.Equal(t, unitID, in.UnitID)
			}
			require.Equal(t, []string{"unit"}, env.notifyIn[0].Audiences)
			require.Equal(t, []string{"unit_leader"}, env.notifyIn[2].Audiences)
			require.Equal(t, []string{"supervising_board", "standing_committee"}, env.notifyIn[3].Audiences)

			require.True(t, env.IsWorkflowCompleted())
			require.NoError(t, env.GetWorkflowError())
			require.True(t, out.accepted)
			require.True(t, out.completed)
			require.NoError(t, out.err)
			var res workflows.UnitReportResult
			require.NoError(t, env.GetWorkflowResult(&res))
			require.Equal(t, workflows.UnitReportResult{ReportID: 100, Status: "accepted"}, res)
			require.Len(t, env.recorded(), 1)
		})
	}
}

func TestUnitReport_EarlySubmissionStopsTheLadder(t *testing.T) {
	env := newUnitReportEnv(t, at(t, "2025-10-20 10:00"))
	req := validRequest()
	out := env.submitAt(t, at(t, "2025-11-10 15:00"), "on-time", req)

	env.ExecuteWorkflow(workflows.UnitReport, unitReportInput("2025-11-14"))

	require.True(t, env.IsWorkflowCompleted())
	require.NoError(t, env.GetWorkflowError())
	require.Equal(t, []sentStep{{Key: scope + "/reminder/T-7", Template: "reminder_before_due", At: at(t, "2025-11-07 08:00")}}, env.sent())

	require.Equal(t, []activities.RecordSubmissionInput{{
		PlanID: planID, ReportID: 100, UnitID: unitID, UserID: req.UserID, Values: req.Values,
	}}, env.recorded())
	require.Equal(t, []activities.OpenUnitReportInput{{
		PlanID: planID, CycleID: cycleID, UnitID: unitID, DueOn: "2025-11-14", Title: "Báo cáo năm 2025",
		WorkflowID: "default-test-workflow-id",
	}}, env.opened)

	require.True(t, out.accepted)
	require.NoError(t, out.rejected)
	require.True(t, out.completed)
	require.NoError(t, out.err)
	require.Equal(t, &workflows.SubmitReportResult{
		ReportID: 100, Status: "submitted", SubmittedAt: at(t, "2025-11-10 15:00").UTC(),
	}, out.result)

	var res workflows.UnitReportResult
	require.NoError(t, env.GetWorkflowResult(&res))
	require.Equal(t, "accepted", res.Status, "accepted by the assigning side after the submission")
	require.Equal(t, int64(100), res.ReportID)
}

func TestUnitReport_ValidatorRejectsBadValuesAndSecondSubmission(t *testing.T) {
	env := newUnitReportEnv(t, at(t, "2025-10-20 10:00"))
	bad := workflows.SubmitReportRequest{Values: []activities.TargetValue{{TargetID: 1, Value: value(-5)}}}
	empty := workflows.SubmitReportRequest{}
	var badOut, emptyOut, goodOut, againOut updateOutcome
	var recordedAfterRejections int
	env.RegisterDelayedCallback(func() {
		env.submit("bad", bad, &badOut)
		env.submit("empty", empty, &emptyOut)
	}, 24*time.Hour)
	env.RegisterDelayedCallback(func() {
		recordedAfterRejections = len(env.recorded())
		env.submit("good", validRequest(), &goodOut)
		// The first submission is being recorded: a second one waits for
		// it, then is refused.
		env.submit("again", validRequest(), &againOut)
	}, 48*time.Hour)
	env.RegisterDelayedCallback(func() { env.review("accept", workflows.ReviewReportRequest{Accept: true}, &updateOutcome{}) }, 49*time.Hour)

	env.ExecuteWorkflow(workflows.UnitReport, unitReportInput("2025-11-14"))

	require.True(t, env.IsWorkflowCompleted())
	require.NoError(t, env.GetWorkflowError())

	require.Error(t, badOut.rejected)
	require.False(t, badOut.accepted)
	require.Equal(t, "InvalidReport", applicationErrorType(t, badOut.rejected))
	require.Contains(t, badOut.rejected.Error(), "values[0].value")
	require.Equal(t, "InvalidReport", applicationErrorType(t, emptyOut.rejected))
	require.Zero(t, recordedAfterRejections, "a rejected update records nothing")

	require.True(t, goodOut.accepted)
	require.True(t, goodOut.completed)
	require.NoError(t, goodOut.err)

	require.True(t, againOut.completed)
	require.Equal(t, "AlreadySubmitted", applicationErrorType(t, againOut.err), "refused once the first is recorded")

	require.Len(t, env.recorded(), 1, "RecordSubmission runs for the accepted submission only")
	require.Empty(t, env.sent(), "submitted before T-7: no reminder at all")
}

func TestUnitReport_DeadlineOnTetMovesToNextWorkingDay(t *testing.T) {
	// Tuesday 17/2/2026 is mùng 1 Tết; Tết and its compensatory day run
	// through Monday 23/2, so the deadline is Tuesday 24/2. Its T-7 (mùng 1
	// again) goes out on the last working day before Tết, Friday 13/2.
	env := newUnitReportEnv(t, at(t, "2026-01-20 09:00"))
	env.submitAt(t, at(t, "2026-02-20 10:00"), "during-tet", validRequest())

	env.ExecuteWorkflow(workflows.UnitReport, unitReportInput("2026-02-17"))

	require.True(t, env.IsWorkflowCompleted())
	require.NoError(t, env.GetWorkflowError())
	require.Len(t, env.opened, 1)
	require.Equal(t, "2026-02-24", env.opened[0].DueOn)
	require.Equal(t, []sentStep{{Key: scope + "/reminder/T-7", Template: "reminder_before_due", At: at(t, "2026-02-13 08:00")}}, env.sent())
	require.Equal(t, "2026-02-24", env.notifyIn[0].DueOn)
}

func TestUnitReport_PlanIssuedLateSendsOnlyTheLatestPastStep(t *testing.T) {
	// Due Friday 14/11/2025; the report opens on Tuesday 18/11 at 10:00,
	// after T-7 (7/11), T+0 (14/11) and T+3 (Monday 17/11): only T+3 goes
	// out, at once; T+7 follows on Friday 21/11.
	start := at(t, "2025-11-18 10:00")
	env := newUnitReportEnv(t, start)
	env.submitAt(t, at(t, "2025-11-24 09:00"), "late", validRequest())

	env.ExecuteWorkflow(workflows.UnitReport, unitReportInput("2025-11-14"))

	require.True(t, env.IsWorkflowCompleted())
	require.NoError(t, env.GetWorkflowError())
	require.Equal(t, []sentStep{
		{Key: scope + "/escalation/T+3", Template: "escalation_unit_leader", At: start},
		{Key: scope + "/escalation/T+7", Template: "escalation_standing_committee", At: at(t, "2025-11-21 08:00")},
	}, env.sent())
}

func TestUnitReport_IssuedAfterTheWholeLadderSendsOnlyTheLastRepeat(t *testing.T) {
	start := at(t, "2026-03-02 10:00")
	env := newUnitReportEnv(t, start)
	env.submitAt(t, at(t, "2026-03-20 09:00"), "very-late", validRequest())

	env.ExecuteWorkflow(workflows.UnitReport, unitReportInput("2025-11-14"))

	require.NoError(t, env.GetWorkflowError())
	require.Equal(t, []sentStep{
		{Key: scope + "/escalation/T+91", Template: "escalation_standing_committee", At: start},
	}, env.sent())
}

func TestUnitReport_FailedNotificationDoesNotStopTheLadder(t *testing.T) {
	env := newEnv(t)
	env.SetStartTime(at(t, "2025-10-20 10:00"))
	env.RegisterWorkflow(workflows.UnitReport)
	env.OnActivity(a.OpenUnitReport, mock.Anything, mock.Anything).Return(&activities.OpenedReport{ReportID: 100, Status: "pending"}, nil)
	var keys []string
	env.OnActivity(a.Notify, mock.Anything, mock.Anything).Return(
		func(_ context.Context, in activities.NotifyInput) (*activities.NotifyResult, error) {
			keys = append(keys, in.Key)
			return nil, temporal.NewNonRetryableApplicationError("smtp down", "SMTP", nil)
		})
	env.OnActivity(a.RecordSubmission, mock.Anything, mock.Anything).Return(&activities.RecordedSubmission{Status: "submitted"}, nil)
	env.OnActivity(a.RecordReview, mock.Anything, mock.Anything).Return(nil)
	var out updateOutcome
	after := at(t, "2025-11-18 12:00").Sub(at(t, "2025-10-20 10:00"))
	env.RegisterDelayedCallback(func() {
		env.UpdateWorkflow(workflows.UpdateSubmitReport, "after-t3", &testsuite.TestUpdateCallback{
			OnAccept: func() { out.accepted = true }, OnReject: func(err error) { out.rejected = err },
			OnComplete: func(any, error) { out.completed = true },
		}, validRequest())
	}, after)
	env.RegisterDelayedCallback(func() {
		env.UpdateWorkflow(workflows.UpdateReviewReport, "accept", &testsuite.TestUpdateCallback{
			OnAccept: func() {}, OnReject: func(error) {}, OnComplete: func(any, error) {},
		}, workflows.ReviewReportRequest{Accept: true})
	}, after+time.Hour)

	env.ExecuteWorkflow(workflows.UnitReport, unitReportInput("2025-11-14"))

	require.NoError(t, env.GetWorkflowError())
	require.Equal(t, []string{scope + "/reminder/T-7", scope + "/reminder/T+0", scope + "/escalation/T+3", scope + "/accepted"}, keys,
		"the ladder goes on after a failed email, and the acceptance is mailed too")
	require.True(t, out.completed)
}

func TestUnitReport_AlreadyAcceptedReportCompletesAtOnce(t *testing.T) {
	env := newEnv(t)
	env.SetStartTime(at(t, "2025-10-20 10:00"))
	env.RegisterWorkflow(workflows.UnitReport)
	// A retried start finds its report already accepted.
	env.OnActivity(a.OpenUnitReport, mock.Anything, mock.Anything).Return(&activities.OpenedReport{ReportID: 100, Status: "accepted"}, nil)

	env.ExecuteWorkflow(workflows.UnitReport, unitReportInput("2025-11-14"))

	require.NoError(t, env.GetWorkflowError())
	var res workflows.UnitReportResult
	require.NoError(t, env.GetWorkflowResult(&res))
	require.Equal(t, workflows.UnitReportResult{ReportID: 100, Status: "accepted"}, res)
	require.Equal(t, at(t, "2025-10-20 10:00"), env.Now().In(ict))
}

func TestUnitReport_BadDueDateFailsWithoutRetry(t *testing.T) {
	env := newEnv(t)
	env.RegisterWorkflow(workflows.UnitReport)

	env.ExecuteWorkflow(workflows.UnitReport, unitReportInput("14/11/2025"))

	err := env.GetWorkflowError()
	require.Error(t, err)
	require.Equal(t, "BadInput", applicationErrorType(t, err))
}

// callbacks records an update's outcome in out.
func callbacks(out *updateOutcome) *testsuite.TestUpdateCallback {
	return &testsuite.TestUpdateCallback{
		OnAccept:   func() { out.accepted = true },
		OnReject:   func(err error) { out.rejected = err },
		OnComplete: func(_ any, err error) { out.completed, out.err = true, err },
	}
}
