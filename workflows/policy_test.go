package workflows_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"cascade/escalation"
	"cascade/workflows"
)

// ownLadder is a plan's own ladder: a reminder three days before, the
// standing committee told the day after, then twice more every three days.
func ownLadder() *escalation.Policy {
	return &escalation.Policy{
		Steps: []escalation.Step{
			{OffsetDays: -3, Audiences: []escalation.Audience{escalation.AudienceUnit}, Template: "reminder_before_due", Kind: escalation.KindReminder},
			{OffsetDays: 1, Audiences: []escalation.Audience{escalation.AudienceStandingCommittee}, Template: "escalation_standing_committee", Kind: escalation.KindEscalation},
		},
		RepeatEveryDays: 3,
		MaxRepeats:      2,
	}
}

func TestUnitReport_PlansOwnLadderReplacesTheDefault(t *testing.T) {
	env := newUnitReportEnv(t, at(t, "2025-10-15 09:30"))
	// Nobody reports; the report is waived a month after it is due, once the
	// plan's ladder is exhausted.
	env.RegisterDelayedCallback(func() {
		env.UpdateWorkflow(workflows.UpdateWaiveReport, "waive", callbacks(&updateOutcome{}), workflows.WaiveReportRequest{Reason: "miễn"})
	}, at(t, "2025-12-14 10:00").Sub(at(t, "2025-10-15 09:30")))
	in := unitReportInput("2025-11-14") // Friday
	in.Policy = ownLadder()

	env.ExecuteWorkflow(workflows.UnitReport, in)

	require.True(t, env.IsWorkflowCompleted())
	require.NoError(t, env.GetWorkflowError())
	require.Equal(t, []sentStep{
		{Key: scope + "/reminder/T-3", Template: "reminder_before_due", At: at(t, "2025-11-11 08:00")},
		{Key: scope + "/escalation/T+1", Template: "escalation_standing_committee", At: at(t, "2025-11-17 08:00")}, // Saturday 15/11 → Monday
		{Key: scope + "/escalation/T+4", Template: "escalation_standing_committee", At: at(t, "2025-11-18 08:00")},
		{Key: scope + "/escalation/T+7", Template: "escalation_standing_committee", At: at(t, "2025-11-21 08:00")},
	}, env.sent())
	require.Equal(t, []string{"standing_committee"}, env.notifyIn[1].Audiences)
}

func TestUnitReport_InvalidLadderFallsBackToTheDefault(t *testing.T) {
	env := newUnitReportEnv(t, at(t, "2025-10-20 10:00"))
	env.submitAt(t, at(t, "2025-11-10 15:00"), "on-time", validRequest())
	in := unitReportInput("2025-11-14")
	in.Policy = &escalation.Policy{} // no steps: refused by Validate

	env.ExecuteWorkflow(workflows.UnitReport, in)

	require.NoError(t, env.GetWorkflowError())
	require.Equal(t, []sentStep{{Key: scope + "/reminder/T-7", Template: "reminder_before_due", At: at(t, "2025-11-07 08:00")}}, env.sent())
}
