package export_test

import (
	"archive/zip"
	"bytes"
	"io"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"cascade/dashboard"
	"cascade/export"
	"cascade/progress"
)

// A target no unit reported on reads "Không có số liệu" in the review
// report, never a progress of 0%.
func TestReviewDocx_NoDataIsNotZero(t *testing.T) {
	f := func(v float64) *float64 { return &v }
	d := &dashboard.Dossier{
		Plan:   dashboard.PlanRef{ID: 1, Code: "321/KH-BTV", Title: "Kế hoạch thực hiện Nghị quyết"},
		Issuer: dashboard.Ref{ID: 1, Name: "Hội LHPN thị xã Ninh Hòa"},
		Cycle:  dashboard.Cycle{ID: 1, Kind: "annual", Year: 2026},
		Targets: []dashboard.Target{
			{ID: 1, Text: "Hộ thoát nghèo", Unit: "hộ", Measure: "count", Direction: "at_least", Target: f(2700), Actual: f(1200), Progress: 0.44, Status: progress.AtRisk},
			{ID: 2, Text: "Câu lạc bộ mới", Unit: "CLB", Measure: "count", Direction: "at_least", Target: f(40), Status: progress.NoData},
		},
	}
	var buf bytes.Buffer
	require.NoError(t, export.ReviewDocx(&buf, d, export.ReviewDoc{Date: time.Date(2027, 1, 20, 0, 0, 0, 0, time.UTC)}))
	zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	require.NoError(t, err)
	var doc string
	for _, zf := range zr.File {
		if zf.Name == "word/document.xml" {
			rc, err := zf.Open()
			require.NoError(t, err)
			b, _ := io.ReadAll(rc)
			doc = string(b)
		}
	}
	require.Contains(t, doc, "Không có số liệu")
	require.Contains(t, doc, "44%")
	require.NotContains(t, doc, ">0%<")
}
