package export_test

import (
	"bytes"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"

	"cascade/dashboard"
	"cascade/export"
	"cascade/progress"
	"cascade/store"
)

// workbookOf writes the export of a district's plan: a long target text, a
// count and a percentage, and units with long names, one late.
func workbookOf(t *testing.T) *excelize.File {
	t.Helper()
	f := func(v float64) *float64 { return &v }
	due := func(y int, m time.Month, d int) store.Date {
		return store.Date{Time: time.Date(y, m, d, 0, 0, 0, 0, time.UTC)}
	}
	cycles := []dashboard.Cycle{{ID: 1, Kind: "annual", Year: 2026, DueOn: due(2026, 12, 15)}, {ID: 2, Kind: "midterm", Year: 2028, DueOn: due(2028, 6, 30)}}
	d := &dashboard.Dashboard{
		Plan:         dashboard.PlanRef{ID: 1, Code: "321/KH-BTV", Title: "Kế hoạch thực hiện Nghị quyết", TermStartYear: 2026, TermEndYear: 2030},
		Unit:         dashboard.Ref{ID: 1, Name: "Hội Liên hiệp Phụ nữ thị xã Ninh Hòa"},
		Cycle:        &cycles[0],
		Cycles:       cycles,
		Completeness: progress.Completeness{Expected: 3, Received: 2, OnTime: 1, Completeness: 2.0 / 3, Timeliness: 1.0 / 3},
		Targets: []dashboard.Target{
			{ID: 1, Text: "Hỗ trợ, giúp đỡ hộ gia đình phụ nữ nghèo, cận nghèo thoát nghèo bền vững trong nhiệm kỳ", Unit: "hộ", Measure: "count",
				Direction: "at_least", Target: f(2700), Actual: f(1234567), Progress: 0.74, Status: progress.OnTrack,
				ByYear: []progress.YearActual{{Year: 2026, Actual: 1234567}}},
			{ID: 2, Text: "Tỷ lệ trẻ suy dinh dưỡng thấp còi", Unit: "%", Measure: "percent", Direction: "at_most",
				Target: f(8.5), Baseline: f(10.5), Actual: f(9.00990099), Numerator: f(91), Denominator: f(1010), Progress: 0.745, Status: progress.AtRisk},
		},
	}
	m := &dashboard.Matrix{Cycles: cycles, Total: 2, Units: []dashboard.Row{
		{Unit: dashboard.Ref{ID: 2, Name: "Hội LHPN xã Ninh Đa"}, Cells: []dashboard.Cell{{CycleID: 1, Status: "accepted"}, {CycleID: 2, Status: "none"}}},
		{Unit: dashboard.Ref{ID: 3, Name: "Hội Liên hiệp Phụ nữ phường Ninh Hiệp, thị xã Ninh Hòa"}, Cells: []dashboard.Cell{{CycleID: 1, Status: "late", DaysLate: 36}, {CycleID: 2, Status: "none"}}},
	}}
	var buf bytes.Buffer
	require.NoError(t, export.Workbook(&buf, d, m))
	wb, err := excelize.OpenReader(&buf)
	require.NoError(t, err)
	t.Cleanup(func() { _ = wb.Close() })
	return wb
}

func TestWorkbook_HeaderRowIsFrozenAndColumnsFitTheirText(t *testing.T) {
	wb := workbookOf(t)
	for _, sheet := range []string{export.SheetProgress, export.SheetMatrix} {
		panes, err := wb.GetPanes(sheet)
		require.NoError(t, err)
		require.True(t, panes.Freeze, sheet)
		require.Equal(t, 1, panes.YSplit, "%s: the header row stays in view", sheet)
		require.Equal(t, 0, panes.XSplit, sheet)
		require.Equal(t, "A2", panes.TopLeftCell, sheet)

		// Every column is as wide as its longest header or value (about
		// one unit a character), but the targets' text and the units'
		// names, which wrap past 60.
		rows, err := wb.GetRows(sheet)
		require.NoError(t, err)
		longest := map[int]string{}
		for _, r := range rows {
			for j, v := range r {
				if utf8.RuneCountInString(v) > utf8.RuneCountInString(longest[j]) {
					longest[j] = v
				}
			}
		}
		require.NotEmpty(t, longest, sheet)
		for j, v := range longest {
			col, err := excelize.ColumnNumberToName(j + 1)
			require.NoError(t, err)
			w, err := wb.GetColWidth(sheet, col)
			require.NoError(t, err)
			require.GreaterOrEqual(t, w, min(float64(utf8.RuneCountInString(v))+1, 60), "%s column %s is too narrow for %q", sheet, col, v)
			require.LessOrEqual(t, w, 60.0, "%s column %s", sheet, col)
		}
	}
}

func TestWorkbook_FiguresAreNumbersInTheVietnameseFormat(t *testing.T) {
	wb := workbookOf(t)
	for cell, want := range map[string]string{"E2": "2700", "G2": "1234567", "G3": "9.00990099"} {
		raw, err := wb.GetCellValue(export.SheetProgress, cell, excelize.Options{RawCellValue: true})
		require.NoError(t, err)
		require.Equal(t, want, raw, "%s is the number itself, so that it can be summed", cell)
	}
	for cell, want := range map[string]string{"E2": `[$-42A]#,##0`, "G3": `[$-42A]#,##0.0`, "J2": `[$-42A]0.0%`} {
		id, err := wb.GetCellStyle(export.SheetProgress, cell)
		require.NoError(t, err)
		st, err := wb.GetStyle(id)
		require.NoError(t, err)
		require.NotNil(t, st.CustomNumFmt, cell)
		require.Equal(t, want, *st.CustomNumFmt, cell)
	}
}
