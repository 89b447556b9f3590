package reports_test

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/require"

	"cascade/reports"
)

func f(v float64) *float64 { return &v }

func TestValidate_ListsEveryProblemByField(t *testing.T) {
	err := reports.Validate([]reports.Value{
		{TargetID: 1, Value: f(-3)},
		{TargetID: 2, Numerator: f(5), Denominator: f(4)},
		{TargetID: 2, Value: f(1)},
		{TargetID: 3},
	})
	var ps reports.Problems
	require.True(t, errors.As(err, &ps))
	fields := []string{}
	for _, p := range ps {
		fields = append(fields, p.Field)
		require.NotEmpty(t, p.Message)
		require.NotEmpty(t, p.MessageEn)
	}
	require.Equal(t, []string{"values[0].value", "values[1].numerator", "values[2].target_id", "values[3].value"}, fields)
}

func TestValidate_AcceptsCountsAndRatios(t *testing.T) {
	require.NoError(t, reports.Validate([]reports.Value{
		{TargetID: 1, Value: f(2700)},
		{TargetID: 2, Numerator: f(85), Denominator: f(100)},
		{TargetID: 3, Value: f(0)},
	}))
	require.Error(t, reports.Validate(nil))
}
