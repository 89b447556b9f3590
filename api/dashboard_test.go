package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"cascade/api/spectest"
	"cascade/store"
	"cascade/store/storetest"
)

// reportingTree is a district N with three communes that report on N's
// plan: C1 on time, C2 late, C3 not at all.
type reportingTree struct {
	n, c1, c2, c3      store.Unit
	plan               int64
	annual, midterm    store.ReportCycle
	poverty, stunting  int64
	leaderN, officerC1 string
	srvURL             string
	db                 *store.DB
}

func (w *reportingTree) store(t *testing.T) *store.Store { return store.New(w.db) }

var vnNow = time.Date(2027, 1, 20, 3, 0, 0, 0, time.UTC) // 20/01/2027, 10:00 in Vietnam

func newReportingTree(t *testing.T) *reportingTree {
	t.Helper()
	s := newAPIServer(t)
	s.Now = func() time.Time { return vnNow }
	srv := newHTTP(t, s.Handler())
	db := s.DB
	ctx := context.Background()
	st := store.New(db)
	root := storetest.Root(t, db)
	w := &reportingTree{srvURL: srv, db: db}
	mk := func(parent store.Unit, kind, name string) store.Unit {
		u, err := st.CreateUnit(ctx, store.Unit{ParentID: &parent.ID, Kind: kind, Code: "R-" + storetest.Unique(), Name: name,
			Email: "u-" + storetest.Unique() + "@example.org"})
		require.NoError(t, err)
		return u
	}
	w.n = mk(root, "district", "Hội LHPN huyện Ninh Hòa "+storetest.Unique())
	w.c1 = mk(w.n, "commune", "Hội LHPN xã Ninh Đa")
	w.c2 = mk(w.n, "commune", "Hội LHPN xã Ninh Thủy")
	w.c3 = mk(w.n, "commune", "Hội LHPN xã Ninh Phước")
	poverty, stunting, base := 2700.0, 8.5, 10.5
	var err error
	w.plan, err = st.CreatePlan(ctx, store.NewPlan{
		Plan:    store.Plan{Code: "9/KH-" + storetest.Unique(), Title: "Kế hoạch thực hiện Nghị quyết", IssuerUnitID: &w.n.ID, TermStartYear: 2026, TermEndYear: 2030, Place: "Ninh Hòa"},
		UnitIDs: []int64{w.c1.ID, w.c2.ID, w.c3.ID},
		Targets: []store.Target{
			{Text: "Giúp hộ thoát nghèo", Value: &poverty, Unit: "hộ", Direction: "exactly", Measure: "count"},
			{Text: "Tỷ lệ trẻ suy dinh dưỡng thấp còi", Value: &stunting, Baseline: &base, Unit: "%", Direction: "at_most", Measure: "percent"},
		},
		Cycles: []store.ReportCycle{
			{Kind: "annual", Year: 2026, DueOn: store.Date{Time: time.Date(2026, 12, 15, 0, 0, 0, 0, time.UTC)}},
			{Kind: "midterm", Year: 2028, DueOn: store.Date{Time: time.Date(2028, 6, 30, 0, 0, 0, 0, time.UTC)}},
		},
	})
	require.NoError(t, err)
	cycles, err := st.ReportCycles(ctx, w.plan)
	require.NoError(t, err)
	w.annual, w.midterm = cycles[0], cycles[1]
	targets, err := st.Targets(ctx, w.plan)
	require.NoError(t, err)
	w.poverty, w.stunting = targets[0].ID, targets[1].ID
	f := func(v float64) *float64 { return &v }
	submit := func(u store.Unit, at time.Time, count, num, den float64) {
		r, err := st.OpenReport(ctx, w.annual.ID, u.ID, w.annual.DueOn)
		require.NoError(t, err)
		require.NoError(t, st.SubmitReport(ctx, r.ID, nil, at, []store.ReportValue{
			{TargetID: w.poverty, Value: f(count)}, {TargetID: w.stunting, Numerator: f(num), Denominator: f(den)}}))
	}
	submit(w.c1, time.Date(2026, 12, 10, 2, 0, 0, 0, time.UTC), 1200, 1, 10)
	submit(w.c2, time.Date(2026, 12, 20, 2, 0, 0, 0, time.UTC), 800, 90, 1000)
	r3, err := st.OpenReport(ctx, w.annual.ID, w.c3.ID, w.annual.DueOn)
	require.NoError(t, err)
	_ = r3
	n, err := st.EnqueueNotification(ctx, store.Notification{IdempotencyKey: fmt.Sprintf("plan/%d/unit/%d/cycle/%d/escalation/T+3/to/x", w.plan, w.c3.ID, w.annual.ID),
		PlanID: &w.plan, UnitID: &w.c3.ID, Recipient: "chutich.ninhphuoc@example.org", Template: "escalation_unit_leader", Subject: "s", BodyText: "b"})
	require.NoError(t, err)
	require.NoError(t, st.MarkNotificationSent(ctx, n.ID, time.Date(2026, 12, 18, 1, 0, 0, 0, time.UTC)))
	_, w.leaderN = storetest.SignedIn(t, db, w.n.ID, "leader")
	_, w.officerC1 = storetest.SignedIn(t, db, w.c1.ID, "officer")
	return w
}

// newHTTP serves h, every exchange checked against openapi.yaml.
func newHTTP(t *testing.T, h http.Handler) string {
	srv := httptest.NewServer(spectest.Handler(t, h))
	t.Cleanup(srv.Close)
	return srv.URL
}

func (w *reportingTree) get(t *testing.T, token, path string) (int, []byte) {
	t.Helper()
	req, err := http.NewRequest("GET", w.srvURL+path, nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+token)
	status, _, raw := send(t, req)
	return status, raw
}

func (w *reportingTree) post(t *testing.T, token, path, body string) (int, []byte) {
	t.Helper()
	req, err := http.NewRequest("POST", w.srvURL+path, strings.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	status, _, raw := send(t, req)
	return status, raw
}

type dashboardBody struct {
	Unit         struct{ ID int64 } `json:"unit"`
	Completeness struct {
		Expected, Received int
		OnTime             int     `json:"on_time"`
		Completeness       float64 `json:"completeness"`
		Timeliness         float64 `json:"timeliness"`
	} `json:"completeness"`
	Targets []struct {
		ID          int64
		Actual      *float64
		Numerator   *float64
		Denominator *float64
		Progress    float64
		Status      string
		ByYear      []struct {
			Year   int
			Actual float64
		} `json:"by_year"`
	} `json:"targets"`
	Children []struct {
		Unit struct {
			ID   int64
			Name string
		}
		Expected, Received int
	} `json:"children"`
}

func TestDashboard_SumsCountsAndDividesSummedRatiosOverTheSubtree(t *testing.T) {
	w := newReportingTree(t)
	status, raw := w.get(t, w.leaderN, fmt.Sprintf("/api/v1/plans/%d/dashboard?unit_id=%d", w.plan, w.n.ID))
	require.Equal(t, http.StatusOK, status, string(raw))
	var d dashboardBody
	require.NoError(t, json.Unmarshal(raw, &d))
	require.Equal(t, 2000.0, *d.Targets[0].Actual)
	require.InDelta(t, 2000.0/2700, d.Targets[0].Progress, 1e-9)
	// 91 stunted of 1010 children: 9,01 %, not the 9,5 % an average of
	// the communes' 10 % and 9 % would give.
	require.Equal(t, 91.0, *d.Targets[1].Numerator)
	require.Equal(t, 1010.0, *d.Targets[1].Denominator)
	require.InDelta(t, 100*91.0/1010, *d.Targets[1].Actual, 1e-9)
	require.Equal(t, 3, d.Completeness.Expected)
	require.Equal(t, 2, d.Completeness.Received)
	require.Equal(t, 1, d.Completeness.OnTime)
	require.InDelta(t, 1.0/3, d.Completeness.Timeliness, 1e-9)
	require.Len(t, d.Children, 3)
	require.Len(t, d.Targets[0].ByYear, 1)
	require.Equal(t, 2026, d.Targets[0].ByYear[0].Year)
}

func TestDashboard_ACommuneSeesOnlyItsOwnSubtree(t *testing.T) {
	w := newReportingTree(t)
	status, raw := w.get(t, w.officerC1, fmt.Sprintf("/api/v1/plans/%d/dashboard", w.plan))
	require.Equal(t, http.StatusOK, status, string(raw))
	var d dashboardBody
	require.NoError(t, json.Unmarshal(raw, &d))
	require.Equal(t, w.c1.ID, d.Unit.ID, "defaults to the caller's own unit")
	require.Equal(t, 1200.0, *d.Targets[0].Actual)
	require.Equal(t, 1, d.Completeness.Expected)

	status, _ = w.get(t, w.officerC1, fmt.Sprintf("/api/v1/plans/%d/dashboard?unit_id=%d", w.plan, w.n.ID))
	require.Equal(t, http.StatusNotFound, status, "the district above is outside the commune's scope")
	status, raw = w.get(t, w.officerC1, fmt.Sprintf("/api/v1/plans/%d/matrix", w.plan))
	require.Equal(t, http.StatusOK, status)
	require.Contains(t, string(raw), w.c1.Name)
	require.NotContains(t, string(raw), w.c2.Name)
	status, raw = w.get(t, w.officerC1, fmt.Sprintf("/api/v1/plans/%d/late", w.plan))
	require.Equal(t, http.StatusOK, status)
	require.JSONEq(t, `{"late":[]}`, string(raw))
}

func TestBreakdownMatrixAndLateList(t *testing.T) {
	w := newReportingTree(t)
	status, raw := w.get(t, w.leaderN, fmt.Sprintf("/api/v1/plans/%d/targets/%d/breakdown?unit_id=%d", w.plan, w.poverty, w.n.ID))
	require.Equal(t, http.StatusOK, status, string(raw))
	var b struct {
		Units []struct {
			Unit   struct{ Name string }
			Actual *float64
		}
	}
	require.NoError(t, json.Unmarshal(raw, &b))
	actual := map[string]*float64{}
	for _, u := range b.Units {
		actual[u.Unit.Name] = u.Actual
	}
	f := func(v float64) *float64 { return &v }
	require.Equal(t, map[string]*float64{w.c1.Name: f(1200), w.c2.Name: f(800), w.c3.Name: nil}, actual, "C3 has not reported: a row with no data")

	status, raw = w.get(t, w.leaderN, fmt.Sprintf("/api/v1/plans/%d/matrix?unit_id=%d", w.plan, w.n.ID))
	require.Equal(t, http.StatusOK, status, string(raw))
	var m struct {
		Units []struct {
			Unit  struct{ Name string }
			Cells []struct {
				Status   string
				DaysLate int `json:"days_late"`
			}
		}
	}
	require.NoError(t, json.Unmarshal(raw, &m))
	got := map[string]string{}
	for _, u := range m.Units {
		got[u.Unit.Name] = fmt.Sprintf("%s/%d %s", u.Cells[0].Status, u.Cells[0].DaysLate, u.Cells[1].Status)
	}
	require.Equal(t, map[string]string{w.c1.Name: "submitted/0 none", w.c2.Name: "submitted/5 none", w.c3.Name: "late/36 none"}, got)

	// Keyset pages: one unit a page, followed by next_cursor, give the same
	// units in the same order as the whole grid, and the last page says so.
	var order []string
	for _, u := range m.Units {
		order = append(order, u.Unit.Name)
	}
	var paged []string
	query := fmt.Sprintf("/api/v1/plans/%d/matrix?unit_id=%d&limit=1", w.plan, w.n.ID)
	for range 10 {
		status, raw = w.get(t, w.leaderN, query)
		require.Equal(t, http.StatusOK, status, string(raw))
		var page struct {
			Units      []struct{ Unit struct{ Name string } }
			NextCursor *string `json:"next_cursor"`
		}
		require.NoError(t, json.Unmarshal(raw, &page))
		for _, u := range page.Units {
			paged = append(paged, u.Unit.Name)
		}
		if page.NextCursor == nil {
			break
		}
		query = fmt.Sprintf("/api/v1/plans/%d/matrix?unit_id=%d&limit=1&cursor=%s", w.plan, w.n.ID, url.QueryEscape(*page.NextCursor))
	}
	require.Equal(t, order, paged, "cursor pages walk the grid once, in its order")

	// total: a page read by offset counts the subtree's units (also past the
	// last unit, and on a first page that holds them all); a cursor page
	// after the first says -1 (the client has it from the first).
	status, raw = w.get(t, w.leaderN, fmt.Sprintf("/api/v1/plans/%d/matrix?unit_id=%d&limit=1", w.plan, w.n.ID))
	require.Equal(t, http.StatusOK, status, string(raw))
	var first struct {
		NextCursor *string `json:"next_cursor"`
	}
	require.NoError(t, json.Unmarshal(raw, &first))
	require.NotNil(t, first.NextCursor)
	totals := map[string]int{}
	for _, q := range []string{"limit=1", "limit=1&offset=1", "limit=1&offset=10", "limit=100", "limit=1&cursor=" + url.QueryEscape(*first.NextCursor)} {
		status, raw = w.get(t, w.leaderN, fmt.Sprintf("/api/v1/plans/%d/matrix?unit_id=%d&%s", w.plan, w.n.ID, q))
		require.Equal(t, http.StatusOK, status, string(raw))
		var page struct{ Total int }
		require.NoError(t, json.Unmarshal(raw, &page))
		totals[strings.Split(q, "&")[len(strings.Split(q, "&"))-1]] = page.Total
	}
	require.Equal(t, map[string]int{"limit=1": 3, "offset=1": 3, "offset=10": 3, "limit=100": 3, "cursor=" + url.QueryEscape(*first.NextCursor): -1}, totals)
	for _, bad := range []string{"cursor=zzz", "cursor=" + url.QueryEscape("eyJ4IjoxfQ=="), "offset=1&cursor=abc"} {
		status, raw = w.get(t, w.leaderN, fmt.Sprintf("/api/v1/plans/%d/matrix?unit_id=%d&%s", w.plan, w.n.ID, bad))
		require.Equal(t, http.StatusBadRequest, status, "%s: %s", bad, raw)
		require.Contains(t, string(raw), "cursor", "the error names the field")
	}

	status, raw = w.get(t, w.leaderN, fmt.Sprintf("/api/v1/plans/%d/late?unit_id=%d", w.plan, w.n.ID))
	require.Equal(t, http.StatusOK, status, string(raw))
	var late struct {
		Late []struct {
			Unit             struct{ Name string }
			DaysLate         int `json:"days_late"`
			LastNotification *struct {
				Template  string
				Recipient string
			} `json:"last_notification"`
		}
	}
	require.NoError(t, json.Unmarshal(raw, &late))
	require.Len(t, late.Late, 1)
	require.Equal(t, w.c3.Name, late.Late[0].Unit.Name)
	require.Equal(t, 36, late.Late[0].DaysLate)
	require.Equal(t, "escalation_unit_leader", late.Late[0].LastNotification.Template)
	require.Equal(t, "chutich.ninhphuoc@example.org", late.Late[0].LastNotification.Recipient)

	status, _ = w.get(t, w.leaderN, fmt.Sprintf("/api/v1/plans/%d/dashboard?cycle_id=999999", w.plan))
	require.Equal(t, http.StatusUnprocessableEntity, status)
	status, _ = w.get(t, w.leaderN, fmt.Sprintf("/api/v1/plans/%d/dashboard?unit_id=abc", w.plan))
	require.Equal(t, http.StatusBadRequest, status)
}

// convert opens data with LibreOffice and converts it (soffice --headless
// --convert-to); it returns the text of every file written.
func convert(t *testing.T, data []byte, name, to string) map[string]string {
	t.Helper()
	soffice, err := exec.LookPath("soffice")
	require.NoError(t, err, "LibreOffice (soffice) is needed: scripts/deps.sh installs it")
	dir := t.TempDir()
	in := filepath.Join(dir, name)
	require.NoError(t, os.WriteFile(in, data, 0o600))
	out := filepath.Join(dir, "out")
	cmd := exec.Command(soffice, "-env:UserInstallation=file://"+filepath.Join(dir, "profile"), "--headless", "--convert-to", to, "--outdir", out, in)
	res, err := cmd.CombinedOutput()
	require.NoError(t, err, string(res))
	files, err := os.ReadDir(out)
	require.NoError(t, err)
	require.NotEmpty(t, files, "soffice wrote nothing: %s", res)
	texts := map[string]string{}
	for _, f := range files {
		b, err := os.ReadFile(filepath.Join(out, f.Name()))
		require.NoError(t, err)
		texts[f.Name()] = string(b)
	}
	return texts
}

func TestExport_WorkbookOpensInLibreOfficeWithVietnameseFigures(t *testing.T) {
	w := newReportingTree(t)
	req, err := http.NewRequest("GET", fmt.Sprintf("%s/api/v1/plans/%d/export.xlsx?unit_id=%d", w.srvURL, w.plan, w.n.ID), nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+w.leaderN)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	require.Equal(t, http.StatusOK, resp.StatusCode, string(data))
	require.Contains(t, resp.Header.Get("Content-Disposition"), ".xlsx")
	require.Regexp(t, `filename="Tien-do-[^"]+-\d{2}-\d{2}-\d{4}\.xlsx"`, resp.Header.Get("Content-Disposition"), "named by the plan's code and the day, not an internal id")
	require.NotContains(t, resp.Header.Get("Content-Disposition"), fmt.Sprintf("ke-hoach-%d.xlsx", w.plan))

	// Every sheet to its own CSV, UTF-8 (76), cells as shown (true).
	texts := convert(t, data, "tien-do.xlsx", `csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,-1`)
	var names []string
	for n := range texts {
		names = append(names, n)
	}
	sort.Strings(names)
	require.Len(t, names, 2, "one CSV per sheet: %v", names)
	var progressCSV, matrixCSV string
	for n, txt := range texts {
		if strings.Contains(n, "Tiến độ") || strings.Contains(n, "Ti") && strings.Contains(txt, "Chỉ tiêu") {
			progressCSV = txt
		} else {
			matrixCSV = txt
		}
	}
	require.Contains(t, progressCSV, "STT,Chỉ tiêu,Đơn vị tính")
	require.Contains(t, progressCSV, `Đạt,2.700,,2.000,`, "the total in Vietnamese format:\n%s", progressCSV)
	require.Contains(t, progressCSV, `91,1.010,"74,5%"`)
	require.Contains(t, progressCSV, `"9,0"`, "91/1010 as a Vietnamese decimal")
	require.Contains(t, progressCSV, "Đúng tiến độ")
	require.Contains(t, matrixCSV, "Đơn vị,Năm 2026 (hạn 15/12/2026)")
	require.Contains(t, matrixCSV, w.c3.Name+",Trễ hạn,36")
	require.Contains(t, matrixCSV, "Tổng số đã nộp,2")
}

func TestReview_CompiledDossierAndItsWordReport(t *testing.T) {
	w := newReportingTree(t)
	status, raw := w.post(t, w.officerC1, fmt.Sprintf("/api/v1/plans/%d/reviews", w.plan), fmt.Sprintf(`{"cycle_id":%d}`, w.annual.ID))
	require.Equal(t, http.StatusNotFound, status, string(raw))
	status, raw = w.post(t, w.leaderN, fmt.Sprintf("/api/v1/plans/%d/reviews", w.plan), `{"cycle_id":999999}`)
	require.Equal(t, http.StatusUnprocessableEntity, status, string(raw))
	status, raw = w.post(t, w.leaderN, fmt.Sprintf("/api/v1/plans/%d/reviews", w.plan), fmt.Sprintf(`{"cycle_id":%d}`, w.annual.ID))
	require.Equal(t, http.StatusCreated, status, string(raw))
	// Compiled again: still one review of the cycle.
	status, _ = w.post(t, w.leaderN, fmt.Sprintf("/api/v1/plans/%d/reviews", w.plan), fmt.Sprintf(`{"cycle_id":%d}`, w.annual.ID))
	require.Equal(t, http.StatusCreated, status)
	status, raw = w.get(t, w.leaderN, fmt.Sprintf("/api/v1/plans/%d/reviews", w.plan))
	require.Equal(t, http.StatusOK, status)
	var list struct{ Reviews []struct{ ID int64 } }
	require.NoError(t, json.Unmarshal(raw, &list))
	require.Len(t, list.Reviews, 1)

	status, raw = w.get(t, w.leaderN, fmt.Sprintf("/api/v1/reviews/%d", list.Reviews[0].ID))
	require.Equal(t, http.StatusOK, status)
	require.Contains(t, string(raw), w.c3.Name)

	plan, err := w.store(t).Plan(context.Background(), w.plan)
	require.NoError(t, err)
	text := w.reviewText(t, list.Reviews[0].ID)
	for _, want := range []string{
		"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", strings.ToUpper(w.n.Name),
		"Ninh Hòa, ngày 20 tháng 01 năm 2027", "BÁO CÁO", "Giúp hộ thoát nghèo", "2.000 hộ", "9,01%",
		"Nơi nhận:", "CHỦ TỊCH",
		// The issuer's parent heads it; the number is left for the clerk,
		// with the issuer's abbreviation from the plan's code.
		"HỘI LHPN TỈNH (KIỂM THỬ)\n" + strings.ToUpper(w.n.Name),
		"Số: ……/BC-" + strings.TrimPrefix(plan.Code, "9/KH-"),
		// An annual report is no sơ kết.
		"Kết quả thực hiện năm 2026 Kế hoạch số " + plan.Code,
		"báo cáo kết quả thực hiện năm 2026 như sau:",
	} {
		require.Contains(t, text, want)
	}
	require.NotContains(t, text, "SƠ KẾT")
	// C3 has not reported; C2 reported five days late (20/12 for 15/12).
	_, late, ok := strings.Cut(text, "Các đơn vị chưa nộp báo cáo")
	require.True(t, ok, text)
	notYet, lateSubmitters, ok := strings.Cut(late, "Các đơn vị nộp báo cáo chậm")
	require.True(t, ok, text)
	require.Contains(t, notYet, w.c3.Name)
	require.NotContains(t, notYet, w.c2.Name)
	require.Contains(t, lateSubmitters, w.c2.Name+"\n15/12/2026\n20/12/2026\n5\n")
	require.NotContains(t, lateSubmitters, w.c1.Name, "C1 reported on time")

	// The mid-term review is a sơ kết.
	status, raw = w.post(t, w.leaderN, fmt.Sprintf("/api/v1/plans/%d/reviews", w.plan), fmt.Sprintf(`{"cycle_id":%d}`, w.midterm.ID))
	require.Equal(t, http.StatusCreated, status, string(raw))
	status, raw = w.get(t, w.leaderN, fmt.Sprintf("/api/v1/plans/%d/reviews", w.plan))
	require.Equal(t, http.StatusOK, status)
	require.NoError(t, json.Unmarshal(raw, &list))
	require.Len(t, list.Reviews, 2, "listed by due date: the annual, then the mid-term")
	text = w.reviewText(t, list.Reviews[1].ID)
	require.Contains(t, text, "SƠ KẾT giữa nhiệm kỳ (năm 2028) thực hiện Kế hoạch số "+plan.Code)
	require.Contains(t, text, "báo cáo kết quả sơ kết giữa nhiệm kỳ giai đoạn 2026–2028 như sau:")
	require.NotContains(t, text, "Kết quả thực hiện năm")
}

// reviewText downloads a review's Word report and reads it back as text
// through LibreOffice.
func (w *reportingTree) reviewText(t *testing.T, reviewID int64) string {
	t.Helper()
	status, data := w.get(t, w.leaderN, fmt.Sprintf("/api/v1/reviews/%d/report.docx", reviewID))
	require.Equal(t, http.StatusOK, status, string(data))
	texts := convert(t, data, "bao-cao.docx", "txt:Text (encoded):UTF8")
	var text string
	for _, v := range texts {
		text = v
	}
	return strings.ReplaceAll(text, "\r\n", "\n")
}
