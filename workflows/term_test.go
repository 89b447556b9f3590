package workflows_test

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/mock"
	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/workflow"

	"cascade/activities"
	"cascade/calendar"
	"cascade/importer"
	"cascade/plans"
	"cascade/workflows"
)

var updateTerm = flag.Bool("update-term", false, "rewrite testdata/term/notifications.txt from this run (then read the diff)")

// termUnit is a district of the fixture plan and how it behaves every cycle.
type termUnit struct {
	ID   int64
	Name string
	// act schedules what the unit (and its reviewer) do in one report's
	// environment, relative to the cycle's due date.
	act func(t *testing.T, env *unitReportEnv, due calendar.Date)
}

// at9 is 09:00 in Vietnam on d shifted by days.
func at9(d calendar.Date, days int) time.Time { return d.AddDays(days).At(9, 0, ict) }

// submitThenAccept submits at when and has the assigning side accept a day later.
func submitThenAccept(t *testing.T, env *unitReportEnv, when time.Time, id string) {
	env.submitAt(t, when, id, validRequest())
}

// termUnits are five districts of Khánh Hòa, each with a habit.
var termUnits = []termUnit{
	{ID: 101, Name: "Nha Trang", act: func(t *testing.T, env *unitReportEnv, due calendar.Date) {
		// Early: three weeks ahead, before any reminder.
		submitThenAccept(t, env, at9(due, -21), "early")
	}},
	{ID: 102, Name: "Cam Ranh", act: func(t *testing.T, env *unitReportEnv, due calendar.Date) {
		// On the last day (the due date moved to a working day), after that
		// morning's reminder.
		submitThenAccept(t, env, calendar.Default().Adjust(due).At(14, 0, ict), "last-day")
	}},
	{ID: 103, Name: "Ninh Hòa", act: func(t *testing.T, env *unitReportEnv, due calendar.Date) {
		// Late: ten days after the date, after the leader and the committee
		// were told.
		submitThenAccept(t, env, at9(calendar.Default().Adjust(due), 10), "late")
	}},
	{ID: 104, Name: "Vạn Ninh", act: func(t *testing.T, env *unitReportEnv, due calendar.Date) {
		// Never: the whole ladder, then silence.
	}},
	{ID: 105, Name: "Diên Khánh", act: func(t *testing.T, env *unitReportEnv, due calendar.Date) {
		// Submits two days early, is returned the next afternoon with a new
		// deadline two weeks after the original one, resubmits, is accepted.
		uid := int64(1)
		first, second := at9(due, -2), at9(due, 10)
		newDue := due.AddDays(14)
		env.RegisterDelayedCallback(func() { env.submit("first", validRequest(), &updateOutcome{}) }, first.Sub(env.Now()))
		env.RegisterDelayedCallback(func() {
			env.review("return", workflows.ReviewReportRequest{UserID: &uid, Comment: "Thiếu số liệu hộ thoát nghèo", DueOn: newDue.String()}, &updateOutcome{})
		}, first.Add(30*time.Hour).Sub(env.Now()))
		env.RegisterDelayedCallback(func() { env.submit("second", validRequest(), &updateOutcome{}) }, second.Sub(env.Now()))
		env.RegisterDelayedCallback(func() {
			env.review("accept", workflows.ReviewReportRequest{UserID: &uid, Accept: true}, &updateOutcome{})
		}, second.Add(24*time.Hour).Sub(env.Now()))
	}},
}

// termEvent is one line of the term's record: an email step, a cycle
// opening, a review, the plan closing.
type termEvent struct {
	At   time.Time
	Unit string
	What string
}

func (e termEvent) String() string {
	return fmt.Sprintf("%s  %-11s %s", e.At.In(ict).Format("2006-01-02 15:04 Mon"), e.Unit, e.What)
}

// TestTerm_FixturePlanWholeTerm runs plan 321/KH-BTV, as the importer reads
// it, through its whole term with time skipped: the PlanWorkflow opens every
// cycle and continues as new, and every unit report it starts runs with the
// unit's habit. The record of every email (who, which template, when), every
// cycle opening and the end of the plan is compared line for line with
// testdata/term/notifications.txt, which a person has read; -update-term
// rewrites it.
func TestTerm_FixturePlanWholeTerm(t *testing.T) {
	data, err := os.ReadFile("../importer/testdata/plan-321-KH-BTV.txt")
	require.NoError(t, err)
	d, err := importer.Import("plan-321-KH-BTV.txt", data)
	require.NoError(t, err)
	doc := plans.FromDraft(d)
	require.NotNil(t, doc.IssuedOn)

	spec := &activities.PlanSpec{Status: "issued"}
	cycleTitles := map[int64]string{}
	for i, c := range doc.Cycles {
		id := int64(i + 1)
		title := fmt.Sprintf("%s %d", c.Kind, c.Year)
		spec.Cycles = append(spec.Cycles, activities.CycleSpec{ID: id, Kind: c.Kind, Year: c.Year, DueOn: c.DueOn.String(), Title: title})
		cycleTitles[id] = title
	}
	names := map[int64]string{}
	for _, u := range termUnits {
		spec.UnitIDs = append(spec.UnitIDs, u.ID)
		names[u.ID] = u.Name
	}

	var mu sync.Mutex
	var events []termEvent
	record := func(e termEvent) {
		mu.Lock()
		defer mu.Unlock()
		events = append(events, e)
	}

	// The plan: issued at 09:00 on its issue date, then one run per cycle.
	var starts []startedReport
	now := doc.IssuedOn.At(9, 0, ict)
	in := workflows.PlanInput{PlanID: planID}
	runs := 0
	var ended time.Time // when the closing plan ended its unit workflows
	for {
		runs++
		require.LessOrEqual(t, runs, len(spec.Cycles)+1, "the plan must end after its last cycle")
		env := newEnv(t)
		env.SetStartTime(now)
		env.RegisterWorkflow(workflows.PlanWorkflow)
		env.OnActivity(a.LoadPlan, mock.Anything, planID).Return(spec, nil)
		env.OnActivity(a.StartUnitReports, mock.Anything, mock.Anything).Return(
			func(ctx context.Context, in activities.StartUnitReportsInput) (*activities.StartedWorkflows, error) {
				batch := reportsOf(t, spec, in)
				for _, st := range batch {
					st.At = env.Now()
					starts = append(starts, st)
				}
				if len(batch) > 0 {
					record(termEvent{At: env.Now(), Unit: "—", What: fmt.Sprintf("opens %s (due %s) for %d units",
						cycleTitles[in.CycleID], batch[0].Input.DueOn, len(batch))})
				}
				return &activities.StartedWorkflows{Started: len(batch)}, nil
			}).Maybe()
		// The plan's tasks and unit plans start with its first run; their own
		// ladders are TaskWorkflow's tests'.
		env.OnActivity(a.CountPlanTasks, mock.Anything, planID).Return(func(context.Context, int64) (*activities.PlanTaskCount, error) {
			return &activities.PlanTaskCount{Tasks: 12}, nil
		}).Maybe()
		env.OnActivity(a.DispatchPlanTasks, mock.Anything, mock.Anything).Return(
			func(_ context.Context, in activities.DispatchPlanTasksInput) (*activities.StartedWorkflows, error) {
				record(termEvent{At: env.Now(), Unit: "—", What: fmt.Sprintf("dispatches tasks and unit plans %d–%d", in.Offset+1, min(in.Offset+in.BatchSize, 12))})
				return &activities.StartedWorkflows{Started: min(in.BatchSize, 12-in.Offset)}, nil
			}).Maybe()
		env.OnActivity(a.CompileReview, mock.Anything, mock.Anything).Return(
			func(_ context.Context, in activities.CompileReviewInput) (*activities.CompileReviewResult, error) {
				require.Equal(t, planID, in.PlanID)
				record(termEvent{At: env.Now(), Unit: "—", What: "review compiled for " + cycleTitles[in.CycleID]})
				return &activities.CompileReviewResult{ReviewID: in.CycleID}, nil
			}).Maybe()
		env.OnActivity(a.ClosePlan, mock.Anything, planID).Return(func(context.Context, int64) error {
			record(termEvent{At: env.Now(), Unit: "—", What: "plan closed"})
			return nil
		}).Maybe()
		env.OnActivity(a.ClosePlanTasks, mock.Anything, planID).Return(func(context.Context, int64) error {
			record(termEvent{At: env.Now(), Unit: "—", What: "open tasks and unit plans cancelled"})
			return nil
		}).Maybe()
		env.OnActivity(a.EndPlanWorkflows, mock.Anything, planID).Return(func(context.Context, int64) (*activities.EndedWorkflows, error) {
			record(termEvent{At: env.Now(), Unit: "—", What: "unit workflows ended"})
			ended = env.Now()
			return &activities.EndedWorkflows{}, nil
		}).Maybe()
		env.ExecuteWorkflow(workflows.PlanWorkflow, in)
		require.True(t, env.IsWorkflowCompleted())
		err := env.GetWorkflowError()
		if err == nil {
			var res workflows.PlanResult
			require.NoError(t, env.GetWorkflowResult(&res))
			require.Equal(t, "closed", res.Status)
			break
		}
		var can *workflow.ContinueAsNewError
		require.True(t, errors.As(err, &can), "want continue-as-new, got %v", err)
		require.NoError(t, converter.GetDefaultDataConverter().FromPayloads(can.Input, &in))
		now = env.Now()
	}
	require.Len(t, starts, len(spec.Cycles)*len(termUnits), "one report per unit and cycle")

	// Every report, from when the plan started it, with its unit's habit.
	outcomes := map[string]int{}
	for _, st := range starts {
		env := newUnitReportEnv(t, st.At)
		due, err := calendar.ParseDate(st.Input.DueOn)
		require.NoError(t, err)
		var unit termUnit
		for _, u := range termUnits {
			if u.ID == st.Input.UnitID {
				unit = u
			}
		}
		unit.act(t, env, due)
		// A report nobody submits waits once its ladder is exhausted; the
		// test stops looking a year after it was due, or when the closing
		// plan ends it.
		end, status := due.AddDays(365).At(0, 0, ict), "still pending a year after it was due"
		if !ended.IsZero() && ended.Before(end) {
			end, status = ended, "ended with the plan, never submitted"
		}
		env.RegisterDelayedCallback(func() {
			if !env.IsWorkflowCompleted() {
				env.CancelWorkflow()
			}
		}, end.Sub(env.Now()))
		env.ExecuteWorkflow(workflows.UnitReport, st.Input)
		require.True(t, env.IsWorkflowCompleted())
		var res workflows.UnitReportResult
		if env.GetWorkflowError() == nil {
			require.NoError(t, env.GetWorkflowResult(&res))
			status = res.Status
		}
		outcomes[unit.Name+": "+status]++
		env.mu.Lock()
		for i, n := range env.notifyIn {
			record(termEvent{At: env.notified[i].At, Unit: names[n.UnitID],
				What: fmt.Sprintf("%-30s to %-38s %s, due %s", n.Template, strings.Join(n.Audiences, "+"), cycleTitles[st.Input.CycleID], n.DueOn)})
		}
		env.mu.Unlock()
	}

	n := len(spec.Cycles)
	require.Equal(t, map[string]int{
		"Nha Trang: accepted":                             n,
		"Cam Ranh: accepted":                              n,
		"Ninh Hòa: accepted":                              n,
		"Vạn Ninh: still pending a year after it was due": n - 1,
		"Vạn Ninh: ended with the plan, never submitted":  1,
		"Diên Khánh: accepted":                            n,
	}, outcomes)

	sort.SliceStable(events, func(i, j int) bool {
		if !events[i].At.Equal(events[j].At) {
			return events[i].At.Before(events[j].At)
		}
		return events[i].Unit < events[j].Unit
	})
	var b strings.Builder
	for _, e := range events {
		b.WriteString(e.String())
		b.WriteByte('\n')
	}
	golden := filepath.Join("testdata", "term", "notifications.txt")
	if *updateTerm {
		require.NoError(t, os.MkdirAll(filepath.Dir(golden), 0o755))
		require.NoError(t, os.WriteFile(golden, []byte(b.String()), 0o644))
	}
	want, err := os.ReadFile(golden)
	require.NoError(t, err, "run go test ./workflows/ -run TestTerm -update-term, then read the file")
	if got := b.String(); got != string(want) {
		t.Fatalf("the term's record differs from %s (run with -update-term and read the diff):\n%s", golden, firstDifference(string(want), got))
	}
}

// firstDifference shows where two records part, with a little context.
func firstDifference(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	i := 0
	for i < len(w) && i < len(g) && w[i] == g[i] {
		i++
	}
	var b strings.Builder
	for j := max(0, i-2); j < i; j++ {
		fmt.Fprintf(&b, "   %s\n", w[j])
	}
	for j := i; j < min(i+3, len(w)); j++ {
		fmt.Fprintf(&b, "-  %s\n", w[j])
	}
	for j := i; j < min(i+3, len(g)); j++ {
		fmt.Fprintf(&b, "+  %s\n", g[j])
	}
	return fmt.Sprintf("line %d:\n%s", i+1, b.String())
}
