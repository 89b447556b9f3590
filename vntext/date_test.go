package vntext_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"cascade/vntext"
)

func day(y int, m time.Month, d int) vntext.Date { return vntext.Date{Year: y, Month: m, Day: d} }

func TestParsePeriod_ReadsVietnameseDateExpressions(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want vntext.Period
	}{
		{"ngày 08 tháng 6 năm 2021", vntext.Period{Start: day(2021, 6, 8), End: day(2021, 6, 8), Granularity: vntext.Day}},
		{"Ngày 8 tháng 06 năm 2021", vntext.Period{Start: day(2021, 6, 8), End: day(2021, 6, 8), Granularity: vntext.Day}},
		{"08/6/2021", vntext.Period{Start: day(2021, 6, 8), End: day(2021, 6, 8), Granularity: vntext.Day}},
		{"8/6/2021", vntext.Period{Start: day(2021, 6, 8), End: day(2021, 6, 8), Granularity: vntext.Day}},
		{"08-06-2021", vntext.Period{Start: day(2021, 6, 8), End: day(2021, 6, 8), Granularity: vntext.Day}},
		{"ngày 21/12/2020", vntext.Period{Start: day(2020, 12, 21), End: day(2020, 12, 21), Granularity: vntext.Day}},
		{"trước ngày 30/4/2022", vntext.Period{Start: day(2022, 4, 30), End: day(2022, 4, 30), Granularity: vntext.Day, Relation: vntext.Before}},
		{"chậm nhất ngày 15/11/2023.", vntext.Period{Start: day(2023, 11, 15), End: day(2023, 11, 15), Granularity: vntext.Day, Relation: vntext.By}},
		{"quý IV năm 2023", vntext.Period{Start: day(2023, 10, 1), End: day(2023, 12, 31), Granularity: vntext.Quarter}},
		{"quý 2/2022", vntext.Period{Start: day(2022, 4, 1), End: day(2022, 6, 30), Granularity: vntext.Quarter}},
		{"tháng 6 năm 2021", vntext.Period{Start: day(2021, 6, 1), End: day(2021, 6, 30), Granularity: vntext.Month}},
		{"tháng 2/2024", vntext.Period{Start: day(2024, 2, 1), End: day(2024, 2, 29), Granularity: vntext.Month}},
		{"năm 2021", vntext.Period{Start: day(2021, 1, 1), End: day(2021, 12, 31), Granularity: vntext.Year}},
		{"6 tháng đầu năm 2022", vntext.Period{Start: day(2022, 1, 1), End: day(2022, 6, 30), Granularity: vntext.HalfYear}},
		{"sáu tháng cuối năm 2022", vntext.Period{Start: day(2022, 7, 1), End: day(2022, 12, 31), Granularity: vntext.HalfYear}},
		{"từ tháng 7 năm 2022", vntext.Period{Start: day(2022, 7, 1), End: day(2022, 7, 31), Granularity: vntext.Month, Relation: vntext.From}},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := vntext.ParsePeriod(tt.in)
			require.NoError(t, err)
			require.Equal(t, tt.want, got)
		})
	}
}

func TestParseDate_RejectsImpossibleAndPartialDates(t *testing.T) {
	t.Parallel()
	for _, in := range []string{"", "30/2/2022", "32/1/2022", "8/13/2021", "08/6", "năm 2021", "quý V năm 2023", "08/6/21", "ngày mai", "1/2-2022"} {
		_, err := vntext.ParseDate(in)
		require.ErrorIs(t, err, vntext.ErrNotDate, in)
	}
	d, err := vntext.ParseDate("trước ngày 30/4/2022")
	require.NoError(t, err)
	require.Equal(t, day(2022, 4, 30), d)
}

func TestFindDates_FindsEveryExpressionInOrder(t *testing.T) {
	t.Parallel()
	s := "Thực hiện Chương trình hành động số 08-CTr/TU ngày 21/12/2020 của Tỉnh ủy; báo cáo trước ngày 30/4/2022, sơ kết trong quý IV năm 2023, nhiệm kỳ 2020 – 2025, Covid-19."
	ms := vntext.FindDates(s)
	require.Len(t, ms, 3)
	require.Equal(t, "ngày 21/12/2020", ms[0].Text)
	require.Equal(t, "trước ngày 30/4/2022", ms[1].Text)
	require.Equal(t, vntext.Before, ms[1].Relation)
	require.Equal(t, day(2022, 4, 30), ms[1].Due())
	require.Equal(t, "quý IV năm 2023", ms[2].Text)
	require.Equal(t, day(2023, 12, 31), ms[2].Due())
	for _, m := range ms {
		require.Equal(t, m.Text, s[m.Start:m.End])
	}
}

func TestDate_FormatsAndMarshals(t *testing.T) {
	t.Parallel()
	d := day(2021, 6, 8)
	require.Equal(t, "08/06/2021", vntext.FormatDate(d.Time()))
	require.Equal(t, "ngày 08 tháng 6 năm 2021", vntext.FormatDateLong(d.Time()))
	require.Equal(t, "ngày 05 tháng 02 năm 2022", vntext.FormatDateLong(day(2022, 2, 5).Time()))
	b, err := json.Marshal(d)
	require.NoError(t, err)
	require.JSONEq(t, `"2021-06-08"`, string(b))
	var back vntext.Date
	require.NoError(t, json.Unmarshal(b, &back))
	require.Equal(t, d, back)
	require.Equal(t, day(2021, 7, 1), day(2021, 6, 30).AddDays(1))
	require.True(t, day(2021, 6, 8).Before(day(2021, 6, 9)))
	require.Equal(t, day(2024, 3, 1), vntext.NewDate(2024, 2, 30))
}

func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"ngày 08 tháng 6 năm 2021", "08/6/2021", "8/6/2021", "trước ngày 30/4/2022",
		"quý IV năm 2023", "tháng 6 năm 2021", "năm 2021", "30/2/2022", "ngày 99 tháng 99 năm 9999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := vntext.ParseDate(s)
		if err == nil && (d.Month < 1 || d.Month > 12 || d.Day < 1 || d.Day > 31) {
			t.Fatalf("ParseDate(%q) = %+v", s, d)
		}
		if p, err := vntext.ParsePeriod(s); err == nil && p.End.Before(p.Start) {
			t.Fatalf("ParsePeriod(%q) ends before it starts: %+v", s, p)
		}
	})
}

func FuzzFindDates(f *testing.F) {
	f.Add("Khánh Hòa, ngày 08 tháng 6 năm 2021")
	f.Add("số 08-CTr/TU ngày 21/12/2020 của Tỉnh ủy")
	f.Add("trước ngày 30/4/2022; quý IV năm 2023; 6 tháng đầu năm 2022")
	f.Fuzz(func(t *testing.T, s string) {
		last := 0
		for _, m := range vntext.FindDates(s) {
			if m.Start < last || m.End <= m.Start || m.End > len(s) || s[m.Start:m.End] != m.Text {
				t.Fatalf("bad match %+v in %q", m, s)
			}
			last = m.End
		}
	})
}
