package api

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"cascade/auth"
	"cascade/dashboard"
	"cascade/reports"
	"cascade/store"
)

type formPrevious struct {
	Value       *float64 `json:"value"`
	Numerator   *float64 `json:"numerator"`
	Denominator *float64 `json:"denominator"`
}

type formTarget struct {
	ID         int64         `json:"id"`
	Text       string        `json:"text"`
	Unit       string        `json:"unit"`
	Measure    string        `json:"measure"`
	Direction  string        `json:"direction"`
	Value      *float64      `json:"value"`
	Allocation *float64      `json:"allocation"`
	Previous   *formPrevious `json:"previous"`
}

type formDraft struct {
	Values     []reports.Value   `json:"values"`
	Narratives []store.Narrative `json:"narratives"`
	SavedAt    time.Time         `json:"saved_at"`
}

// reportForm is what the report form shows beside the report's own fields.
type reportForm struct {
	PlanTitle   string             `json:"plan_title"`
	Unit        dashboard.Ref      `json:"unit"`
	Cycle       dashboard.Cycle    `json:"cycle"`
	Targets     []formTarget       `json:"targets"`
	TaskGroups  []store.TaskGroup  `json:"task_groups"`
	Narratives  []store.Narrative  `json:"narratives"`
	Draft       *formDraft         `json:"draft"`
	Attachments []store.Attachment `json:"attachments"`
	Warnings    []reports.Problem  `json:"warnings"`
	CanSubmit   bool               `json:"can_submit"`
	CanReview   bool               `json:"can_review"`
}

// formTargets are the targets a unit reports on: those the plan does not
// share out among units, and those it gives the unit a share of.
func formTargets(ts []store.FormTarget) []store.FormTarget {
	out := ts[:0:0]
	for _, t := range ts {
		if !t.Allocated || t.Allocation != nil {
			out = append(out, t)
		}
	}
	return out
}

func (s *Server) reportForm(c *gin.Context, r store.Report, cycle store.ReportCycle, vs []store.ReportValue) (reportForm, error) {
	st := store.New(s.DB)
	f := reportForm{Cycle: dashboard.Cycle{ID: cycle.ID, Kind: cycle.Kind, Year: cycle.Year, DueOn: cycle.DueOn},
		Targets: []formTarget{}, Warnings: []reports.Problem{}}
	p, err := st.Plan(c, cycle.PlanID)
	if err != nil {
		return f, err
	}
	f.PlanTitle = p.Title
	unit, err := st.Unit(c, r.UnitID)
	if err != nil {
		return f, err
	}
	f.Unit = dashboard.Ref{ID: unit.ID, Name: unit.Name}
	ts, err := st.FormTargets(c, p.ID, r.UnitID)
	if err != nil {
		return f, err
	}
	prevRows, err := st.PreviousReportValues(c, r.ID)
	if err != nil {
		return f, err
	}
	prev := map[int64]reports.Value{}
	for _, v := range prevRows {
		prev[v.TargetID] = reports.Value{TargetID: v.TargetID, Value: v.Value, Numerator: v.Numerator, Denominator: v.Denominator}
	}
	for _, t := range formTargets(ts) {
		ft := formTarget{ID: t.ID, Text: t.Text, Unit: t.Unit, Measure: t.Measure, Direction: t.Direction, Value: t.Value, Allocation: t.Allocation}
		if v, ok := prev[t.ID]; ok {
			ft.Previous = &formPrevious{Value: v.Value, Numerator: v.Numerator, Denominator: v.Denominator}
		}
		f.Targets = append(f.Targets, ft)
	}
	if f.TaskGroups, err = st.TaskGroups(c, p.ID); err != nil {
		return f, err
	}
	if f.Narratives, err = st.Narratives(c, r.ID); err != nil {
		return f, err
	}
	f.TaskGroups, f.Narratives = nonNil(f.TaskGroups), nonNil(f.Narratives)
	values := make([]reports.Value, len(vs))
	for i, v := range vs {
		values[i] = reports.Value{TargetID: v.TargetID, Value: v.Value, Numerator: v.Numerator, Denominator: v.Denominator}
	}
	if d, err := st.Draft(c, r.ID); err == nil {
		fd := &formDraft{SavedAt: d.SavedAt}
		_ = json.Unmarshal(d.Values, &fd.Values)
		_ = json.Unmarshal(d.Narratives, &fd.Narratives)
		fd.Values, fd.Narratives = nonNil(fd.Values), nonNil(fd.Narratives)
		f.Draft = fd
		if len(values) == 0 {
			values = fd.Values
		}
	}
	f.Warnings = reports.Plausibility(values, prev)
	if f.Attachments, err = st.AttachmentsOf(c, "report", r.ID); err != nil {
		return f, err
	}
	f.Attachments = nonNil(f.Attachments)
	open := r.Status == "pending" || r.Status == "draft" || r.Status == "returned"
	f.CanSubmit = open && who(c).Can(auth.ActionSubmitReport, unit.Path) == auth.Allow
	if issuer, err := st.Unit(c, *p.IssuerUnitID); err == nil {
		f.CanReview = r.Status == "submitted" && who(c).Can(auth.ActionApprove, issuer.Path) == auth.Allow
	}
	return f, nil
}

// checkSubmission checks a submission against the unit's form and the
// plan's task groups, naming every problem at once.
func (s *Server) checkSubmission(c *gin.Context, r store.Report, cycle store.ReportCycle, values []reports.Value, ns []store.Narrative) error {
	st := store.New(s.DB)
	ts, err := st.FormTargets(c, cycle.PlanID, r.UnitID)
	if err != nil {
		return err
	}
	form := []reports.FormTarget{}
	for _, t := range formTargets(ts) {
		form = append(form, reports.FormTarget{ID: t.ID, Measure: t.Measure, Text: t.Text})
	}
	e := errUnprocessable()
	if err := reports.CheckForm(form, values); err != nil {
		e = problemsError(err)
	}
	if err := s.checkNarratives(c, cycle.PlanID, ns, e); err != nil {
		return err
	}
	if len(e.Fields) > 0 {
		return e
	}
	return nil
}

func (s *Server) checkNarratives(c *gin.Context, planID int64, ns []store.Narrative, e *Error) error {
	groups, err := store.New(s.DB).TaskGroups(c, planID)
	if err != nil {
		return err
	}
	known := map[int64]bool{}
	for _, g := range groups {
		known[g.ID] = true
	}
	seen := map[int64]bool{}
	for i, n := range ns {
		f := fmt.Sprintf("narratives[%d]", i)
		switch {
		case !known[n.TaskGroupID]:
			e.withField(f+".task_group_id", "Nhóm nhiệm vụ không thuộc kế hoạch này", "task group is not part of this plan")
		case seen[n.TaskGroupID]:
			e.withField(f+".task_group_id", "Nhóm nhiệm vụ bị nhập hai lần", "task group given twice")
		case len(n.Text) > 20000:
			e.withField(f+".text", "Tối đa 20000 ký tự", "at most 20000 characters")
		}
		seen[n.TaskGroupID] = true
	}
	return nil
}

type draftRequest struct {
	Values     []reports.Value   `json:"values" binding:"max=1000"`
	Narratives []store.Narrative `json:"narratives" binding:"max=200"`
}

// saveDraft keeps what a unit has entered so far, unchecked for
// completeness; the workflow's state does not change.
func (s *Server) saveDraft(c *gin.Context) {
	var req draftRequest
	if !bind(c, &req) {
		return
	}
	r, ok := s.reportFor(c, auth.ActionSubmitReport)
	if !ok {
		return
	}
	if r.Status == "submitted" || r.Status == "accepted" || r.Status == "waived" {
		respondError(c, newError(http.StatusConflict, "already_submitted", "Báo cáo đã được nộp", "the report was already submitted"))
		return
	}
	cycle, err := store.New(s.DB).ReportCycleOfReport(c, r.ID)
	if err != nil {
		respondError(c, err)
		return
	}
	e := errUnprocessable()
	if err := s.checkNarratives(c, cycle.PlanID, req.Narratives, e); err != nil {
		respondError(c, err)
		return
	}
	if len(e.Fields) > 0 {
		respondError(c, e)
		return
	}
	values, _ := json.Marshal(nonNil(req.Values))
	narratives, _ := json.Marshal(nonNil(req.Narratives))
	err = s.DB.WithTx(c, func(tx *store.Store) error {
		if err := tx.SaveDraft(c, r.ID, values, narratives, who(c).id(), s.now()); err != nil {
			return err
		}
		return tx.Audit(c, store.AuditEntry{ActorID: who(c).id(), Actor: who(c).User.Email, Action: "save_draft", Entity: "report",
			EntityID: fmt.Sprint(r.ID), After: req, UnitID: &r.UnitID, RequestID: requestID(c)})
	})
	if err != nil {
		respondError(c, err)
		return
	}
	s.writeReport(c, http.StatusOK, r.ID)
}

type reportListItem struct {
	ID          int64           `json:"id"`
	PlanID      int64           `json:"plan_id"`
	PlanTitle   string          `json:"plan_title"`
	Unit        dashboard.Ref   `json:"unit"`
	Cycle       dashboard.Cycle `json:"cycle"`
	Status      string          `json:"status"`
	DueOn       store.Date      `json:"due_on"`
	SubmittedAt *time.Time      `json:"submitted_at"`
	// CanReview is true when the caller may accept or return it now.
	CanReview bool `json:"can_review"`
}

var reportStatuses = map[string]bool{"": true, "pending": true, "draft": true, "submitted": true, "returned": true, "accepted": true, "waived": true}

// listReports lists the reports in the caller's scope: of units in it, or
// of plans its units issued (the review queue is ?status=submitted).
func (s *Server) listReports(c *gin.Context) {
	planID, ok := queryID(c, "plan_id")
	if !ok {
		return
	}
	unitID, ok := queryID(c, "unit_id")
	if !ok {
		return
	}
	status := strings.TrimSpace(c.Query("status"))
	if !reportStatuses[status] {
		respondError(c, errInvalid().withField("status", "Trạng thái không hợp lệ", "unknown status"))
		return
	}
	limit, _, ok := page(c, 500, 5000)
	if !ok {
		return
	}
	rows, err := store.New(s.DB).ReportsInScope(c, store.ReportFilter{Paths: scopePaths(c, auth.ActionView), PlanID: planID, UnitID: unitID, Status: status, Limit: limit})
	if err != nil {
		respondError(c, err)
		return
	}
	items := make([]reportListItem, len(rows))
	cl := who(c)
	for i, r := range rows {
		items[i] = reportListItem{ID: r.ID, PlanID: r.PlanID, PlanTitle: r.PlanTitle, Unit: dashboard.Ref{ID: r.UnitID, Name: r.UnitName},
			Cycle: dashboard.Cycle{ID: r.CycleID, Kind: r.CycleKind, Year: r.CycleYear}, Status: r.Status, DueOn: r.DueOn, SubmittedAt: r.SubmittedAt,
			CanReview: r.Status == "submitted" && cl.Can(auth.ActionApprove, r.IssuerPath) == auth.Allow}
	}
	c.JSON(http.StatusOK, gin.H{"reports": items})
}
