package activities_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"cascade/activities"
	"cascade/escalation"
	"cascade/store/storetest"
)

func TestLoadPlan_CarriesThePlansOwnLadderOnly(t *testing.T) {
	db := storetest.Open(t)
	f := newFixture(t, db)
	a := &activities.Activities{DB: db}

	spec, err := a.LoadPlan(t.Context(), f.planID)
	require.NoError(t, err)
	require.Nil(t, spec.Policy, "the default ladder is not copied into every unit's start")

	_, err = db.DB.ExecContext(t.Context(), `UPDATE plans SET escalation_policy =
	  '{"steps":[{"offset_days":-2,"audiences":["unit"],"template":"reminder_before_due","kind":"reminder"}],"repeat_every_days":0,"max_repeats":0}'
	  WHERE id = $1`, f.planID)
	require.NoError(t, err)
	spec, err = a.LoadPlan(t.Context(), f.planID)
	require.NoError(t, err)
	require.Equal(t, &escalation.Policy{Steps: []escalation.Step{
		{OffsetDays: -2, Audiences: []escalation.Audience{"unit"}, Template: "reminder_before_due", Kind: "reminder"},
	}}, spec.Policy)
}
