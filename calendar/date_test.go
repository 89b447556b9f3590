package calendar_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"cascade/calendar"
)

func date(t *testing.T, s string) calendar.Date {
	t.Helper()
	d, err := calendar.ParseDate(s)
	require.NoError(t, err)
	return d
}

func TestDate_ArithmeticMatchesTimePackage(t *testing.T) {
	t.Parallel()
	start := time.Date(1899, 12, 25, 0, 0, 0, 0, time.UTC)
	base := calendar.DateOf(start)
	for i := -800; i < 100_000; i += 7 {
		want := start.AddDate(0, 0, i)
		got := base.AddDays(i)
		require.Equal(t, calendar.DateOf(want), got)
		require.Equal(t, want.Weekday(), got.Weekday(), got.String())
		require.Equal(t, i, got.DaysSince(base))
		require.True(t, want.Equal(got.Time()))
	}
}

func TestDate_NewDateNormalises(t *testing.T) {
	t.Parallel()
	require.Equal(t, date(t, "2024-03-01"), calendar.NewDate(2024, 2, 30))
	require.Equal(t, date(t, "2023-12-31"), calendar.NewDate(2024, 1, 0))
}

func TestDate_InVietnamUsesUTCPlus7(t *testing.T) {
	t.Parallel()
	// 17:30 UTC is already the next day in Vietnam.
	instant := time.Date(2025, 1, 28, 17, 30, 0, 0, time.UTC)
	require.Equal(t, date(t, "2025-01-29"), calendar.InVietnam(instant))
	require.Equal(t, date(t, "2025-01-28"), calendar.DateOf(instant))
	require.Equal(t, time.Date(2025, 1, 29, 1, 0, 0, 0, time.UTC),
		date(t, "2025-01-29").At(8, 0, calendar.Vietnam).UTC())
}

func TestDate_CompareAndZero(t *testing.T) {
	t.Parallel()
	a, b := date(t, "2025-04-30"), date(t, "2025-05-01")
	require.True(t, a.Before(b))
	require.True(t, b.After(a))
	require.Equal(t, 0, a.Compare(a))
	require.True(t, calendar.Date{}.IsZero())
	require.False(t, a.IsZero())
}

func TestDate_JSONIsISOString(t *testing.T) {
	t.Parallel()
	b, err := json.Marshal(struct {
		Due calendar.Date `json:"due"`
	}{date(t, "2021-06-08")})
	require.NoError(t, err)
	require.JSONEq(t, `{"due":"2021-06-08"}`, string(b))

	var got struct {
		Due calendar.Date `json:"due"`
	}
	require.NoError(t, json.Unmarshal(b, &got))
	require.Equal(t, date(t, "2021-06-08"), got.Due)
	require.Error(t, json.Unmarshal([]byte(`{"due":"08/6/2021"}`), &got))
}
