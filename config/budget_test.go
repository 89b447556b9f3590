package config_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"cascade/config"
)

func TestSplitBudget_NeverMoreThanTheSettingAndEveryPoolUsable(t *testing.T) {
	for total := config.MinServeConns; total <= 400; total++ {
		b, err := config.SplitBudget(total, true)
		require.NoError(t, err)
		require.LessOrEqual(t, b.Total(), total, "budget %d split as %+v", total, b)
		require.GreaterOrEqual(t, b.Total(), total-config.TemporalServices, "budget %d: little left unused (%+v)", total, b)
		require.GreaterOrEqual(t, b.App, 4)
		require.GreaterOrEqual(t, b.TemporalMain, 2)
		require.GreaterOrEqual(t, b.TemporalVisibility, 2)
		require.Equal(t, config.GuardConns, b.Guard)
	}
	b, err := config.SplitBudget(40, true)
	require.NoError(t, err)
	require.Equal(t, config.Budget{App: 9, TemporalMain: 5, TemporalVisibility: 2, Guard: 2}, b)
}

func TestSplitBudget_TooSmallForServeIsRefusedWithTheMinimum(t *testing.T) {
	_, err := config.SplitBudget(config.MinServeConns-1, true)
	require.ErrorContains(t, err, "at least 22")
	b, err := config.SplitBudget(5, false)
	require.NoError(t, err)
	require.Equal(t, config.Budget{App: 5}, b, "api and worker: all of it is Cascade's")
}
