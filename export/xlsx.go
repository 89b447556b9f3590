// Package export writes a plan's figures as files people open in office
// suites: an Excel workbook of the dashboard and the report matrix, and a
// review report as a Word document laid out as a Vietnamese administrative
// document.
package export

import (
	"fmt"
	"io"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"cascade/dashboard"
	"cascade/progress"
)

// Number formats carry Vietnam's locale ([$-42A], vi-VN) and the cells stay
// numbers, so a reader can sum and chart them. How the separators show is
// then the office suite's: LibreOffice takes the tag as the format's
// locale and shows "2.700" and "8,5" wherever it runs (the API's export
// test reads that back), and so does Excel with Vietnamese regional
// settings; Excel ignores the tag for separators and uses the machine's,
// so on an en-US machine it shows "2,700" and "8.5", the same figures.
// Text cells or literal dots in the format would look Vietnamese
// everywhere but stop the sums; we keep the numbers.
const (
	fmtCount   = `[$-42A]#,##0`
	fmtDecimal = `[$-42A]#,##0.0`
	fmtPercent = `[$-42A]0.0%`
)

// Sheet names (at most 31 characters).
const (
	SheetProgress = "Tiến độ chỉ tiêu"
	SheetMatrix   = "Tình hình báo cáo"
)

var statusLabel = map[string]string{
	"on_track": "Đúng tiến độ", "at_risk": "Có nguy cơ", "off_track": "Chậm tiến độ", "no_data": "Chưa có số liệu",
	"pending": "Chưa nộp", "draft": "Bản nháp", "submitted": "Đã nộp", "returned": "Bị trả lại",
	"accepted": "Đã duyệt", "waived": "Được miễn", "late": "Trễ hạn", "none": "",
}

var directionLabel = map[string]string{"at_least": "Ít nhất", "at_most": "Không quá", "exactly": "Đạt"}

// CycleLabel names a cycle in Vietnamese.
func CycleLabel(kind string, year int) string {
	switch kind {
	case "midterm":
		return fmt.Sprintf("Sơ kết %d", year)
	case "final":
		return fmt.Sprintf("Tổng kết %d", year)
	case "semiannual":
		return fmt.Sprintf("6 tháng %d", year)
	}
	return fmt.Sprintf("Năm %d", year)
}

// Workbook writes the dashboard d (its targets over the node's subtree)
// and the matrix m (every reporting unit × cycle) as an .xlsx to w. Rows
// are streamed, so a matrix of 10,000 units does not sit in memory twice.
func Workbook(w io.Writer, d *dashboard.Dashboard, m *dashboard.Matrix) error {
	f := excelize.NewFile()
	defer f.Close()
	f.SetAppProps(&excelize.AppProperties{Application: "Cascade"})
	if err := f.SetSheetName("Sheet1", SheetProgress); err != nil {
		return err
	}
	if _, err := f.NewSheet(SheetMatrix); err != nil {
		return err
	}
	styles, err := newStyles(f)
	if err != nil {
		return err
	}
	if err := progressSheet(f, styles, d); err != nil {
		return fmt.Errorf("progress sheet: %w", err)
	}
	if err := matrixSheet(f, styles, m); err != nil {
		return fmt.Errorf("matrix sheet: %w", err)
	}
	if _, err := f.WriteTo(w); err != nil {
		return fmt.Errorf("write workbook: %w", err)
	}
	return nil
}

type styles struct{ header, text, count, decimal, percent int }

func newStyles(f *excelize.File) (styles, error) {
	var s styles
	var err error
	border := []excelize.Border{{Type: "left", Color: "999999", Style: 1}, {Type: "right", Color: "999999", Style: 1},
		{Type: "top", Color: "999999", Style: 1}, {Type: "bottom", Color: "999999", Style: 1}}
	if s.header, err = f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Border: border,
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}},
		Alignment: &excelize.Alignment{WrapText: true, Vertical: "center", Horizontal: "center"}}); err != nil {
		return s, err
	}
	if s.text, err = f.NewStyle(&excelize.Style{Border: border, Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}}); err != nil {
		return s, err
	}
	num := func(code string) (int, error) {
		return f.NewStyle(&excelize.Style{Border: border, CustomNumFmt: &code, Alignment: &excelize.Alignment{Vertical: "top"}})
	}
	if s.count, err = num(fmtCount); err != nil {
		return s, err
	}
	if s.decimal, err = num(fmtDecimal); err != nil {
		return s, err
	}
	s.percent, err = num(fmtPercent)
	return s, err
}

func cell(v any, style int) excelize.Cell { return excelize.Cell{Value: v, StyleID: style} }

func progressSheet(f *excelize.File, st styles, d *dashboard.Dashboard) error {
	sw, err := f.NewStreamWriter(SheetProgress)
	if err != nil {
		return err
	}
	var years []int
	seen := map[int]bool{}
	for _, c := range d.Cycles {
		if !seen[c.Year] {
			seen[c.Year] = true
			years = append(years, c.Year)
		}
	}
	headers := []string{"STT", "Chỉ tiêu", "Đơn vị tính", "Yêu cầu", "Mục tiêu", "Cơ sở", "Thực hiện", "Tử số", "Mẫu số", "Tiến độ", "Đánh giá"}
	for _, y := range years {
		headers = append(headers, fmt.Sprintf("Năm %d", y))
	}
	widths := make([]float64, len(headers))
	row := make([]any, len(headers))
	for i, h := range headers {
		row[i] = cell(h, st.header)
		widths[i] = textWidth(h)
	}
	rows := [][]any{row}
	for i, t := range d.Targets {
		numStyle := st.count
		if t.Measure == "percent" {
			numStyle = st.decimal
		}
		num := func(v *float64, style int) excelize.Cell {
			if v == nil {
				return cell(nil, st.text)
			}
			return cell(*v, style)
		}
		// No data is not 0%: the progress cell stays empty.
		prog := cell(t.Progress, st.percent)
		if t.Status == progress.NoData {
			prog = cell(nil, st.text)
		}
		r := []any{cell(i+1, st.count), cell(t.Text, st.text), cell(t.Unit, st.text), cell(directionLabel[t.Direction], st.text),
			num(t.Target, numStyle), num(t.Baseline, numStyle), num(t.Actual, numStyle),
			num(t.Numerator, st.count), num(t.Denominator, st.count), prog, cell(statusLabel[string(t.Status)], st.text)}
		byYear := map[int]float64{}
		for _, y := range t.ByYear {
			byYear[y.Year] = y.Actual
		}
		for _, y := range years {
			if v, ok := byYear[y]; ok {
				r = append(r, cell(v, numStyle))
			} else {
				r = append(r, cell(nil, st.text))
			}
		}
		for j, v := range r {
			widths[j] = max(widths[j], width(v.(excelize.Cell).Value))
		}
		rows = append(rows, r)
	}
	// The completeness under the table, labels in the wide column of the
	// targets' text (not in the narrow STT one), the figures beside them.
	summary := [][]any{
		{nil, cell("Đơn vị: "+d.Unit.Name, st.header)},
		{nil, cell("Số báo cáo phải nộp", st.header), cell(d.Completeness.Expected, st.count)},
		{nil, cell("Số báo cáo đã nộp", st.header), cell(d.Completeness.Received, st.count)},
		{nil, cell("Tỷ lệ hoàn thành", st.header), cell(d.Completeness.Completeness, st.percent)},
		{nil, cell("Tỷ lệ đúng hạn", st.header), cell(d.Completeness.Timeliness, st.percent)},
	}
	for _, r := range summary {
		for j, v := range r {
			if c, ok := v.(excelize.Cell); ok {
				widths[j] = max(widths[j], width(c.Value))
			}
		}
	}
	// Columns are set before the first row of a stream.
	for i, w := range widths {
		if i == 1 {
			w = min(w, 60) // the target's text wraps
		}
		if err := sw.SetColWidth(i+1, i+1, min(max(w+2, 8), 60)); err != nil {
			return err
		}
	}
	if err := sw.SetPanes(frozenHeader()); err != nil {
		return err
	}
	for i, r := range rows {
		if err := sw.SetRow(fmt.Sprintf("A%d", i+1), r); err != nil {
			return err
		}
	}
	n := len(rows) + 2
	for i, r := range summary {
		if err := sw.SetRow(fmt.Sprintf("A%d", n+i), r); err != nil {
			return err
		}
	}
	return sw.Flush()
}

func matrixSheet(f *excelize.File, st styles, m *dashboard.Matrix) error {
	sw, err := f.NewStreamWriter(SheetMatrix)
	if err != nil {
		return err
	}
	header := []any{cell("STT", st.header), cell("Đơn vị", st.header)}
	widths := []float64{6, textWidth("Đơn vị")}
	for _, c := range m.Cycles {
		h := fmt.Sprintf("%s (hạn %s)", CycleLabel(c.Kind, c.Year), c.DueOn.Format("02/01/2006"))
		header = append(header, cell(h, st.header), cell("Số ngày trễ", st.header))
		widths = append(widths, textWidth(h), textWidth("Số ngày trễ"))
	}
	widths[1] = max(widths[1], textWidth("Tổng số đã nộp"))
	for _, u := range m.Units {
		widths[1] = max(widths[1], textWidth(u.Unit.Name))
	}
	for i, w := range widths {
		if err := sw.SetColWidth(i+1, i+1, min(max(w+2, 8), 60)); err != nil {
			return err
		}
	}
	if err := sw.SetPanes(frozenHeader()); err != nil {
		return err
	}
	if err := sw.SetRow("A1", header); err != nil {
		return err
	}
	submitted := make([]int, len(m.Cycles))
	for i, u := range m.Units {
		r := []any{cell(i+1, st.count), cell(u.Unit.Name, st.text)}
		for j, c := range u.Cells {
			var late any
			if c.DaysLate > 0 {
				late = c.DaysLate
			}
			r = append(r, cell(statusLabel[c.Status], st.text), cell(late, st.count))
			if c.Status == "submitted" || c.Status == "accepted" {
				submitted[j]++
			}
		}
		if err := sw.SetRow(fmt.Sprintf("A%d", i+2), r); err != nil {
			return err
		}
	}
	total := []any{cell(nil, st.header), cell("Tổng số đã nộp", st.header)}
	for _, n := range submitted {
		total = append(total, cell(n, st.count), cell(nil, st.text))
	}
	if err := sw.SetRow(fmt.Sprintf("A%d", len(m.Units)+2), total); err != nil {
		return err
	}
	return sw.Flush()
}

func frozenHeader() *excelize.Panes {
	return &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft",
		Selection: []excelize.Selection{{SQRef: "A2", ActiveCell: "A2", Pane: "bottomLeft"}}}
}

func textWidth(s string) float64 { return float64(utf8.RuneCountInString(s)) * 1.1 }

func width(v any) float64 {
	switch x := v.(type) {
	case string:
		return textWidth(x)
	case float64:
		return textWidth(fmt.Sprintf("%.1f", x)) + 2
	case int:
		return textWidth(fmt.Sprint(x)) + 2
	}
	return 0
}
