package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"cascade/plans"
	"cascade/store"
	"cascade/store/storetest"
)

// A board officer opens the plan whose tasks their board leads (plan 321:
// the standing committee issues it, the districts carry it out, a board
// leads each content group), and finds it in their list; a plan of the
// same issuer with no task of the board stays out of sight, and so do the
// districts' reports and figures, which the board does not supervise.
func TestPlanScope_ABoardReadsThePlanItLeadsTasksOfButNotTheDistrictsReports(t *testing.T) {
	srv, db, root, _ := newServerWithAdmin(t)
	ctx := context.Background()
	st := store.New(db)
	mk := func(parent store.Unit, kind, name string) store.Unit {
		u, err := st.CreateUnit(ctx, store.Unit{ParentID: &parent.ID, Kind: kind, Code: strings.ToUpper(kind[:2]) + "-" + storetest.Unique(), Name: name})
		require.NoError(t, err)
		return u
	}
	btv := mk(root, "standing_committee", "Ban Thường vụ")
	board := mk(root, "board", "Ban Tuyên giáo")
	nt, cr := mk(root, "district", "Hội LHPN thành phố Nha Trang"), mk(root, "district", "Hội LHPN thành phố Cam Ranh")
	_, boardToken := storetest.SignedIn(t, db, board.ID, "officer")

	due := store.Date{Time: time.Date(2026, 12, 15, 0, 0, 0, 0, time.UTC)}
	newPlan := func(code string, lead int64) int64 {
		t.Helper()
		id, err := st.CreatePlan(ctx, store.NewPlan{
			Plan:    store.Plan{Code: code + "/KH-BTV-" + storetest.Unique(), Title: "Kế hoạch " + code, IssuerUnitID: &btv.ID, TermStartYear: 2026, TermEndYear: 2027},
			UnitIDs: []int64{nt.ID, cr.ID},
			Cycles:  []store.ReportCycle{{Kind: "annual", Year: 2026, DueOn: due}},
		})
		require.NoError(t, err)
		status, _, raw := do(t, "GET", fmt.Sprintf("%s/api/v1/plans/%d", srv.URL, id), "")
		require.Equal(t, http.StatusOK, status, "%s", raw)
		var doc plans.Plan
		require.NoError(t, json.Unmarshal(raw, &doc))
		doc.TaskGroups = []plans.TaskGroup{{Heading: "1. Tuyên truyền", Tasks: []plans.Task{{Text: "Quán triệt nghị quyết",
			LeadUnitIDs: []int64{lead}, SupportUnitIDs: []int64{nt.ID, cr.ID}, Recurrence: "annual"}}}}
		body, _ := json.Marshal(doc)
		status, _, raw = do(t, "PUT", fmt.Sprintf("%s/api/v1/plans/%d", srv.URL, id), string(body))
		require.Equal(t, http.StatusOK, status, "%s", raw)
		return id
	}
	led := newPlan("321", board.ID)
	other := newPlan("322", nt.ID)

	status, raw := apiGet(t, srv.URL, boardToken, fmt.Sprintf("/api/v1/plans/%d", led))
	require.Equal(t, http.StatusOK, status, "the board reads the plan it leads a task of: %s", raw)
	var doc plans.Plan
	require.NoError(t, json.Unmarshal(raw, &doc))
	require.Equal(t, led, doc.ID)
	require.Equal(t, []int64{board.ID}, doc.TaskGroups[0].Tasks[0].LeadUnitIDs)
	// The districts are outside the board's scope, yet the plan names them:
	// the page shows their names, not "#id".
	var named struct {
		UnitNames []store.UnitRef `json:"unit_names"`
	}
	require.NoError(t, json.Unmarshal(raw, &named))
	require.ElementsMatch(t, []store.UnitRef{{ID: btv.ID, Name: "Ban Thường vụ"}, {ID: board.ID, Name: "Ban Tuyên giáo"},
		{ID: nt.ID, Name: nt.Name}, {ID: cr.ID, Name: cr.Name}}, named.UnitNames)

	status, raw = apiGet(t, srv.URL, boardToken, "/api/v1/plans")
	require.Equal(t, http.StatusOK, status, "%s", raw)
	var list struct {
		Plans []struct {
			ID int64 `json:"id"`
		} `json:"plans"`
	}
	require.NoError(t, json.Unmarshal(raw, &list))
	var listed []int64
	for _, p := range list.Plans {
		listed = append(listed, p.ID)
	}
	require.Equal(t, []int64{led}, listed, "the list follows the same rule as the plan read")

	status, _ = apiGet(t, srv.URL, boardToken, fmt.Sprintf("/api/v1/plans/%d", other))
	require.Equal(t, http.StatusNotFound, status, "a plan none of whose tasks the board leads or supports")

	// The districts' reports and figures: not the board's.
	cycles, err := st.ReportCycles(ctx, led)
	require.NoError(t, err)
	r, err := st.OpenReport(ctx, cycles[0].ID, nt.ID, cycles[0].DueOn)
	require.NoError(t, err)
	status, _ = apiGet(t, srv.URL, boardToken, fmt.Sprintf("/api/v1/reports/%d", r.ID))
	require.Equal(t, http.StatusNotFound, status, "a district's report")
	status, raw = apiGet(t, srv.URL, boardToken, fmt.Sprintf("/api/v1/reports?plan_id=%d", led))
	require.Equal(t, http.StatusOK, status, "%s", raw)
	var reports struct {
		Reports []json.RawMessage `json:"reports"`
	}
	require.NoError(t, json.Unmarshal(raw, &reports))
	require.Empty(t, reports.Reports, "no district's report in the board's list")
	status, _ = apiGet(t, srv.URL, boardToken, fmt.Sprintf("/api/v1/plans/%d/dashboard?unit_id=%d", led, nt.ID))
	require.Equal(t, http.StatusNotFound, status, "a district's dashboard")
	status, _ = apiGet(t, srv.URL, boardToken, fmt.Sprintf("/api/v1/plans/%d/matrix?unit_id=%d", led, root.ID))
	require.Equal(t, http.StatusNotFound, status, "the province's matrix")
	status, raw = apiGet(t, srv.URL, boardToken, fmt.Sprintf("/api/v1/plans/%d/matrix", led))
	require.Equal(t, http.StatusOK, status, "the board's own node: %s", raw)
	require.NotContains(t, string(raw), nt.Name)
	require.NotContains(t, string(raw), cr.Name)

	// Writing the plan stays the issuer's.
	body, _ := json.Marshal(doc)
	req, err := http.NewRequest("PUT", fmt.Sprintf("%s/api/v1/plans/%d", srv.URL, led), strings.NewReader(string(body)))
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+boardToken)
	req.Header.Set("Content-Type", "application/json")
	status, _, _ = send(t, req)
	require.Equal(t, http.StatusNotFound, status)
}
