package calendar_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"cascade/calendar"
)

func TestTet_MatchesPublishedDates(t *testing.T) {
	t.Parallel()
	tests := []struct {
		year int
		want string
	}{
		{2021, "2021-02-12"},
		{2022, "2022-02-01"},
		{2023, "2023-01-22"},
		{2024, "2024-02-10"},
		{2025, "2025-01-29"},
		{2026, "2026-02-17"},
		{2027, "2027-02-06"},
		{2028, "2028-01-26"},
		{2029, "2029-02-13"},
		// The new moon is at 16:09 UT on 2 February 2030: 23:09 in Vietnam
		// but 00:09 on the 3rd in China, so Tết Canh Tuất is a day earlier
		// in Vietnam than Chinese New Year (2030-02-03).
		{2030, "2030-02-02"},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.year), func(t *testing.T) {
			t.Parallel()
			got := calendar.Tet(tt.year)
			require.Equal(t, date(t, tt.want), got)
			require.Equal(t, calendar.LunarDate{Year: tt.year, Month: 1, Day: 1}, calendar.ToLunar(got))
		})
	}
}

func TestTet_DiffersFromChineseNewYearInUTCPlus7Years(t *testing.T) {
	t.Parallel()
	// Chinese New Year: 1968-01-30, 1985-02-20, 2007-02-18.
	require.Equal(t, date(t, "1968-01-29"), calendar.Tet(1968))
	require.Equal(t, date(t, "1985-01-21"), calendar.Tet(1985))
	require.Equal(t, date(t, "2007-02-17"), calendar.Tet(2007))
}

func TestFromLunar_HungKingsDay(t *testing.T) {
	t.Parallel()
	tests := map[int]string{
		2021: "2021-04-21",
		2022: "2022-04-10",
		2023: "2023-04-29", // after the leap second month
		2024: "2024-04-18",
		2025: "2025-04-07",
		2026: "2026-04-26",
	}
	for year := 2021; year <= 2026; year++ {
		got, err := calendar.FromLunar(calendar.LunarDate{Year: year, Month: 3, Day: 10})
		require.NoError(t, err)
		require.Equal(t, date(t, tests[year]), got, "year %d", year)
	}
}

func TestToLunar_KnownDates(t *testing.T) {
	t.Parallel()
	tests := []struct {
		solar string
		want  calendar.LunarDate
	}{
		{"2020-05-23", calendar.LunarDate{Year: 2020, Month: 4, Day: 1, Leap: true}},
		{"2023-03-22", calendar.LunarDate{Year: 2023, Month: 2, Day: 1, Leap: true}},
		{"2023-02-20", calendar.LunarDate{Year: 2023, Month: 2, Day: 1}},
		{"2024-09-17", calendar.LunarDate{Year: 2024, Month: 8, Day: 15}},
		{"2025-07-25", calendar.LunarDate{Year: 2025, Month: 6, Day: 1, Leap: true}},
		{"2025-10-06", calendar.LunarDate{Year: 2025, Month: 8, Day: 15}},
		// Days before Tết belong to the previous lunar year.
		{"2025-01-28", calendar.LunarDate{Year: 2024, Month: 12, Day: 29}},
		{"2024-02-09", calendar.LunarDate{Year: 2023, Month: 12, Day: 30}},
		{"2021-06-08", calendar.LunarDate{Year: 2021, Month: 4, Day: 28}},
	}
	for _, tt := range tests {
		t.Run(tt.solar, func(t *testing.T) {
			t.Parallel()
			require.Equal(t, tt.want, calendar.ToLunar(date(t, tt.solar)))
		})
	}
}

func TestLunar_RoundTripsEveryDay1900To2199(t *testing.T) {
	t.Parallel()
	d := date(t, "1900-02-01")
	end := date(t, "2199-12-31")
	prev := calendar.ToLunar(d.AddDays(-1))
	for ; !d.After(end); d = d.AddDays(1) {
		l := calendar.ToLunar(d)
		back, err := calendar.FromLunar(l)
		require.NoError(t, err, "%s -> %s", d, l)
		require.Equal(t, d, back, "%s -> %s", d, l)
		// Consecutive days are consecutive lunar days, or day 1 of a month
		// after day 29 or 30.
		if l.Day == 1 {
			require.Contains(t, []int{29, 30}, prev.Day, "%s", d)
		} else {
			require.Equal(t, prev.Day+1, l.Day, "%s", d)
		}
		prev = l
	}
}

func TestFromLunar_RejectsDatesThatDoNotExist(t *testing.T) {
	t.Parallel()
	tests := []calendar.LunarDate{
		{Year: 2024, Month: 2, Day: 1, Leap: true},    // 2024 has no leap month
		{Year: 2023, Month: 3, Day: 1, Leap: true},    // 2023's leap month is 2
		{Year: 2024, Month: 12, Day: 30, Leap: false}, // tháng Chạp Giáp Thìn has 29 days
		{Year: 2025, Month: 13, Day: 1},
		{Year: 2025, Month: 1, Day: 0},
	}
	for _, l := range tests {
		_, err := calendar.FromLunar(l)
		require.Error(t, err, l.String())
	}
}
