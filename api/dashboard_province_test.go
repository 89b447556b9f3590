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

// twoDistricts is a province P with districts A (communes A1, A2) and B
// (communes B1, B2) reporting on P's plan, two annual cycles past due on
// 10/01/2028:
//
//	            2026 (due 15/12/2026)          2027 (due 15/12/2027)
//	A1   120 hộ, 6/60, 5 hội viên           350 hộ, 5/100, 10 hội viên
//	A2   not sent                            not sent
//	B1   300 hộ, 9/100, 20 hội viên         not sent
//	B2   200 hộ, 4/50, 8 hội viên           not sent
//
// Nobody reports the fourth target. Households are allocated A1 600,
// A2 400, B1 600, B2 400.
type twoDistricts struct {
	srv                           string
	db                            *store.DB
	p, a, b, a1, a2, b1, b2       store.Unit
	plan                          int64
	c1, c2                        store.ReportCycle
	households, stunting, members int64
	clubs                         int64
	leaderA, officerA, leaderP    string
	reports                       map[[2]int64]store.Report // by unit and cycle
}

func newTwoDistricts(t *testing.T) *twoDistricts {
	t.Helper()
	s := newAPIServer(t)
	s.Now = func() time.Time { return time.Date(2028, 1, 10, 3, 0, 0, 0, time.UTC) }
	w := &twoDistricts{srv: newHTTP(t, s.Handler()), db: s.DB, reports: map[[2]int64]store.Report{}}
	ctx := context.Background()
	st := store.New(s.DB)
	w.p = storetest.Root(t, s.DB)
	mk := func(parent store.Unit, kind, name string) store.Unit {
		u, err := st.CreateUnit(ctx, store.Unit{ParentID: &parent.ID, Kind: kind, Code: "S-" + storetest.Unique(), Name: name + " " + storetest.Unique(),
			Email: "u-" + storetest.Unique() + "@example.org"})
		require.NoError(t, err)
		return u
	}
	w.a, w.b = mk(w.p, "district", "Huyện A"), mk(w.p, "district", "Huyện B")
	w.a1, w.a2 = mk(w.a, "commune", "Xã A1"), mk(w.a, "commune", "Xã A2")
	w.b1, w.b2 = mk(w.b, "commune", "Xã B1"), mk(w.b, "commune", "Xã B2")
	households, stunting, base, members, clubs := 1000.0, 8.5, 10.5, 100.0, 20.0
	var err error
	w.plan, err = st.CreatePlan(ctx, store.NewPlan{
		Plan:    store.Plan{Code: "5/KH-" + storetest.Unique(), Title: "Kế hoạch", IssuerUnitID: &w.p.ID, TermStartYear: 2026, TermEndYear: 2030},
		UnitIDs: []int64{w.a1.ID, w.a2.ID, w.b1.ID, w.b2.ID},
		Targets: []store.Target{
			{Text: "Hộ thoát nghèo", Value: &households, Unit: "hộ", Direction: "at_least", Measure: "count"},
			{Text: "Tỷ lệ suy dinh dưỡng", Value: &stunting, Baseline: &base, Unit: "%", Direction: "at_most", Measure: "percent"},
			{Text: "Hội viên mới", Value: &members, Unit: "người", Direction: "at_least", Measure: "count"},
			{Text: "Câu lạc bộ", Value: &clubs, Unit: "CLB", Direction: "at_least", Measure: "count"},
		},
		Cycles: []store.ReportCycle{
			{Kind: "annual", Year: 2026, DueOn: store.Date{Time: time.Date(2026, 12, 15, 0, 0, 0, 0, time.UTC)}},
			{Kind: "annual", Year: 2027, DueOn: store.Date{Time: time.Date(2027, 12, 15, 0, 0, 0, 0, time.UTC)}},
		},
	})
	require.NoError(t, err)
	cycles, err := st.ReportCycles(ctx, w.plan)
	require.NoError(t, err)
	w.c1, w.c2 = cycles[0], cycles[1]
	targets, err := st.Targets(ctx, w.plan)
	require.NoError(t, err)
	w.households, w.stunting, w.members, w.clubs = targets[0].ID, targets[1].ID, targets[2].ID, targets[3].ID
	for u, v := range map[int64]float64{w.a1.ID: 600, w.a2.ID: 400, w.b1.ID: 600, w.b2.ID: 400} {
		_, err := s.DB.ExecContext(ctx, `INSERT INTO target_allocations (target_id, unit_id, value) VALUES ($1, $2, $3)`, w.households, u, v)
		require.NoError(t, err)
	}
	for _, c := range cycles {
		for _, u := range []store.Unit{w.a1, w.a2, w.b1, w.b2} {
			r, err := st.OpenReport(ctx, c.ID, u.ID, c.DueOn)
			require.NoError(t, err)
			w.reports[[2]int64{u.ID, c.ID}] = r
		}
	}
	submit := func(u store.Unit, c store.ReportCycle, count, num, den, members float64) {
		r := w.reports[[2]int64{u.ID, c.ID}]
		require.NoError(t, st.SubmitReport(ctx, r.ID, nil, c.DueOn.AddDate(0, 0, -5), []store.ReportValue{
			{TargetID: w.households, Value: &count}, {TargetID: w.stunting, Numerator: &num, Denominator: &den}, {TargetID: w.members, Value: &members}}))
	}
	submit(w.a1, w.c1, 120, 6, 60, 5)
	submit(w.b1, w.c1, 300, 9, 100, 20)
	submit(w.b2, w.c1, 200, 4, 50, 8)
	submit(w.a1, w.c2, 350, 5, 100, 10)
	_, w.leaderA = storetest.SignedIn(t, s.DB, w.a.ID, "leader")
	_, w.officerA = storetest.SignedIn(t, s.DB, w.a.ID, "officer")
	_, w.leaderP = storetest.SignedIn(t, s.DB, w.p.ID, "leader")
	return w
}

func (w *twoDistricts) get(t *testing.T, token, path string, args ...any) (int, []byte) {
	t.Helper()
	return apiGet(t, w.srv, token, fmt.Sprintf(path, args...))
}

// sent records an email as sent at a moment.
func (w *twoDistricts) sent(t *testing.T, key string, unit store.Unit, template, to string, at time.Time) {
	t.Helper()
	st := store.New(w.db)
	n, err := st.EnqueueNotification(context.Background(), store.Notification{IdempotencyKey: key, PlanID: &w.plan, UnitID: &unit.ID,
		Recipient: to, Template: template, Subject: "s", BodyText: "b"})
	require.NoError(t, err)
	require.NoError(t, st.MarkNotificationSent(context.Background(), n.ID, at))
}

type lateBody struct {
	Late []struct {
		Unit             struct{ ID int64 }
		Cycle            struct{ ID int64 }
		DaysLate         int `json:"days_late"`
		LastNotification *struct {
			Template  string
			Recipient string
		} `json:"last_notification"`
	}
}

// TestLateList_ShowsALeadersReminderAndHonoursTheCycle: A2 was escalated
// to its leader on 18/12/2026 (the ladder's key) and then reminded by a
// leader on 05/01/2027 (plan/P/reminder/K/unit/U/cycle/C): its 2026 item
// shows the reminder, the latest email. On 10/01/2028 A2 is 391 days late
// for 2026 (15/12/2026 → 10/01/2028) and 26 for 2027; ?cycle_id= of 2027
// lists only the 2027 item.
func TestLateList_ShowsALeadersReminderAndHonoursTheCycle(t *testing.T) {
	w := newTwoDistricts(t)
	w.sent(t, fmt.Sprintf("plan/%d/unit/%d/cycle/%d/escalation/T+3/to/chutich.a2@example.org", w.plan, w.a2.ID, w.c1.ID), w.a2,
		"escalation_unit_leader", "chutich.a2@example.org", time.Date(2026, 12, 18, 1, 0, 0, 0, time.UTC))
	w.sent(t, fmt.Sprintf("plan/%d/reminder/req-1/unit/%d/cycle/%d/to/%s", w.plan, w.a2.ID, w.c1.ID, w.a2.Email), w.a2,
		"reminder", w.a2.Email, time.Date(2027, 1, 5, 1, 0, 0, 0, time.UTC))

	status, raw := w.get(t, w.leaderA, "/api/v1/plans/%d/late", w.plan)
	require.Equal(t, http.StatusOK, status, string(raw))
	var late lateBody
	require.NoError(t, json.Unmarshal(raw, &late))
	require.Len(t, late.Late, 2, string(raw))
	require.Equal(t, [2]int64{w.a2.ID, w.c1.ID}, [2]int64{late.Late[0].Unit.ID, late.Late[0].Cycle.ID})
	require.Equal(t, 391, late.Late[0].DaysLate)
	require.NotNil(t, late.Late[0].LastNotification)
	require.Equal(t, "reminder", late.Late[0].LastNotification.Template, "the leader's reminder came after the escalation")
	require.Equal(t, w.a2.Email, late.Late[0].LastNotification.Recipient)
	require.Equal(t, [2]int64{w.a2.ID, w.c2.ID}, [2]int64{late.Late[1].Unit.ID, late.Late[1].Cycle.ID})
	require.Equal(t, 26, late.Late[1].DaysLate)
	require.Nil(t, late.Late[1].LastNotification, "2026's emails are not 2027's")

	status, raw = w.get(t, w.leaderA, "/api/v1/plans/%d/late?cycle_id=%d", w.plan, w.c2.ID)
	require.Equal(t, http.StatusOK, status, string(raw))
	require.NoError(t, json.Unmarshal(raw, &late))
	require.Len(t, late.Late, 1, string(raw))
	require.Equal(t, [2]int64{w.a2.ID, w.c2.ID}, [2]int64{late.Late[0].Unit.ID, late.Late[0].Cycle.ID})
}

type breakdownBody struct {
	Target struct{ Actual *float64 }
	Units  []struct {
		Unit       struct{ ID int64 }
		Allocation *float64
		Actual     *float64
		Progress   float64
		Status     string
	}
}

// TestBreakdown_EveryChildOfThePlanWithItsAllocationReportedOrNot: at A,
// A1 has 350 of its 600 households (0.583 of its share at 15/12/2027, past
// the 713/1825 = 0.39 of the term: on track) and A2, which never reported,
// still has its row: 400 allocated, no data. At the province, B counts
// with B1's and B2's 2026 figures (300 + 200), A with A1's 2027 one.
func TestBreakdown_EveryChildOfThePlanWithItsAllocationReportedOrNot(t *testing.T) {
	w := newTwoDistricts(t)
	status, raw := w.get(t, w.leaderA, "/api/v1/plans/%d/targets/%d/breakdown", w.plan, w.households)
	require.Equal(t, http.StatusOK, status, string(raw))
	var b breakdownBody
	require.NoError(t, json.Unmarshal(raw, &b))
	require.Len(t, b.Units, 2, string(raw))
	a1, a2 := b.Units[0], b.Units[1]
	require.Equal(t, w.a1.ID, a1.Unit.ID)
	require.Equal(t, 600.0, *a1.Allocation)
	require.Equal(t, 350.0, *a1.Actual)
	require.InDelta(t, 350.0/600, a1.Progress, 1e-9)
	require.Equal(t, "on_track", a1.Status)
	require.Equal(t, w.a2.ID, a2.Unit.ID)
	require.Equal(t, 400.0, *a2.Allocation)
	require.Nil(t, a2.Actual)
	require.Equal(t, "no_data", a2.Status)

	status, raw = w.get(t, w.leaderP, "/api/v1/plans/%d/targets/%d/breakdown?unit_id=%d", w.plan, w.households, w.p.ID)
	require.Equal(t, http.StatusOK, status, string(raw))
	require.NoError(t, json.Unmarshal(raw, &b))
	require.Equal(t, 850.0, *b.Target.Actual, "350 + 300 + 200")
	got := map[int64]float64{}
	for _, u := range b.Units {
		got[u.Unit.ID] = *u.Actual
	}
	require.Equal(t, map[int64]float64{w.a.ID: 350, w.b.ID: 500}, got)

	// A target nobody reported: every child still listed, with no data.
	status, raw = w.get(t, w.leaderP, "/api/v1/plans/%d/targets/%d/breakdown?unit_id=%d", w.plan, w.clubs, w.p.ID)
	require.Equal(t, http.StatusOK, status, string(raw))
	require.NoError(t, json.Unmarshal(raw, &b))
	require.Len(t, b.Units, 2)
	for _, u := range b.Units {
		require.Nil(t, u.Actual)
		require.Equal(t, "no_data", u.Status)
	}
}

type summaryBody struct {
	Summary struct {
		Targets  int
		OnTrack  int `json:"on_track"`
		AtRisk   int `json:"at_risk"`
		OffTrack int `json:"off_track"`
		NoData   int `json:"no_data"`
	}
	Targets []struct {
		ID     int64
		Actual *float64
		Status string
	}
}

// TestDashboard_SummaryCountsTargetsByStatus judges each target at
// 15/12/2027, 713 of the term's 1825 days (0.3907; at risk from 0.8 of
// that, 0.3126):
//
//	at A:        350/1000 hộ 0.35 at risk; 5/100 = 5 % ≤ 8,5 % on track;
//	             10/100 hội viên 0.10 off track; câu lạc bộ no data
//	at P:        850/1000 on track; 18/250 = 7,2 % on track;
//	             38/100 at risk; no data
func TestDashboard_SummaryCountsTargetsByStatus(t *testing.T) {
	w := newTwoDistricts(t)
	status, raw := w.get(t, w.leaderA, "/api/v1/plans/%d/dashboard", w.plan)
	require.Equal(t, http.StatusOK, status, string(raw))
	var d summaryBody
	require.NoError(t, json.Unmarshal(raw, &d))
	statuses := func() []string {
		out := make([]string, len(d.Targets))
		for i, t := range d.Targets {
			out[i] = t.Status
		}
		return out
	}
	require.Equal(t, []string{"at_risk", "on_track", "off_track", "no_data"}, statuses())
	require.Equal(t, 350.0, *d.Targets[0].Actual)
	require.Equal(t, 5.0, *d.Targets[1].Actual)
	require.Equal(t, 10.0, *d.Targets[2].Actual)
	require.Equal(t, 4, d.Summary.Targets)
	require.Equal(t, [4]int{1, 1, 1, 1}, [4]int{d.Summary.OnTrack, d.Summary.AtRisk, d.Summary.OffTrack, d.Summary.NoData})

	status, raw = w.get(t, w.leaderP, "/api/v1/plans/%d/dashboard?unit_id=%d", w.plan, w.p.ID)
	require.Equal(t, http.StatusOK, status, string(raw))
	require.NoError(t, json.Unmarshal(raw, &d))
	require.Equal(t, []string{"on_track", "on_track", "at_risk", "no_data"}, statuses())
	require.Equal(t, 850.0, *d.Targets[0].Actual)
	require.InDelta(t, 7.2, *d.Targets[1].Actual, 1e-9)
	require.Equal(t, 38.0, *d.Targets[2].Actual)
	require.Equal(t, [4]int{2, 1, 0, 1}, [4]int{d.Summary.OnTrack, d.Summary.AtRisk, d.Summary.OffTrack, d.Summary.NoData})
}

// TestDashboard_ADistrictSeesOnlyItsOwnSubtree: both districts have
// figures in, but district A's officer and leader see A's alone: 350
// households (A1's 2027 figure; B's 300 + 200 nowhere), 5/100 children,
// 1 of A's 2 reports of 2027 received; breakdown, matrix and late list hold
// A1 and A2 only. B, its commune B1 and the province above answer 404.
func TestDashboard_ADistrictSeesOnlyItsOwnSubtree(t *testing.T) {
	w := newTwoDistricts(t)
	_, leaderB := storetest.SignedIn(t, w.db, w.b.ID, "leader")
	status, raw := w.get(t, leaderB, "/api/v1/plans/%d/dashboard", w.plan)
	require.Equal(t, http.StatusOK, status, string(raw))
	var d dashboardBody
	require.NoError(t, json.Unmarshal(raw, &d))
	require.Equal(t, w.b.ID, d.Unit.ID)
	require.Equal(t, 500.0, *d.Targets[0].Actual, "B: 300 + 200 carried from 2026")

	for role, token := range map[string]string{"officer": w.officerA, "leader": w.leaderA} {
		t.Run(role, func(t *testing.T) {
			status, raw := w.get(t, token, "/api/v1/plans/%d/dashboard", w.plan)
			require.Equal(t, http.StatusOK, status, string(raw))
			var d dashboardBody
			require.NoError(t, json.Unmarshal(raw, &d))
			require.Equal(t, w.a.ID, d.Unit.ID, "defaults to the caller's district")
			require.Equal(t, 350.0, *d.Targets[0].Actual)
			require.Equal(t, 5.0, *d.Targets[1].Numerator)
			require.Equal(t, 100.0, *d.Targets[1].Denominator)
			require.Equal(t, 10.0, *d.Targets[2].Actual)
			require.Equal(t, 2, d.Completeness.Expected)
			require.Equal(t, 1, d.Completeness.Received)
			var children []int64
			for _, c := range d.Children {
				children = append(children, c.Unit.ID)
			}
			require.ElementsMatch(t, []int64{w.a1.ID, w.a2.ID}, children)

			status, raw = w.get(t, token, "/api/v1/plans/%d/targets/%d/breakdown", w.plan, w.households)
			require.Equal(t, http.StatusOK, status, string(raw))
			var b breakdownBody
			require.NoError(t, json.Unmarshal(raw, &b))
			var rows []int64
			for _, u := range b.Units {
				rows = append(rows, u.Unit.ID)
			}
			require.ElementsMatch(t, []int64{w.a1.ID, w.a2.ID}, rows)

			status, raw = w.get(t, token, "/api/v1/plans/%d/matrix", w.plan)
			require.Equal(t, http.StatusOK, status, string(raw))
			var m struct {
				Units []struct{ Unit struct{ ID int64 } }
				Total int
			}
			require.NoError(t, json.Unmarshal(raw, &m))
			require.Equal(t, 2, m.Total)
			require.Equal(t, []int64{w.a1.ID, w.a2.ID}, []int64{m.Units[0].Unit.ID, m.Units[1].Unit.ID})

			status, raw = w.get(t, token, "/api/v1/plans/%d/late", w.plan)
			require.Equal(t, http.StatusOK, status, string(raw))
			var late lateBody
			require.NoError(t, json.Unmarshal(raw, &late))
			require.Len(t, late.Late, 2, "A2's two reports; B1's and B2's 2027 ones are B's")
			for _, l := range late.Late {
				require.Equal(t, w.a2.ID, l.Unit.ID)
			}

			for _, other := range []store.Unit{w.b, w.b1, w.p} {
				for _, path := range []string{
					"/api/v1/plans/%d/dashboard?unit_id=%d",
					"/api/v1/plans/%d/matrix?unit_id=%d",
					"/api/v1/plans/%d/late?unit_id=%d",
					"/api/v1/plans/%d/export.xlsx?unit_id=%d",
				} {
					status, raw := w.get(t, token, path, w.plan, other.ID)
					require.Equal(t, http.StatusNotFound, status, "%s for %s: %s", fmt.Sprintf(path, w.plan, other.ID), other.Name, raw)
				}
				status, raw := w.get(t, token, "/api/v1/plans/%d/targets/%d/breakdown?unit_id=%d", w.plan, w.households, other.ID)
				require.Equal(t, http.StatusNotFound, status, "breakdown for %s: %s", other.Name, raw)
			}
		})
	}
}

// TestDashboard_AUnitIsMeasuredAgainstItsAllocation: commune A1 was given
// 600 of the households and reported 350, so its own dashboard measures
// 350 against 600 (0,583, on track, as A1's row of the breakdown does),
// not against the province's 1.000; the province keeps its 1.000.
func TestDashboard_AUnitIsMeasuredAgainstItsAllocation(t *testing.T) {
	w := newTwoDistricts(t)
	var d struct {
		Targets []struct {
			ID       int64
			Target   *float64
			Actual   *float64
			Progress float64
			Status   string
		}
	}
	status, raw := w.get(t, w.leaderA, "/api/v1/plans/%d/dashboard?unit_id=%d", w.plan, w.a1.ID)
	require.Equal(t, http.StatusOK, status, string(raw))
	require.NoError(t, json.Unmarshal(raw, &d))
	require.Equal(t, w.households, d.Targets[0].ID)
	require.Equal(t, 600.0, *d.Targets[0].Target)
	require.Equal(t, 350.0, *d.Targets[0].Actual)
	require.InDelta(t, 350.0/600, d.Targets[0].Progress, 1e-9)
	require.Equal(t, "on_track", d.Targets[0].Status)

	status, raw = w.get(t, w.leaderP, "/api/v1/plans/%d/dashboard?unit_id=%d", w.plan, w.p.ID)
	require.Equal(t, http.StatusOK, status, string(raw))
	require.NoError(t, json.Unmarshal(raw, &d))
	require.Equal(t, 1000.0, *d.Targets[0].Target, "the province holds every allocation: the plan's own target")
	require.Equal(t, 850.0, *d.Targets[0].Actual)
}

// TestReportList_SaysWhoMayReview: the province issued the plan, so its
// leader may review the submitted reports; district A's leader sees A's
// reports in the list but may not review them.
func TestReportList_SaysWhoMayReview(t *testing.T) {
	w := newTwoDistricts(t)
	var list struct {
		Reports []struct {
			Unit      struct{ ID int64 }
			Status    string
			CanReview bool `json:"can_review"`
		}
	}
	status, raw := w.get(t, w.leaderP, "/api/v1/reports?status=submitted&plan_id=%d", w.plan)
	require.Equal(t, http.StatusOK, status, string(raw))
	require.NoError(t, json.Unmarshal(raw, &list))
	require.NotEmpty(t, list.Reports)
	for _, r := range list.Reports {
		require.True(t, r.CanReview, "the issuer's leader reviews unit %d", r.Unit.ID)
	}
	status, raw = w.get(t, w.leaderA, "/api/v1/reports?status=submitted&plan_id=%d", w.plan)
	require.Equal(t, http.StatusOK, status, string(raw))
	require.NoError(t, json.Unmarshal(raw, &list))
	require.NotEmpty(t, list.Reports)
	for _, r := range list.Reports {
		require.False(t, r.CanReview, "a district's leader does not review the province's plan")
	}
}
