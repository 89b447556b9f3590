package escalation_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"cascade/calendar"
	"cascade/escalation"
)

func date(t *testing.T, s string) calendar.Date {
	t.Helper()
	d, err := calendar.ParseDate(s)
	require.NoError(t, err)
	return d
}

type dated struct{ key, date string }

func dates(ps []escalation.Planned) []dated {
	out := make([]dated, len(ps))
	for i, p := range ps {
		out[i] = dated{p.Key, p.Date.String()}
	}
	return out
}

func TestSchedule_DefaultLadderMovesStepsOffHolidays(t *testing.T) {
	t.Parallel()
	// Due Monday 31/3/2025; T+7 is Hùng Kings' day (Monday 7/4).
	got := escalation.Schedule(escalation.DefaultPolicy(), date(t, "2025-03-31"), calendar.Default())
	require.Len(t, got, 4+12)
	require.Equal(t, []dated{
		{"T-7", "2025-03-24"},
		{"T+0", "2025-03-31"},
		{"T+3", "2025-04-03"},
		{"T+7", "2025-04-08"},
		{"T+14", "2025-04-14"},
		{"T+21", "2025-04-21"},
		{"T+28", "2025-04-28"},
		{"T+35", "2025-05-05"},
	}, dates(got[:8]))
	require.Equal(t, dated{"T+91", "2025-06-30"}, dates(got)[15])

	t7 := got[3]
	require.Equal(t, date(t, "2025-04-07"), t7.Nominal)
	require.Equal(t, 7, t7.OffsetDays)
	require.Equal(t, escalation.KindEscalation, t7.Kind)
	require.Equal(t, "escalation_standing_committee", t7.Template)
	require.Zero(t, t7.Repeat)

	repeat := got[4]
	require.Equal(t, 1, repeat.Repeat)
	require.Equal(t, t7.Audiences, repeat.Audiences)
	require.Equal(t, t7.Template, repeat.Template)
}

func TestSchedule_ReminderBeforeADeadlineJustAfterTetGoesOutBeforeTet(t *testing.T) {
	t.Parallel()
	// Tết 2026 and its compensatory day run from Monday 16/2 to Monday 23/2;
	// a deadline on the first working day after it, Tuesday 24/2, has its
	// T-7 nominally on mùng 1. The next working day is the deadline itself,
	// so the reminder goes out on the last working day before Tết.
	got := escalation.Schedule(escalation.DefaultPolicy(), date(t, "2026-02-24"), calendar.Default())
	require.Equal(t, []dated{
		{"T-7", "2026-02-13"},
		{"T+0", "2026-02-24"},
		{"T+3", "2026-02-27"},
		{"T+7", "2026-03-03"},
	}, dates(got[:4]))
	require.Equal(t, date(t, "2026-02-17"), got[0].Nominal)
}

func TestSchedule_StepsThatLandOnTheSameDayAfterTetAreSpreadOut(t *testing.T) {
	t.Parallel()
	// Due Thursday 12/2/2026: T+3 (Sunday 15/2) and T+7 (19/2, Tết) both
	// move to Tuesday 24/2; T+7 goes out the working day after T+3.
	got := escalation.Schedule(escalation.DefaultPolicy(), date(t, "2026-02-12"), calendar.Default())
	require.Equal(t, []dated{
		{"T-7", "2026-02-05"},
		{"T+0", "2026-02-12"},
		{"T+3", "2026-02-24"},
		{"T+7", "2026-02-25"},
		{"T+14", "2026-02-26"},
		{"T+21", "2026-03-05"},
	}, dates(got[:6]))
}

func TestSchedule_ReminderCloserToTheDeadlineSupersedesOneOnTheSameDay(t *testing.T) {
	t.Parallel()
	p := escalation.DefaultPolicy()
	p.Steps = append([]escalation.Step{{
		OffsetDays: -10, Audiences: []escalation.Audience{escalation.AudienceUnit}, Template: "reminder_before_due", Kind: escalation.KindReminder,
	}}, p.Steps...)
	require.NoError(t, p.Validate())
	// Due Tuesday 24/2/2026: T-10 (Saturday 14/2) and T-7 (mùng 1) both fall
	// back to Friday 13/2; only T-7 is sent.
	got := escalation.Schedule(p, date(t, "2026-02-24"), calendar.Default())
	require.Equal(t, []dated{{"T-7", "2026-02-13"}, {"T+0", "2026-02-24"}}, dates(got[:2]))
}

func TestSchedule_NilCalendarUsesCalendarDays(t *testing.T) {
	t.Parallel()
	got := escalation.Schedule(escalation.DefaultPolicy(), date(t, "2026-02-17"), nil)
	require.Equal(t, []dated{
		{"T-7", "2026-02-10"},
		{"T+0", "2026-02-17"},
		{"T+3", "2026-02-20"},
		{"T+7", "2026-02-24"},
		{"T+14", "2026-03-03"},
	}, dates(got[:5]))
}

func TestSchedule_WithoutRepeats(t *testing.T) {
	t.Parallel()
	p := escalation.DefaultPolicy()
	p.RepeatEveryDays, p.MaxRepeats = 0, 0
	got := escalation.Schedule(p, date(t, "2025-06-30"), calendar.Default())
	require.Equal(t, []string{"T-7", "T+0", "T+3", "T+7"}, keys(got))
	require.Empty(t, escalation.Schedule(escalation.Policy{}, date(t, "2025-06-30"), nil))
}

func keys(ps []escalation.Planned) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.Key
	}
	return out
}

func TestSchedule_EveryDueDate2020To2035(t *testing.T) {
	t.Parallel()
	cal := calendar.Default()
	policy := escalation.DefaultPolicy()
	for d := date(t, "2020-01-01"); d.Year <= 2035; d = d.AddDays(1) {
		due := cal.Adjust(d)
		got := escalation.Schedule(policy, due, cal)
		require.Len(t, got, 16, "due %s", due)
		seen := map[string]bool{}
		for i, p := range got {
			require.True(t, cal.IsWorkingDay(p.Date), "due %s: %s on %s", due, p.Key, p.Date)
			require.False(t, seen[p.Key], "due %s: duplicate key %s", due, p.Key)
			seen[p.Key] = true
			if i > 0 {
				require.True(t, p.Date.After(got[i-1].Date), "due %s: %s not after %s", due, p.Key, got[i-1].Key)
			}
			switch {
			case p.OffsetDays < 0:
				require.True(t, p.Date.Before(due), "due %s: %s", due, p.Key)
			case p.OffsetDays == 0:
				require.Equal(t, due, p.Date)
			default:
				require.False(t, p.Date.Before(p.Nominal), "due %s: %s", due, p.Key)
			}
			require.LessOrEqual(t, abs(p.Date.DaysSince(p.Nominal)), 14, "due %s: %s", due, p.Key)
		}
	}
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

func TestPlanned_IdempotencyKey(t *testing.T) {
	t.Parallel()
	got := escalation.Schedule(escalation.DefaultPolicy(), date(t, "2023-06-30"), calendar.Default())
	require.Equal(t, "plan/42/unit/7/cycle/2023/reminder/T-7", got[0].IdempotencyKey("plan/42/unit/7/cycle/2023"))
	require.Equal(t, "plan/42/unit/7/cycle/2023/escalation/T+14", got[4].IdempotencyKey("plan/42/unit/7/cycle/2023"))
	require.Equal(t, "T-1", escalation.OffsetKey(-1))
	require.Equal(t, "T+0", escalation.OffsetKey(0))
}

func TestSchedule_ReturnsAudiencesTheCallerMayModify(t *testing.T) {
	t.Parallel()
	p := escalation.DefaultPolicy()
	got := escalation.Schedule(p, date(t, "2025-06-30"), nil)
	got[0].Audiences[0] = escalation.AudienceStandingCommittee
	require.Equal(t, escalation.AudienceUnit, p.Steps[0].Audiences[0])
}

func TestNext_WalksTheScheduleOneStepAtATime(t *testing.T) {
	t.Parallel()
	cal := calendar.Default()
	policy := escalation.DefaultPolicy()
	for _, due := range []string{"2025-03-31", "2026-02-12", "2026-02-24"} {
		want := escalation.Schedule(policy, date(t, due), cal)
		var walked []escalation.Planned
		after := date(t, due).AddDays(-30)
		for {
			p, ok := escalation.Next(policy, date(t, due), cal, after)
			if !ok {
				break
			}
			walked = append(walked, p)
			after = p.Date
		}
		require.Equal(t, want, walked, "due %s", due)
	}
}

func TestNext_StrictlyAfterTheGivenDate(t *testing.T) {
	t.Parallel()
	cal := calendar.Default()
	policy := escalation.DefaultPolicy()
	due := date(t, "2025-06-30")

	p, ok := escalation.Next(policy, due, cal, date(t, "2025-06-23"))
	require.True(t, ok)
	require.Equal(t, "T+0", p.Key, "the T-7 of 23/6 is not after 23/6")

	p, ok = escalation.Next(policy, due, cal, date(t, "2025-06-22"))
	require.True(t, ok)
	require.Equal(t, "T-7", p.Key)

	_, ok = escalation.Next(policy, due, cal, date(t, "2025-09-29"))
	require.False(t, ok, "all repeats are done 91 days after the due date")
}

// The workflow of a unit report: due Monday 30/6/2025; T-7 (23/6) and T+0
// (30/6) have been sent. On Wednesday 2/7, before T+3, a leader extends the
// deadline to Tuesday 15/7.
func TestNext_DeadlineExtendedMidwayDoesNotReplanStepsAlreadySent(t *testing.T) {
	t.Parallel()
	cal := calendar.Default()
	policy := escalation.DefaultPolicy()
	sent := []string{"T-7", "T+0"}
	today := date(t, "2025-07-02")

	before, ok := escalation.Next(policy, date(t, "2025-06-30"), cal, today, sent...)
	require.True(t, ok)
	require.Equal(t, dated{"T+3", "2025-07-03"}, dated{before.Key, before.Date.String()})

	// Under the new deadline T-7 (8/7) and T+0 (15/7) are in the future
	// again, but they were sent: the next step is T+3 of the new deadline.
	newDue := date(t, "2025-07-15")
	after, ok := escalation.Next(policy, newDue, cal, today, sent...)
	require.True(t, ok)
	require.Equal(t, dated{"T+3", "2025-07-18"}, dated{after.Key, after.Date.String()})
	require.Equal(t, escalation.KindEscalation, after.Kind)

	// Had nothing been sent yet, the new T-7 would be planned.
	fresh, ok := escalation.Next(policy, newDue, cal, today)
	require.True(t, ok)
	require.Equal(t, dated{"T-7", "2025-07-08"}, dated{fresh.Key, fresh.Date.String()})
}

// The deadline is brought forward: due Tuesday 15/7/2025, nothing sent yet
// (T-7 would be 8/7). On Tuesday 1/7 a leader moves it to Friday 4/7: the new
// T-7 (27/6) is already past and is not sent late; the next step is T+0.
func TestNext_DeadlineBroughtForwardSkipsStepsInThePast(t *testing.T) {
	t.Parallel()
	cal := calendar.Default()
	policy := escalation.DefaultPolicy()
	today := date(t, "2025-07-01")

	p, ok := escalation.Next(policy, date(t, "2025-07-04"), cal, today)
	require.True(t, ok)
	require.Equal(t, dated{"T+0", "2025-07-04"}, dated{p.Key, p.Date.String()})

	// Moved to today itself: passing yesterday sends today's T+0 straight
	// away rather than skipping to T+3.
	p, ok = escalation.Next(policy, today, cal, today.AddDays(-1))
	require.True(t, ok)
	require.Equal(t, dated{"T+0", "2025-07-01"}, dated{p.Key, p.Date.String()})
	p, ok = escalation.Next(policy, today, cal, today)
	require.True(t, ok)
	require.Equal(t, "T+3", p.Key)
}

// A deadline moved into Tết: the caller adjusts it, and the ladder follows.
func TestNext_DeadlineMovedOntoTetIsAdjustedByTheCaller(t *testing.T) {
	t.Parallel()
	cal := calendar.Default()
	policy := escalation.DefaultPolicy()
	due := cal.Adjust(date(t, "2026-02-17"))
	require.Equal(t, date(t, "2026-02-24"), due)

	p, ok := escalation.Next(policy, due, cal, date(t, "2026-02-09"), "T-7")
	require.True(t, ok)
	require.Equal(t, dated{"T+0", "2026-02-24"}, dated{p.Key, p.Date.String()})
}
