package calendar_test

import (
	"encoding/json"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"cascade/calendar"
)

func newCalendar(t *testing.T, cfg calendar.Config) *calendar.Calendar {
	t.Helper()
	c, err := calendar.New(cfg)
	require.NoError(t, err)
	return c
}

type dayOff struct {
	date string
	kind calendar.HolidayKind
}

func daysOff(hs []calendar.Holiday) []dayOff {
	out := make([]dayOff, len(hs))
	for i, h := range hs {
		out[i] = dayOff{h.Date.String(), h.Kind}
	}
	return out
}

func TestHolidays_2023GivesCompensatoryDaysForWeekendHolidays(t *testing.T) {
	t.Parallel()
	const (
		public = calendar.KindPublicHoliday
		comp   = calendar.KindCompensatory
	)
	want := []dayOff{
		{"2023-01-01", public}, // Sunday
		{"2023-01-02", comp},
		{"2023-01-21", public}, // 30 Tết, Saturday
		{"2023-01-22", public}, // mùng 1, Sunday
		{"2023-01-23", public},
		{"2023-01-24", public},
		{"2023-01-25", public},
		{"2023-01-26", public}, // mùng 5
		{"2023-01-27", comp},   // for 30 Tết
		{"2023-01-30", comp},   // for mùng 1, after the weekend
		{"2023-04-29", public}, // Hùng Kings, Saturday
		{"2023-04-30", public}, // Sunday
		{"2023-05-01", public},
		{"2023-05-02", comp}, // the published 2023 break was 29/4–3/5
		{"2023-05-03", comp},
		{"2023-09-01", public}, // the day beside National Day
		{"2023-09-02", public}, // Saturday
		{"2023-09-04", comp},   // the published 2023 break was 1/9–4/9
	}
	got := calendar.Default().Holidays(2023)
	require.Equal(t, want, daysOff(got))

	require.Equal(t, "Nghỉ bù Ngày Chiến thắng (30/4)", got[14].Name)
	require.Equal(t, "Compensatory day off for Reunification Day", got[14].NameEn)
	require.Equal(t, "Tết Nguyên đán (30 tháng Chạp)", got[2].Name)
	require.Equal(t, "Tết Nguyên đán (mùng 1)", got[3].Name)
}

func TestHolidays_TetStartsOn29WhenTheLastLunarMonthIsShort(t *testing.T) {
	t.Parallel()
	got := calendar.Default().Holidays(2025)
	require.Equal(t, date(t, "2025-01-28"), got[1].Date)
	require.Equal(t, "Tết Nguyên đán (29 tháng Chạp)", got[1].Name)
	require.Equal(t, date(t, "2025-02-02"), got[6].Date) // mùng 5, Sunday
	require.Equal(t, "Tết Nguyên đán (mùng 5)", got[6].Name)
	require.Equal(t, []dayOff{{"2025-02-03", calendar.KindCompensatory}, {"2025-02-04", calendar.KindCompensatory}},
		daysOff(got[7:9]))
}

func TestHolidays_EveryYearHasTheStatutoryDaysInOrder(t *testing.T) {
	t.Parallel()
	c := calendar.Default()
	for year := 2000; year <= 2100; year++ {
		hs := c.Holidays(year)
		var public int
		for i, h := range hs {
			require.Equal(t, year, h.Date.Year)
			if i > 0 {
				require.True(t, hs[i-1].Date.Before(h.Date), "%d: %s then %s", year, hs[i-1].Date, h.Date)
			}
			if h.Kind == calendar.KindPublicHoliday {
				public++
			} else {
				wd := h.Date.Weekday()
				require.NotContains(t, []time.Weekday{time.Saturday, time.Sunday}, wd, "%s", h.Date)
			}
			require.NotEmpty(t, h.Name)
			require.NotEmpty(t, h.NameEn)
		}
		// 1/1, six Tết days, Hùng Kings, 30/4, 1/5, 2/9 and its neighbour.
		require.Equal(t, 12, public, "year %d", year)
	}
}

func TestHolidays_ReturnsACopy(t *testing.T) {
	t.Parallel()
	c := calendar.Default()
	hs := c.Holidays(2026)
	hs[0].Name = "changed"
	require.Equal(t, "Tết Dương lịch", c.Holidays(2026)[0].Name)
}

func TestIsWorkingDay(t *testing.T) {
	t.Parallel()
	c := calendar.Default()
	tests := []struct {
		date string
		want bool
		why  string
	}{
		{"2026-02-13", true, "Friday before Tết"},
		{"2026-02-14", false, "Saturday"},
		{"2026-02-16", false, "29 Tết"},
		{"2026-02-17", false, "mùng 1"},
		{"2026-02-21", false, "mùng 5, Saturday"},
		{"2026-02-23", false, "compensatory day for mùng 5"},
		{"2026-02-24", true, "first working day after Tết"},
		{"2026-04-27", false, "compensatory day for Hùng Kings' day on Sunday"},
		{"2026-04-28", true, "Tuesday"},
		{"2026-09-01", false, "the day beside National Day"},
		{"2026-09-03", true, "the day after National Day"},
		{"2026-12-31", true, "Thursday"},
	}
	for _, tt := range tests {
		require.Equal(t, tt.want, c.IsWorkingDay(date(t, tt.date)), "%s: %s", tt.date, tt.why)
	}
}

func TestHolidayOn(t *testing.T) {
	t.Parallel()
	c := calendar.Default()
	h, ok := c.HolidayOn(date(t, "2025-04-07"))
	require.True(t, ok)
	require.Equal(t, "Giỗ Tổ Hùng Vương (10/3 âm lịch)", h.Name)
	require.Equal(t, calendar.KindPublicHoliday, h.Kind)
	_, ok = c.HolidayOn(date(t, "2025-04-05")) // a plain Saturday
	require.False(t, ok)
}

func TestNew_AdminDecreeOverridesTheRules(t *testing.T) {
	t.Parallel()
	// The 2025 decree for civil servants: Tết from Saturday 25/1 to Sunday 2/2
	// (Monday 27/1 added, no compensatory days after it), and 2/5 swapped
	// with Saturday 26/4.
	c := newCalendar(t, calendar.Config{
		ExtraDaysOff: []calendar.DayOff{
			{Date: date(t, "2025-01-27"), Name: "Nghỉ Tết Nguyên đán (theo Thông báo của Chính phủ)", NameEn: "Tết (government decree)"},
			{Date: date(t, "2025-05-02"), Name: "Nghỉ hoán đổi"},
		},
		ExtraWorkingDays: []calendar.WorkingDay{
			{Date: date(t, "2025-02-03"), Name: "Không nghỉ bù"},
			{Date: date(t, "2025-02-04"), Name: "Không nghỉ bù"},
			{Date: date(t, "2025-04-26"), Name: "Làm bù cho ngày 2/5"},
		},
	})
	for d := date(t, "2025-01-25"); !d.After(date(t, "2025-02-02")); d = d.AddDays(1) {
		require.False(t, c.IsWorkingDay(d), d.String())
	}
	require.True(t, c.IsWorkingDay(date(t, "2025-02-03")))
	require.True(t, c.IsWorkingDay(date(t, "2025-04-26")), "working Saturday")
	require.False(t, c.IsWorkingDay(date(t, "2025-05-02")))

	h, ok := c.HolidayOn(date(t, "2025-05-02"))
	require.True(t, ok)
	require.Equal(t, calendar.Holiday{Date: date(t, "2025-05-02"), Name: "Nghỉ hoán đổi", NameEn: "Nghỉ hoán đổi", Kind: calendar.KindExtra}, h)
	_, ok = c.HolidayOn(date(t, "2025-02-03"))
	require.False(t, ok, "an extra working day is not listed as a holiday")
}

func TestNew_TetSpanAndNationalDayAreConfigurable(t *testing.T) {
	t.Parallel()
	c := newCalendar(t, calendar.Config{
		Tet:                 calendar.TetSpan{DaysBefore: 2, LastDay: 3},
		NationalDayAdjacent: calendar.AdjacentAfter,
	})
	// Tết 2026 is Tuesday 17/2: off from Sunday 15/2 (28 Tết) to Thursday
	// 19/2 (mùng 3); Sunday 28 Tết gives Friday 20/2.
	require.True(t, c.IsWorkingDay(date(t, "2026-02-13")))
	for _, s := range []string{"2026-02-15", "2026-02-16", "2026-02-19", "2026-02-20"} {
		require.False(t, c.IsWorkingDay(date(t, s)), s)
	}
	require.True(t, c.IsWorkingDay(date(t, "2026-02-23")))
	require.True(t, c.IsWorkingDay(date(t, "2026-09-01")))
	require.False(t, c.IsWorkingDay(date(t, "2026-09-03")))

	noEve := newCalendar(t, calendar.Config{Tet: calendar.TetSpan{DaysBefore: 0, LastDay: 5}})
	require.True(t, noEve.IsWorkingDay(date(t, "2026-02-16")))
}

func TestConfig_ValidateListsEveryProblem(t *testing.T) {
	t.Parallel()
	d := date(t, "2025-05-02")
	_, err := calendar.New(calendar.Config{
		Tet:                 calendar.TetSpan{DaysBefore: -1, LastDay: 20},
		NationalDayAdjacent: "both",
		ExtraDaysOff: []calendar.DayOff{
			{Date: d, Name: "Nghỉ hoán đổi"},
			{Date: d, Name: " "},
			{Name: "no date"},
		},
		ExtraWorkingDays: []calendar.WorkingDay{{Date: d}, {}},
	})
	var verr *calendar.ValidationError
	require.True(t, errors.As(err, &verr))
	require.Equal(t, []string{
		"tet.days_before",
		"tet.last_day",
		"national_day_adjacent",
		"extra_days_off[1].date",
		"extra_days_off[1].name",
		"extra_days_off[2].date",
		"extra_working_days[0].date",
		"extra_working_days[1].date",
	}, fields(verr.Problems))
	require.Contains(t, err.Error(), "extra_working_days[0].date: 2025-05-02 is also extra_days_off[0]")
}

func fields(ps []calendar.Problem) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.Field
	}
	return out
}

func TestConfig_JSONRoundTrip(t *testing.T) {
	t.Parallel()
	const in = `{
		"tet": {"days_before": 1, "last_day": 4},
		"national_day_adjacent": "after",
		"extra_days_off": [{"date": "2025-05-02", "name": "Nghỉ hoán đổi", "name_en": "Swapped day off"}],
		"extra_working_days": [{"date": "2025-04-26", "name": "Làm bù"}]
	}`
	var cfg calendar.Config
	require.NoError(t, json.Unmarshal([]byte(in), &cfg))
	require.NoError(t, cfg.Validate())
	require.Equal(t, date(t, "2025-05-02"), cfg.ExtraDaysOff[0].Date)
	out, err := json.Marshal(cfg)
	require.NoError(t, err)
	require.JSONEq(t, in, string(out))
}

func TestNextWorkingDayAndAdjust(t *testing.T) {
	t.Parallel()
	c := calendar.Default()
	tests := []struct{ in, want string }{
		{"2026-02-12", "2026-02-12"}, // a working Thursday stays
		{"2026-02-14", "2026-02-24"}, // Saturday before Tết: after Tết and its compensatory day
		{"2026-02-17", "2026-02-24"},
		{"2026-04-25", "2026-04-28"}, // weekend then Hùng Kings' compensatory Monday
		{"2026-05-01", "2026-05-04"},
	}
	for _, tt := range tests {
		require.Equal(t, date(t, tt.want), c.NextWorkingDay(date(t, tt.in)), tt.in)
		require.Equal(t, date(t, tt.want), c.Adjust(date(t, tt.in)), tt.in)
	}
	require.Equal(t, date(t, "2026-02-13"), c.PreviousWorkingDay(date(t, "2026-02-23")))
}

func TestAddWorkingDays(t *testing.T) {
	t.Parallel()
	c := calendar.Default()
	tests := []struct {
		from string
		n    int
		want string
	}{
		{"2026-02-12", 0, "2026-02-12"},
		{"2026-02-14", 0, "2026-02-24"}, // zero days is Adjust
		{"2026-02-12", 1, "2026-02-13"},
		{"2026-02-12", 2, "2026-02-24"}, // over Tết
		{"2026-02-12", 7, "2026-03-03"},
		{"2026-02-17", 1, "2026-02-24"}, // from a day off: the first working day after it
		{"2026-02-24", -1, "2026-02-13"},
		{"2026-02-21", -2, "2026-02-12"},
	}
	for _, tt := range tests {
		require.Equal(t, date(t, tt.want), c.AddWorkingDays(date(t, tt.from), tt.n), "%s %+d", tt.from, tt.n)
	}
}

func TestAdjust_AlwaysAWorkingDayWithinTwoWeeks2020To2035(t *testing.T) {
	t.Parallel()
	c := calendar.Default()
	var longest int
	for d := date(t, "2020-01-01"); d.Year <= 2035; d = d.AddDays(1) {
		got := c.Adjust(d)
		require.True(t, c.IsWorkingDay(got), "%s -> %s", d, got)
		require.False(t, got.Before(d), "%s -> %s", d, got)
		require.LessOrEqual(t, got.DaysSince(d), 14, "%s -> %s", d, got)
		require.Equal(t, got, c.Adjust(got), "Adjust is idempotent")
		if c.IsWorkingDay(d) {
			require.Equal(t, d, got)
		}
		// Every day between d and its adjustment is a day off.
		for x := d; x.Before(got); x = x.AddDays(1) {
			require.False(t, c.IsWorkingDay(x), "%s skipped working day %s", d, x)
		}
		longest = max(longest, got.DaysSince(d))

		// Three working days on and back again is d, or the working day
		// before it when d is a day off.
		back := c.AddWorkingDays(c.AddWorkingDays(d, 3), -3)
		require.Equal(t, c.PreviousWorkingDay(d), back, "%s", d)
	}
	// The longest run of days off (Tết with weekends and compensatory days).
	require.GreaterOrEqual(t, longest, 8)
}

func TestCalendar_SafeForConcurrentUse(t *testing.T) {
	t.Parallel()
	c := calendar.Default()
	var wg sync.WaitGroup
	results := make([][]calendar.Holiday, 8)
	for i := range results {
		wg.Go(func() { results[i] = c.Holidays(2027) })
	}
	wg.Wait()
	for _, r := range results {
		require.Equal(t, results[0], r)
	}
}

func TestNew_EqualConfigsShareOneCalendar(t *testing.T) {
	friday := calendar.Date{Year: 2027, Month: time.March, Day: 12} // an ordinary Friday
	off := calendar.Config{ExtraDaysOff: []calendar.DayOff{{Date: friday, Name: "Nghỉ theo quyết định"}}}
	a, err := calendar.New(off)
	require.NoError(t, err)
	b, err := calendar.New(calendar.Config{ExtraDaysOff: append([]calendar.DayOff{}, off.ExtraDaysOff...)})
	require.NoError(t, err)
	require.Same(t, a, b, "10,000 reports on one calendar hold one memo of its holidays")
	statutory, err := calendar.New(calendar.Config{})
	require.NoError(t, err)
	require.NotSame(t, a, statutory)
	require.False(t, a.IsWorkingDay(friday))
	require.True(t, statutory.IsWorkingDay(friday))
}
