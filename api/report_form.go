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
	// Returned is the reviewer's last return of a report now returned: its
	// comment goes beside the targets it names, else above the form.
	Returned *formReturn `json:"returned"`
	// NoData lists the targets the submitted figures leave empty: they
	// have no data for the unit (not 0).
	NoData []int64 `json:"no_data"`
}

type formReturn struct {
	Comment   string      `json:"comment"`
	DueOn     *store.Date `json:"due_on"`
	At        time.Time   `json:"at"`
	TargetIDs []int64     `json:"target_ids"`
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

// reportForm is the form beside a report, made from its scope and page.
func (s *Server) reportForm(c *gin.Context, r store.ReportScope, v store.ReportView) reportForm {
	cycle := r.Cycle
	f := reportForm{Cycle: dashboard.Cycle{ID: cycle.ID, Kind: cycle.Kind, Year: cycle.Year, DueOn: cycle.DueOn},
		Targets: []formTarget{}, Warnings: []reports.Problem{}, PlanTitle: r.PlanTitle, Unit: dashboard.Ref{ID: r.UnitID, Name: r.UnitName}}
	prev := map[int64]reports.Value{}
	for _, v := range v.Previous {
		prev[v.TargetID] = reports.Value{TargetID: v.TargetID, Value: v.Value, Numerator: v.Numerator, Denominator: v.Denominator}
	}
	for _, t := range formTargets(v.Targets) {
		ft := formTarget{ID: t.ID, Text: t.Text, Unit: t.Unit, Measure: t.Measure, Direction: t.Direction, Value: t.Value, Allocation: t.Allocation}
		if v, ok := prev[t.ID]; ok {
			ft.Previous = &formPrevious{Value: v.Value, Numerator: v.Numerator, Denominator: v.Denominator}
		}
		f.Targets = append(f.Targets, ft)
	}
	f.TaskGroups, f.Narratives = nonNil(v.TaskGroups), nonNil(v.Narratives)
	report := v.Report
	if report.Status == "returned" {
		for i := len(v.Reviews) - 1; i >= 0; i-- {
			if rv := v.Reviews[i]; rv.Action == "return" {
				ret := &formReturn{Comment: rv.Comment, DueOn: rv.DueOn, At: rv.At, TargetIDs: []int64{}}
				for _, k := range reports.MentionedTargets(rv.Comment, len(f.Targets)) {
					ret.TargetIDs = append(ret.TargetIDs, f.Targets[k-1].ID)
				}
				f.Returned = ret
				break
			}
		}
	}
	values := make([]reports.Value, len(v.Values))
	for i, v := range v.Values {
		values[i] = reports.Value{TargetID: v.TargetID, Value: v.Value, Numerator: v.Numerator, Denominator: v.Denominator}
	}
	// A draft saved before the report was last submitted is older than
	// the figures the unit handed in: a returned report opens with what
	// was submitted, not with that draft.
	if d := v.Draft; d != nil && (report.SubmittedAt == nil || d.SavedAt.After(*report.SubmittedAt)) {
		fd := &formDraft{SavedAt: d.SavedAt}
		_ = json.Unmarshal(d.Values, &fd.Values)
		_ = json.Unmarshal(d.Narratives, &fd.Narratives)
		fd.Values, fd.Narratives = nonNil(fd.Values), nonNil(fd.Narratives)
		f.Draft = fd
		if len(values) == 0 {
			values = fd.Values
		}
	}
	f.NoData = []int64{}
	if len(v.Values) > 0 {
		form := []reports.FormTarget{}
		for _, t := range f.Targets {
			form = append(form, reports.FormTarget{ID: t.ID, Measure: t.Measure, Text: t.Text})
		}
		submitted := make([]reports.Value, len(v.Values))
		for i, v := range v.Values {
			submitted[i] = reports.Value{TargetID: v.TargetID}
		}
		f.NoData = reports.NoData(form, submitted)
	}
	f.Warnings = reports.Plausibility(values, prev)
	f.Attachments = nonNil(v.Attachments)
	f.CanSubmit = reports.Open(report.Status) && who(c).Can(auth.ActionSubmitReport, r.UnitPath) == auth.Allow
	f.CanReview = report.Status == "submitted" && r.IssuerPath != "" && who(c).Can(auth.ActionApprove, r.IssuerPath) == auth.Allow
	return f
}

// checkSubmission checks a submission against the unit's form (ts) and the
// plan's task groups, naming every problem at once.
func checkSubmission(ts []store.FormTarget, groups []int64, values []reports.Value, ns []store.Narrative) error {
	form := []reports.FormTarget{}
	for _, t := range formTargets(ts) {
		form = append(form, reports.FormTarget{ID: t.ID, Measure: t.Measure, Text: t.Text})
	}
	var ps reports.Problems
	if err := reports.CheckForm(form, values); err != nil {
		ps = append(ps, err.(reports.Problems)...)
	}
	ps = append(ps, reports.CheckNarratives(groups, narratives(ns))...)
	if len(ps) > 0 {
		return problemsError(ps)
	}
	return nil
}

func narratives(ns []store.Narrative) []reports.Narrative {
	out := make([]reports.Narrative, len(ns))
	for i, n := range ns {
		out[i] = reports.Narrative{TaskGroupID: n.TaskGroupID, Text: n.Text}
	}
	return out
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
	if !reports.Open(r.Status) {
		respondError(c, newError(http.StatusConflict, "already_submitted", "Báo cáo đã được nộp", "the report was already submitted"))
		return
	}
	ps := append(reports.CheckDraft(req.Values), reports.CheckNarratives(r.TaskGroupIDs, narratives(req.Narratives))...)
	if len(ps) > 0 {
		respondError(c, problemsError(ps))
		return
	}
	values, _ := json.Marshal(nonNil(req.Values))
	narratives, _ := json.Marshal(nonNil(req.Narratives))
	err := s.DB.WithTx(c, func(tx *store.Store) error {
		if err := tx.SaveDraft(c, r.ID, values, narratives, who(c).id(), s.now()); err != nil {
			return err
		}
		// the figures by target text, as people read the log (no ids)
		targets, err := tx.Targets(c, r.Cycle.PlanID)
		if err != nil {
			return err
		}
		rows := make([]store.ReportValue, len(req.Values))
		for i, v := range req.Values {
			rows[i] = store.ReportValue{TargetID: v.TargetID, Value: v.Value, Numerator: v.Numerator, Denominator: v.Denominator}
		}
		return tx.Audit(c, store.AuditEntry{ActorID: who(c).id(), Actor: who(c).User.Email, Action: "save_draft", Entity: "report",
			EntityID: fmt.Sprint(r.ID), After: draftAudit(targets, rows, req.Narratives), UnitID: &r.UnitID, RequestID: requestID(c)})
	})
	if err != nil {
		respondError(c, err)
		return
	}
	s.writeReport(c, http.StatusOK, r)
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
			Cycle: dashboard.Cycle{ID: r.CycleID, Kind: r.CycleKind, Year: r.CycleYear, DueOn: r.CycleDueOn}, Status: r.Status, DueOn: r.DueOn, SubmittedAt: r.SubmittedAt,
			CanReview: r.Status == "submitted" && cl.Can(auth.ActionApprove, r.IssuerPath) == auth.Allow}
	}
	c.JSON(http.StatusOK, gin.H{"reports": items})
}

// draftAudit is a draft's audit row: its figures by target text, and its
// narratives when there are some.
func draftAudit(targets []store.Target, values []store.ReportValue, ns []store.Narrative) map[string]any {
	out := map[string]any{"figures": store.AuditFigures(targets, values)}
	if len(ns) > 0 {
		out["narratives"] = ns
	}
	return out
}
