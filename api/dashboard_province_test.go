package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"cascade/store"
	"cascade/store/storetest"
)

// apiGet sends a GET with a bearer token.
func apiGet(t *testing.T, base, token, path string) (int, []byte) {
	t.Helper()
	req, err := http.NewRequest("GET", base+path, nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+token)
	status, _, raw := send(t, req)
	return status, raw
}

// TestDashboard_APartlyReportedLaterCycleKeepsTheProvinceTotal is the
// province mid-cycle: three districts sent their 2026 figures (100, 200,
// 300 households; 10/100, 20/200, 30/300 children), one district has sent
// 2027 (150; 12/100). Each district counts with its latest figure: the
// province stands at 150 + 200 + 300 = 650 households and (12 + 20 + 30) /
// (100 + 200 + 300) = 62/600, not at the one district's 150.
func TestDashboard_APartlyReportedLaterCycleKeepsTheProvinceTotal(t *testing.T) {
	s := newAPIServer(t)
	s.Now = func() time.Time { return time.Date(2027, 12, 1, 3, 0, 0, 0, time.UTC) } // 2027's report is open, due 15/12
	srv := newHTTP(t, s.Handler())
	ctx := context.Background()
	st := store.New(s.DB)
	root := storetest.Root(t, s.DB)
	var d [3]store.Unit
	for i := range d {
		u, err := st.CreateUnit(ctx, store.Unit{ParentID: &root.ID, Kind: "district", Code: "Q-" + storetest.Unique(), Name: fmt.Sprintf("Hội LHPN huyện %d", i+1)})
		require.NoError(t, err)
		d[i] = u
	}
	goal, rate := 1000.0, 8.5
	planID, err := st.CreatePlan(ctx, store.NewPlan{
		Plan:    store.Plan{Code: "1/KH-" + storetest.Unique(), Title: "K", IssuerUnitID: &root.ID, TermStartYear: 2026, TermEndYear: 2030},
		UnitIDs: []int64{d[0].ID, d[1].ID, d[2].ID},
		Targets: []store.Target{
			{Text: "Hộ thoát nghèo", Value: &goal, Unit: "hộ", Direction: "at_least", Measure: "count"},
			{Text: "Tỷ lệ suy dinh dưỡng", Value: &rate, Unit: "%", Direction: "at_most", Measure: "percent"},
		},
		Cycles: []store.ReportCycle{
			{Kind: "annual", Year: 2026, DueOn: store.Date{Time: time.Date(2026, 12, 15, 0, 0, 0, 0, time.UTC)}},
			{Kind: "annual", Year: 2027, DueOn: store.Date{Time: time.Date(2027, 12, 15, 0, 0, 0, 0, time.UTC)}},
		},
	})
	require.NoError(t, err)
	cycles, err := st.ReportCycles(ctx, planID)
	require.NoError(t, err)
	targets, err := st.Targets(ctx, planID)
	require.NoError(t, err)
	submit := func(u store.Unit, c store.ReportCycle, count, num, den float64) {
		r, err := st.OpenReport(ctx, c.ID, u.ID, c.DueOn)
		require.NoError(t, err)
		require.NoError(t, st.SubmitReport(ctx, r.ID, nil, c.DueOn.AddDate(0, 0, -2), []store.ReportValue{
			{TargetID: targets[0].ID, Value: &count}, {TargetID: targets[1].ID, Numerator: &num, Denominator: &den}}))
	}
	submit(d[0], cycles[0], 100, 10, 100)
	submit(d[1], cycles[0], 200, 20, 200)
	submit(d[2], cycles[0], 300, 30, 300)
	for _, u := range d[1:] {
		_, err := st.OpenReport(ctx, cycles[1].ID, u.ID, cycles[1].DueOn)
		require.NoError(t, err)
	}
	submit(d[0], cycles[1], 150, 12, 100)
	_, leader := storetest.SignedIn(t, s.DB, root.ID, "leader")

	status, raw := apiGet(t, srv, leader, fmt.Sprintf("/api/v1/plans/%d/dashboard?unit_id=%d", planID, root.ID))
	require.Equal(t, http.StatusOK, status, string(raw))
	var body dashboardBody
	require.NoError(t, json.Unmarshal(raw, &body))
	require.Equal(t, 650.0, *body.Targets[0].Actual)
	// 650 of 1000 at 15/12/2027, 713 of the term's 1825 days (0.39): on track.
	require.InDelta(t, 0.65, body.Targets[0].Progress, 1e-9)
	require.Equal(t, "on_track", body.Targets[0].Status)
	require.Equal(t, 62.0, *body.Targets[1].Numerator)
	require.Equal(t, 600.0, *body.Targets[1].Denominator)
	require.InDelta(t, 100*62.0/600, *body.Targets[1].Actual, 1e-9)
	require.Len(t, body.Targets[0].ByYear, 2)
	require.Equal(t, 600.0, body.Targets[0].ByYear[0].Actual)
	require.Equal(t, 650.0, body.Targets[0].ByYear[1].Actual)
	require.Equal(t, 1, body.Completeness.Received, "one district of three has sent 2027")
	require.Equal(t, 3, body.Completeness.Expected)

	status, raw = apiGet(t, srv, leader, fmt.Sprintf("/api/v1/plans/%d/dashboard?unit_id=%d&cycle_id=%d", planID, root.ID, cycles[0].ID))
	require.Equal(t, http.StatusOK, status, string(raw))
	require.NoError(t, json.Unmarshal(raw, &body))
	require.Equal(t, 600.0, *body.Targets[0].Actual, "as of 2026: 100 + 200 + 300")

	status, raw = apiGet(t, srv, leader, fmt.Sprintf("/api/v1/plans/%d/targets/%d/breakdown?unit_id=%d", planID, targets[0].ID, root.ID))
	require.Equal(t, http.StatusOK, status, string(raw))
	var b struct {
		Target struct{ Actual *float64 }
		Units  []struct {
			Unit   struct{ ID int64 }
			Actual *float64
		}
	}
	require.NoError(t, json.Unmarshal(raw, &b))
	require.Equal(t, 650.0, *b.Target.Actual)
	got := map[int64]float64{}
	for _, u := range b.Units {
		got[u.Unit.ID] = *u.Actual
	}
	require.Equal(t, map[int64]float64{d[0].ID: 150, d[1].ID: 200, d[2].ID: 300}, got, "the districts add up to the province")
}
