package api

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"cascade/auth"
	"cascade/plans"
	"cascade/store"
)

// listPlans lists the plans the caller's units issued or carry out.
func (s *Server) listPlans(c *gin.Context) {
	ps, err := store.New(s.DB).PlansInScope(c, scopePaths(c, auth.ActionView), 500)
	if err != nil {
		respondError(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"plans": nonNil(ps)})
}

// writePlanDoc answers the whole plan; its source text only when asked
// (?include=source), as the review screen does.
func (s *Server) writePlanDoc(c *gin.Context, status int, id int64) {
	p, err := store.New(s.DB).LoadPlanDocNamed(c, id)
	if err != nil {
		respondError(c, err)
		return
	}
	if c.Query("include") != "source" {
		p.SourceText = ""
	}
	// p.UnitNames: every unit the plan names, so that a reader whose scope
	// is one district sees the other districts' allocations by name, not
	// by id (read in the same statement as the plan).
	c.JSON(status, p)
}

// planUnitIDs lists the units a plan names (its units, its allocations, its
// tasks' lead and support units), each with the field that names it.
func planUnitIDs(p plans.Plan) (ids []int64, fields []string) {
	ids = append([]int64{}, p.UnitIDs...)
	fields = make([]string, len(p.UnitIDs))
	for i := range p.UnitIDs {
		fields[i] = "unit_ids"
	}
	for i, t := range p.Targets {
		for j, a := range t.Allocations {
			ids, fields = append(ids, a.UnitID), append(fields, fmt.Sprintf("targets[%d].allocations[%d].unit_id", i, j))
		}
	}
	for g, grp := range p.TaskGroups {
		for i, t := range grp.Tasks {
			for _, u := range t.LeadUnitIDs {
				ids, fields = append(ids, u), append(fields, fmt.Sprintf("task_groups[%d].tasks[%d].lead_unit_ids", g, i))
			}
			for _, u := range t.SupportUnitIDs {
				ids, fields = append(ids, u), append(fields, fmt.Sprintf("task_groups[%d].tasks[%d].support_unit_ids", g, i))
			}
		}
	}
	return ids, fields
}

// checkUnitsVisible refuses a plan naming a unit the caller cannot see: it
// reads as a unit that does not exist.
func (s *Server) checkUnitsVisible(c *gin.Context, p plans.Plan) error {
	ids, fields := planUnitIDs(p)
	units, err := store.New(s.DB).Units(c, ids)
	if err != nil {
		return err
	}
	paths := map[int64]string{}
	for _, u := range units {
		paths[u.ID] = u.Path
	}
	e := errUnprocessable()
	cl := who(c)
	for i, id := range ids {
		if p, ok := paths[id]; !ok || cl.Can(auth.ActionView, p) != auth.Allow {
			e.withField(fields[i], fmt.Sprintf("Đơn vị %d không tồn tại", id), fmt.Sprintf("unit %d does not exist", id))
		}
	}
	if len(e.Fields) > 0 {
		return e
	}
	return nil
}

// checkDraftShape catches what even a draft may not hold.
func checkDraftShape(p plans.Plan) error {
	e := errUnprocessable()
	if strings.TrimSpace(p.Title) == "" {
		e.withField("title", "Kế hoạch chưa có tên", "title is required")
	}
	if p.TermStartYear < 2000 || p.TermStartYear > 2100 {
		e.withField("term_start_year", "Năm bắt đầu từ 2000 đến 2100", "term_start_year must be from 2000 to 2100")
	}
	if p.TermEndYear < p.TermStartYear || p.TermEndYear > 2100 {
		e.withField("term_end_year", "Năm kết thúc không được trước năm bắt đầu", "term_end_year must not be before term_start_year")
	}
	for i, t := range p.Targets {
		if t.Parent != nil && (*t.Parent < 0 || *t.Parent >= i) {
			e.withField(fmt.Sprintf("targets[%d].parent", i), "Chỉ tiêu cha phải đứng trước", "the parent target must come before it")
		}
		if t.Direction != "" && t.Direction != "at_least" && t.Direction != "at_most" && t.Direction != "exactly" {
			e.withField(fmt.Sprintf("targets[%d].direction", i), "Hướng chỉ tiêu không hợp lệ", "direction must be at_least, at_most or exactly")
		}
		if t.Measure != "" && t.Measure != "count" && t.Measure != "percent" {
			e.withField(fmt.Sprintf("targets[%d].measure", i), "Cách tính không hợp lệ", "measure must be count or percent")
		}
		if t.Value != nil && *t.Value < 0 {
			e.withField(fmt.Sprintf("targets[%d].value", i), "Giá trị phải không âm", "value must not be negative")
		}
	}
	if p.EscalationPolicy != nil {
		for _, pr := range plans.ValidatePolicy(*p.EscalationPolicy) {
			e.withField(pr.Field, pr.Message, pr.MessageEn)
		}
	}
	for i, cy := range p.Cycles {
		switch cy.Kind {
		case "annual", "semiannual", "midterm", "final":
		default:
			e.withField(fmt.Sprintf("cycles[%d].kind", i), "Loại kỳ báo cáo không hợp lệ", "kind must be annual, semiannual, midterm or final")
		}
		if cy.DueOn.IsZero() {
			e.withField(fmt.Sprintf("cycles[%d].due_on", i), "Chưa có hạn nộp", "due_on is required")
		}
	}
	if len(e.Fields) > 0 {
		return e
	}
	return nil
}

// updatePlan replaces a draft plan's content: the reviewer's corrections of
// an import, or the plan editor's.
func (s *Server) updatePlan(c *gin.Context) {
	var p plans.Plan
	if !bind(c, &p) {
		return
	}
	cur, ok := s.planFor(c, auth.ActionEdit)
	if !ok {
		return
	}
	if cur.Status != "draft" {
		respondError(c, newError(http.StatusConflict, "not_draft", "Kế hoạch đã ban hành chỉ sửa được bằng văn bản sửa đổi (amend)",
			"an issued plan changes only through an amendment"))
		return
	}
	if err := checkDraftShape(p); err != nil {
		respondError(c, err)
		return
	}
	if err := s.checkUnitsVisible(c, p); err != nil {
		respondError(c, err)
		return
	}
	p.ID, p.IssuerUnitID = cur.ID, *cur.IssuerUnitID
	cl := who(c)
	err := s.DB.WithTx(c, func(tx *store.Store) error {
		before, err := tx.LoadPlanDoc(c, cur.ID)
		if err != nil {
			return err
		}
		if err := tx.SavePlanContent(c, p); err != nil {
			return err
		}
		before.SourceText = ""
		return tx.Audit(c, store.AuditEntry{ActorID: cl.id(), Actor: cl.User.Email, Action: "update", Entity: "plan",
			EntityID: strconv.FormatInt(cur.ID, 10), Before: before, After: withoutSource(p), RequestID: requestID(c), UnitID: cur.IssuerUnitID})
	})
	if err != nil {
		respondError(c, planSaveError(err))
		return
	}
	s.writePlanDoc(c, http.StatusOK, cur.ID)
}

func withoutSource(p plans.Plan) plans.Plan {
	p.SourceText = ""
	return p
}

// planSaveError explains a save that would remove reported figures.
func planSaveError(err error) error {
	if errors.Is(err, store.ErrReferenced) {
		return newError(http.StatusConflict, "referenced", "Không thể xóa chỉ tiêu, nhiệm vụ hoặc kỳ báo cáo đã có số liệu hay việc của đơn vị",
			"a target, task or cycle that units have reported on or worked on cannot be removed")
	}
	return err
}

type amendRequest struct {
	Reason string     `json:"reason" binding:"required,max=2000"`
	Plan   plans.Plan `json:"plan"`
}

// amendPlan changes an issued plan: the previous revision is kept whole,
// the change is audited, and the amended plan must still be complete.
func (s *Server) amendPlan(c *gin.Context) {
	var req amendRequest
	if !bind(c, &req) {
		return
	}
	cur, ok := s.planFor(c, auth.ActionApprove)
	if !ok {
		return
	}
	if cur.Status != "issued" {
		respondError(c, newError(http.StatusConflict, "not_issued", "Chỉ sửa đổi được kế hoạch đã ban hành", "only an issued plan is amended"))
		return
	}
	p := req.Plan
	p.ID, p.IssuerUnitID, p.Status = cur.ID, *cur.IssuerUnitID, cur.Status
	if err := checkDraftShape(p); err != nil {
		respondError(c, err)
		return
	}
	if err := p.ValidateForIssue(); err != nil {
		respondError(c, planProblems(err))
		return
	}
	if err := s.checkUnitsVisible(c, p); err != nil {
		respondError(c, err)
		return
	}
	cl := who(c)
	err := s.DB.WithTx(c, func(tx *store.Store) error {
		if _, err := tx.PlanForUpdate(c, cur.ID); err != nil {
			return err
		}
		before, err := tx.LoadPlanDoc(c, cur.ID)
		if err != nil {
			return err
		}
		if err := tx.SavePlanRevision(c, before, req.Reason, cl.id(), s.now()); err != nil {
			return err
		}
		if err := tx.SavePlanContent(c, p); err != nil {
			return err
		}
		before.SourceText = ""
		return tx.Audit(c, store.AuditEntry{ActorID: cl.id(), Actor: cl.User.Email, Action: "amend", Entity: "plan",
			EntityID: strconv.FormatInt(cur.ID, 10), Before: before, After: gin.H{"reason": req.Reason, "plan": withoutSource(p)},
			RequestID: requestID(c), UnitID: cur.IssuerUnitID})
	})
	if err != nil {
		respondError(c, planSaveError(err))
		return
	}
	s.writePlanDoc(c, http.StatusOK, cur.ID)
}

// planRevisions lists a plan's earlier revisions.
func (s *Server) planRevisions(c *gin.Context) {
	p, ok := s.planFor(c, auth.ActionView)
	if !ok {
		return
	}
	rs, err := store.New(s.DB).PlanRevisions(c, p.ID)
	if err != nil {
		respondError(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"revision": p.Revision, "revisions": nonNil(rs)})
}

// planRevision answers an earlier revision's whole content, as it stood
// before the amendment that replaced it, with why it was replaced.
func (s *Server) planRevision(c *gin.Context) {
	p, ok := s.planFor(c, auth.ActionView)
	if !ok {
		return
	}
	n, err := strconv.Atoi(c.Param("revision"))
	if err != nil || n < 0 {
		respondError(c, errInvalid().withField("revision", "Số lần sửa đổi không hợp lệ", "revision must be a number"))
		return
	}
	r, err := store.New(s.DB).PlanRevisionSnapshot(c, p.ID, n)
	if err != nil {
		respondError(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"revision": r.Revision, "reason": r.Reason, "created_by": r.CreatedBy, "created_at": r.CreatedAt, "plan": json.RawMessage(r.Snapshot)})
}

// deletePlan removes a draft that was never issued; an issued plan is
// cancelled instead, so its history stays.
func (s *Server) deletePlan(c *gin.Context) {
	p, ok := s.planFor(c, auth.ActionApprove)
	if !ok {
		return
	}
	if p.Status != "draft" {
		respondError(c, newError(http.StatusConflict, "not_draft", "Chỉ xóa được bản nháp; kế hoạch đã ban hành thì hủy", "only a draft is deleted; an issued plan is cancelled"))
		return
	}
	cl := who(c)
	err := s.DB.WithTx(c, func(tx *store.Store) error {
		if err := tx.DeleteDraftPlan(c, p.ID); err != nil {
			return err
		}
		return tx.Audit(c, store.AuditEntry{ActorID: cl.id(), Actor: cl.User.Email, Action: "delete", Entity: "plan",
			EntityID: strconv.FormatInt(p.ID, 10), Before: gin.H{"status": p.Status, "code": p.Code, "title": p.Title}, RequestID: requestID(c), UnitID: p.IssuerUnitID})
	})
	if err != nil {
		respondError(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

type cascadeRequest struct {
	UnitID int64  `json:"unit_id" binding:"required,gt=0"`
	Title  string `json:"title" binding:"max=1000"`
}

// cascadePlan drafts a unit's own implementation plan as a child of the
// plan: the targets with the unit's allocation and the tasks addressed to it.
func (s *Server) cascadePlan(c *gin.Context) {
	var req cascadeRequest
	if !bind(c, &req) {
		return
	}
	parent, ok := s.planFor(c, auth.ActionView)
	if !ok {
		return
	}
	unit, ok := s.bodyUnit(c, "unit_id", req.UnitID, auth.ActionEdit)
	if !ok {
		return
	}
	st := store.New(s.DB)
	doc, err := st.LoadPlanDoc(c, parent.ID)
	if err != nil {
		respondError(c, err)
		return
	}
	participant := false
	for _, id := range doc.UnitIDs {
		participant = participant || id == unit.ID
	}
	if !participant {
		respondError(c, errUnprocessable().withField("unit_id", "Đơn vị không thực hiện kế hoạch này", "the unit does not take part in this plan"))
		return
	}
	title := req.Title
	if title == "" {
		title = "Kế hoạch thực hiện " + doc.Code + " của " + unit.Name
	}
	child := plans.CascadeTo(doc, unit.ID, title)
	cl := who(c)
	var id int64
	err = s.DB.WithTx(c, func(tx *store.Store) error {
		var err error
		if id, err = tx.CreatePlanDoc(c, child); err != nil {
			return err
		}
		return tx.Audit(c, store.AuditEntry{ActorID: cl.id(), Actor: cl.User.Email, Action: "cascade", Entity: "plan",
			EntityID: strconv.FormatInt(id, 10), After: gin.H{"parent_id": parent.ID, "unit_id": unit.ID}, RequestID: requestID(c), UnitID: &unit.ID})
	})
	if err != nil {
		respondError(c, err)
		return
	}
	s.writePlanDoc(c, http.StatusCreated, id)
}

// planProblems turns a plan's problems into a 422 naming each field.
func planProblems(err error) error {
	var ps plans.Problems
	if !errors.As(err, &ps) {
		return err
	}
	e := newError(http.StatusUnprocessableEntity, "plan_incomplete",
		fmt.Sprintf("Kế hoạch còn %d điểm cần hoàn thiện trước khi ban hành", len(ps)),
		fmt.Sprintf("the plan has %d problems to fix before it is issued", len(ps)))
	for _, p := range ps {
		e.withField(p.Field, p.Message, p.MessageEn)
	}
	return e
}

type cancelRequest struct {
	Reason string `json:"reason" binding:"required,max=2000"`
}

// cancelPlan withdraws a draft or issued plan. Once that committed, its
// lifecycle workflow is cancelled and every unit workflow ended, so no
// reminder goes out for it any more.
func (s *Server) cancelPlan(c *gin.Context) {
	var req cancelRequest
	if !bind(c, &req) {
		return
	}
	p, ok := s.planFor(c, auth.ActionApprove)
	if !ok {
		return
	}
	if p.Status != "draft" && p.Status != "issued" {
		respondError(c, newError(http.StatusConflict, "not_open", "Kế hoạch đã đóng hoặc đã hủy", "the plan is closed or cancelled already"))
		return
	}
	cl := who(c)
	err := s.DB.WithTx(c, func(tx *store.Store) error {
		if err := tx.MarkPlanCancelled(c, p.ID); err != nil {
			return err
		}
		// Its tasks and unit plans end too (their workflows see it).
		if err := tx.CancelPlanTasks(c, p.ID); err != nil {
			return err
		}
		if err := tx.Audit(c, store.AuditEntry{ActorID: cl.id(), Actor: cl.User.Email, Action: "cancel", Entity: "plan",
			EntityID: strconv.FormatInt(p.ID, 10), Before: gin.H{"status": p.Status}, After: gin.H{"status": "cancelled", "reason": req.Reason},
			RequestID: requestID(c), UnitID: p.IssuerUnitID}); err != nil {
			return err
		}
		if p.Status == "issued" {
			if err := s.temporalReady(c); err != nil {
				return err
			}
		}
		runBeforeCommit("cancel")
		return nil
	})
	if err != nil {
		respondError(c, err)
		return
	}
	if p.Status == "issued" {
		// Once the cancel committed: the plan's workflow stops, and its
		// unit workflows from a workflow of their own.
		s.endPlan(c, p.ID)
	}
	s.writePlanDoc(c, http.StatusOK, p.ID)
}

type escalationsRequest struct {
	Paused *bool `json:"paused" binding:"required"`
}

// setEscalations pauses or resumes a plan's automatic reminders and
// escalations; a leader's own reminders still go out.
func (s *Server) setEscalations(c *gin.Context) {
	var req escalationsRequest
	if !bind(c, &req) {
		return
	}
	p, ok := s.planFor(c, auth.ActionApprove)
	if !ok {
		return
	}
	cl := who(c)
	err := s.DB.WithTx(c, func(tx *store.Store) error {
		if err := tx.SetEscalationsPaused(c, p.ID, *req.Paused); err != nil {
			return err
		}
		action := "resume_escalations"
		if *req.Paused {
			action = "pause_escalations"
		}
		return tx.Audit(c, store.AuditEntry{ActorID: cl.id(), Actor: cl.User.Email, Action: action, Entity: "plan",
			EntityID: strconv.FormatInt(p.ID, 10), RequestID: requestID(c), UnitID: p.IssuerUnitID})
	})
	if err != nil {
		respondError(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"plan_id": p.ID, "escalations_paused": *req.Paused})
}
