package api_test

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"cascade/plans"
)

// TestCreatePlan_WithoutCyclesGetsTheDefaultCyclesWithTheirReviews: a plan
// created without cycles reports as an imported one does, with the mid-term
// (sơ kết) and final (tổng kết) cycles whose reviews are compiled, and asks
// nothing due before its issue date.
func TestCreatePlan_WithoutCyclesGetsTheDefaultCyclesWithTheirReviews(t *testing.T) {
	srv, _, root, _ := newServerWithAdmin(t)
	type cycle struct {
		Kind  string `json:"kind"`
		Year  int    `json:"year"`
		DueOn string `json:"due_on"`
	}
	create := func(fields map[string]any) []cycle {
		t.Helper()
		body := map[string]any{"issuer_unit_id": root.ID, "title": "Kế hoạch", "term_start_year": 2026, "term_end_year": 2030, "unit_ids": []int64{root.ID}}
		for k, v := range fields {
			body[k] = v
		}
		b, err := json.Marshal(body)
		require.NoError(t, err)
		status, _, raw := do(t, "POST", srv.URL+"/api/v1/plans", string(b))
		require.Equal(t, http.StatusCreated, status, "%s", raw)
		var p struct{ Cycles []cycle }
		require.NoError(t, json.Unmarshal(raw, &p))
		return p.Cycles
	}

	want := []cycle{
		{"annual", 2026, "2026-11-15"},
		{"annual", 2027, "2027-11-15"},
		{"midterm", 2028, "2028-06-30"},
		{"annual", 2028, "2028-11-15"},
		{"annual", 2029, "2029-11-15"},
		{"final", 2030, "2030-11-15"},
	}
	require.Equal(t, want, create(nil))
	var fromImport []cycle
	for _, c := range plans.DefaultCycles(2026, 2030) {
		fromImport = append(fromImport, cycle{c.Kind, c.Year, c.DueOn.String()})
	}
	require.Equal(t, fromImport, want, "the same cycles as an imported plan")

	// Issued in the summer of 2028, after the mid-term's due date.
	require.Equal(t, want[3:], create(map[string]any{"issued_on": "2028-07-10"}))
	// Cycles sent are kept as they are.
	require.Equal(t, []cycle{{"annual", 2027, "2027-12-01"}},
		create(map[string]any{"cycles": []map[string]any{{"kind": "annual", "year": 2027, "due_on": "2027-12-01"}}}))
}
