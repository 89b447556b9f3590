package escalation_test

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/stretchr/testify/require"

	"cascade/escalation"
)

func TestDefaultPolicy_IsValidAndFollowsTheDesign(t *testing.T) {
	t.Parallel()
	p := escalation.DefaultPolicy()
	require.NoError(t, p.Validate())
	require.Equal(t, 7, p.RepeatEveryDays)
	require.Equal(t, 12, p.MaxRepeats)

	offsets := make([]int, len(p.Steps))
	for i, s := range p.Steps {
		offsets[i] = s.OffsetDays
	}
	require.Equal(t, []int{-7, 0, 3, 7}, offsets)
	require.Equal(t, []escalation.Audience{escalation.AudienceUnit}, p.Steps[0].Audiences)
	require.Equal(t, []escalation.Audience{escalation.AudienceUnitLeader}, p.Steps[2].Audiences)
	require.Equal(t, []escalation.Audience{escalation.AudienceSupervisingBoard, escalation.AudienceStandingCommittee}, p.Steps[3].Audiences)
}

func TestDefaultPolicy_ReturnsAFreshValue(t *testing.T) {
	t.Parallel()
	p := escalation.DefaultPolicy()
	p.Steps[0].Audiences[0] = escalation.AudienceStandingCommittee
	require.Equal(t, escalation.AudienceUnit, escalation.DefaultPolicy().Steps[0].Audiences[0])
}

func TestPolicy_JSONRoundTrip(t *testing.T) {
	t.Parallel()
	b, err := json.Marshal(escalation.DefaultPolicy())
	require.NoError(t, err)
	require.JSONEq(t, `{
		"steps": [
			{"offset_days": -7, "audiences": ["unit"], "template": "reminder_before_due", "kind": "reminder"},
			{"offset_days": 0, "audiences": ["unit"], "template": "reminder_due_today", "kind": "reminder"},
			{"offset_days": 3, "audiences": ["unit_leader"], "template": "escalation_unit_leader", "kind": "escalation"},
			{"offset_days": 7, "audiences": ["supervising_board", "standing_committee"], "template": "escalation_standing_committee", "kind": "escalation"}
		],
		"repeat_every_days": 7,
		"max_repeats": 12
	}`, string(b))

	var back escalation.Policy
	require.NoError(t, json.Unmarshal(b, &back))
	require.Equal(t, escalation.DefaultPolicy(), back)
}

func TestPolicy_ValidateListsEveryProblem(t *testing.T) {
	t.Parallel()
	p := escalation.Policy{
		Steps: []escalation.Step{
			{OffsetDays: 0, Audiences: []escalation.Audience{"unit", "boss", "unit"}, Template: "reminder_due_today", Kind: "reminder"},
			{OffsetDays: 0, Template: " ", Kind: "nag"},
			{OffsetDays: 400, Audiences: []escalation.Audience{"standing_committee"}, Template: "x", Kind: "escalation"},
		},
		RepeatEveryDays: 7,
		MaxRepeats:      -1,
	}
	err := p.Validate()
	var verr *escalation.ValidationError
	require.True(t, errors.As(err, &verr))
	fields := make([]string, len(verr.Problems))
	for i, pr := range verr.Problems {
		fields[i] = pr.Field
	}
	require.Equal(t, []string{
		"steps[0].audiences[1]",
		"steps[0].audiences[2]",
		"steps[1].offset_days",
		"steps[1].audiences",
		"steps[1].template",
		"steps[1].kind",
		"steps[2].offset_days",
		"max_repeats",
	}, fields)
	require.Contains(t, err.Error(), `steps[0].audiences[1]: unknown audience "boss"`)
	require.Contains(t, err.Error(), `steps[1].offset_days: must be greater than steps[0].offset_days (0), got 0`)
}

func TestPolicy_ValidateRepeats(t *testing.T) {
	t.Parallel()
	step := escalation.Step{OffsetDays: 0, Audiences: []escalation.Audience{escalation.AudienceUnit}, Template: "t", Kind: escalation.KindReminder}
	tests := []struct {
		name         string
		every, max   int
		wantProblems []string
	}{
		{"no repeats", 0, 0, nil},
		{"weekly", 7, 12, nil},
		{"repeats without a cap", 7, 0, []string{"max_repeats"}},
		{"a cap without repeats", 0, 3, []string{"max_repeats"}},
		{"negative interval", -7, 3, []string{"repeat_every_days"}},
		{"cap too high", 1, 1000, []string{"max_repeats"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := escalation.Policy{Steps: []escalation.Step{step}, RepeatEveryDays: tt.every, MaxRepeats: tt.max}.Validate()
			if tt.wantProblems == nil {
				require.NoError(t, err)
				return
			}
			var verr *escalation.ValidationError
			require.True(t, errors.As(err, &verr))
			var fields []string
			for _, p := range verr.Problems {
				fields = append(fields, p.Field)
			}
			require.Equal(t, tt.wantProblems, fields)
		})
	}
}

func TestPolicy_ValidateRequiresSteps(t *testing.T) {
	t.Parallel()
	err := escalation.Policy{}.Validate()
	require.EqualError(t, err, "invalid escalation policy: steps: at least one step is required")
}

func TestPolicy_IsDefault(t *testing.T) {
	t.Parallel()
	require.True(t, escalation.DefaultPolicy().IsDefault())
	p := escalation.DefaultPolicy()
	p.MaxRepeats = 3
	require.False(t, p.IsDefault())
}
