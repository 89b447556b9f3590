package reports_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"cascade/reports"
)

func p(f float64) *float64 { return &f }

func TestCheckForm_ListsEveryProblemAtOnce(t *testing.T) {
	form := []reports.FormTarget{{ID: 1, Measure: "count", Text: "Hộ thoát nghèo"}, {ID: 2, Measure: "percent", Text: "Trẻ SDD"}, {ID: 3, Measure: "count", Text: "Hội viên mới"}}
	err := reports.CheckForm(form, []reports.Value{
		{TargetID: 1, Value: p(-5)},
		{TargetID: 2, Numerator: p(11), Denominator: p(10)},
		{TargetID: 9, Value: p(1)},
	})
	var ps reports.Problems
	require.ErrorAs(t, err, &ps)
	fields := map[string]bool{}
	for _, pr := range ps {
		fields[pr.Field] = true
	}
	require.Equal(t, map[string]bool{"values[0].value": true, "values[1].numerator": true, "values[2].target_id": true}, fields, "target 3 left out has no data, which is allowed")
	require.Equal(t, []int64{3}, reports.NoData(form, []reports.Value{{TargetID: 1, Value: p(1)}, {TargetID: 2, Numerator: p(1), Denominator: p(2)}}))

	require.NoError(t, reports.CheckForm(form, []reports.Value{
		{TargetID: 1, Value: p(1200)}, {TargetID: 2, Numerator: p(1), Denominator: p(10)}, {TargetID: 3, Value: p(0)},
	}))
	err = reports.CheckForm(form[1:2], []reports.Value{{TargetID: 2, Value: p(9)}})
	require.ErrorAs(t, err, &ps)
	require.Equal(t, "values[0].numerator", ps[0].Field)
}

func TestPlausibility_FlagsButDoesNotRefuse(t *testing.T) {
	prev := map[int64]reports.Value{1: {Value: p(2700)}, 2: {Numerator: p(1), Denominator: p(10)}, 3: {Value: p(5)}}
	ws := reports.Plausibility([]reports.Value{
		{TargetID: 1, Value: p(2500)},
		{TargetID: 2, Numerator: p(40), Denominator: p(100)},
		{TargetID: 3, Value: p(60)},
		{TargetID: 4, Value: p(1)},
	}, prev)
	require.Len(t, ws, 3)
	require.Equal(t, "values[0].value", ws[0].Field)
	require.Contains(t, ws[0].Message, "2.700")
	require.Equal(t, "values[1].numerator", ws[1].Field)
	require.Equal(t, "values[2].value", ws[2].Field)
	require.Empty(t, reports.Plausibility([]reports.Value{{TargetID: 1, Value: p(2800)}}, prev))
}

func TestMentionedTargets(t *testing.T) {
	cases := map[string][]int{
		"Chỉ tiêu 3 chưa khớp, xem lại chỉ tiêu số 1": {3, 1},
		"CT2: tử số lớn hơn mẫu số; ct 2 nữa":         {2},
		"Target #4 looks low":  {4},
		"Bổ sung số liệu":      {},
		"chỉ tiêu 99 không có": {},
		"Số liệu năm 2026 thiếu, chỉ tiêu 12 cũng vậy": {},
	}
	for comment, want := range cases {
		require.Equal(t, want, reports.MentionedTargets(comment, 5), comment)
	}
}
