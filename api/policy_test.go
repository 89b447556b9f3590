package api_test

import (
	"encoding/json"
	"net/http"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"

	"cascade/escalation"
	"cascade/plans"
)

func TestPlanPolicy_AnOwnLadderIsSavedAndABadOneRefusedAtItsFields(t *testing.T) {
	srv, db, root, _ := newServerWithAdmin(t)
	_, p, _ := importDoc(t, srv.URL, root.ID, "plan-321-KH-BTV.txt", readFixture(t, "plan-321-KH-BTV.txt"))
	path := srv.URL + "/api/v1/plans/" + strconv.FormatInt(p.ID, 10)
	require.Equal(t, escalation.DefaultPolicy(), *p.EscalationPolicy, "a plan without a ladder of its own reads the default")

	own := escalation.Policy{
		Steps: []escalation.Step{
			{OffsetDays: -10, Audiences: []escalation.Audience{"unit"}, Template: "reminder_before_due", Kind: "reminder"},
			{OffsetDays: 5, Audiences: []escalation.Audience{"unit_leader", "standing_committee"}, Template: "escalation_unit_leader", Kind: "escalation"},
		},
		RepeatEveryDays: 14, MaxRepeats: 3,
	}
	p.EscalationPolicy = &own
	body, _ := json.Marshal(p)
	status, _, raw := do(t, "PUT", path, string(body))
	require.Equal(t, http.StatusOK, status, "%s", raw)
	var saved plans.Plan
	require.NoError(t, json.Unmarshal(raw, &saved))
	require.Equal(t, own, *saved.EscalationPolicy)

	// Offsets out of order, no audience, an unknown template and a repeat
	// without a cap: every problem named at its field, in both languages,
	// and the plan keeps the ladder it had.
	p.EscalationPolicy = &escalation.Policy{
		Steps: []escalation.Step{
			{OffsetDays: 3, Audiences: []escalation.Audience{"unit"}, Template: "reminder_due_today", Kind: "reminder"},
			{OffsetDays: 3, Template: "thư mới", Kind: "escalation"},
		},
		RepeatEveryDays: 7,
	}
	body, _ = json.Marshal(p)
	status, e, raw := do(t, "PUT", path, string(body))
	require.Equal(t, http.StatusUnprocessableEntity, status, "%s", raw)
	for _, f := range []string{
		"escalation_policy.steps[1].offset_days", "escalation_policy.steps[1].audiences",
		"escalation_policy.steps[1].template", "escalation_policy.max_repeats",
	} {
		require.NotEmpty(t, e.Error.Fields[f], "field %s in %s", f, raw)
		require.NotEmpty(t, e.Error.FieldsEn[f], "field %s in %s", f, raw)
	}
	require.Len(t, e.Error.Fields, 4)
	var stored string
	require.NoError(t, db.DB.QueryRowContext(t.Context(), `SELECT escalation_policy::text FROM plans WHERE id = $1`, p.ID).Scan(&stored))
	var back escalation.Policy
	require.NoError(t, json.Unmarshal([]byte(stored), &back))
	require.Equal(t, own, back)

	// Back to the default ladder: stored as none of its own.
	p.EscalationPolicy = nil
	body, _ = json.Marshal(p)
	status, _, raw = do(t, "PUT", path, string(body))
	require.Equal(t, http.StatusOK, status, "%s", raw)
	require.Equal(t, 1, count(t, db, `SELECT count(*) FROM plans WHERE id = `+strconv.FormatInt(p.ID, 10)+` AND escalation_policy IS NULL`))
}
