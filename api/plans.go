package api

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"
	"go.temporal.io/sdk/client"

	"cascade/auth"
	"cascade/calendar"
	"cascade/plans"
	"cascade/store"
	"cascade/workflows"
)

type targetRequest struct {
	Text      string   `json:"text" binding:"required,max=2000"`
	Value     *float64 `json:"value" binding:"required,gte=0"`
	Unit      string   `json:"unit" binding:"max=100"`
	Direction string   `json:"direction" binding:"omitempty,oneof=at_least at_most exactly"`
	Measure   string   `json:"measure" binding:"omitempty,oneof=count percent"`
	Baseline  *float64 `json:"baseline" binding:"omitempty,gte=0"`
}

type cycleRequest struct {
	Kind  string     `json:"kind" binding:"required,oneof=annual semiannual midterm final"`
	Year  int        `json:"year" binding:"required,min=2000,max=2100"`
	DueOn store.Date `json:"due_on" binding:"required"`
}

type createPlanRequest struct {
	Code          string          `json:"code" binding:"max=64"`
	Title         string          `json:"title" binding:"required,max=1000"`
	Place         string          `json:"place" binding:"max=200"`
	IssuedOn      *store.Date     `json:"issued_on"`
	IssuerUnitID  int64           `json:"issuer_unit_id" binding:"required,gt=0"`
	TermStartYear int             `json:"term_start_year" binding:"required,min=2000,max=2100"`
	TermEndYear   int             `json:"term_end_year" binding:"required,min=2000,max=2100"`
	UnitIDs       []int64         `json:"unit_ids" binding:"required,min=1,max=100000,dive,gt=0"`
	Targets       []targetRequest `json:"targets" binding:"max=1000,dive"`
	Cycles        []cycleRequest  `json:"cycles" binding:"max=100,dive"`
}

// createPlan saves a draft plan from its fields. A plan sent without
// cycles gets the default ones, as an imported document does
// (plans.DefaultCycles): an annual report due 15 November every year of the
// term, the last one the final report (tổng kết), and the mid-term review
// (sơ kết) due 30 June half-way through; a plan issued part-way through its
// term asks nothing due before its issue date.
func (s *Server) createPlan(c *gin.Context) {
	var req createPlanRequest
	if !bind(c, &req) {
		return
	}
	e := errUnprocessable()
	if req.TermEndYear < req.TermStartYear {
		e.withField("term_end_year", "Năm kết thúc không được trước năm bắt đầu", "term_end_year must not be before term_start_year")
	}
	seen := map[int64]bool{}
	for _, id := range req.UnitIDs {
		if seen[id] {
			e.withField("unit_ids", fmt.Sprintf("Đơn vị %d bị lặp", id), fmt.Sprintf("unit %d is listed twice", id))
		}
		seen[id] = true
	}
	for i, cy := range req.Cycles {
		if cy.DueOn.Year() < req.TermStartYear || cy.DueOn.Year() > req.TermEndYear+1 {
			e.withField(fmt.Sprintf("cycles[%d].due_on", i), "Hạn nộp nằm ngoài nhiệm kỳ", "due date is outside the term")
		}
	}
	if len(e.Fields) > 0 {
		respondError(c, e)
		return
	}

	np := store.NewPlan{
		Plan: store.Plan{Code: req.Code, Title: req.Title, Place: req.Place, IssuedOn: req.IssuedOn,
			IssuerUnitID: &req.IssuerUnitID, TermStartYear: req.TermStartYear, TermEndYear: req.TermEndYear},
		UnitIDs: req.UnitIDs,
	}
	for _, t := range req.Targets {
		dir, measure := t.Direction, t.Measure
		if dir == "" {
			dir = "at_least"
		}
		if measure == "" {
			measure = "count"
		}
		np.Targets = append(np.Targets, store.Target{Text: t.Text, Value: t.Value, Unit: t.Unit, Direction: dir, Measure: measure, Baseline: t.Baseline})
	}
	for _, cy := range req.Cycles {
		np.Cycles = append(np.Cycles, store.ReportCycle{Kind: cy.Kind, Year: cy.Year, DueOn: cy.DueOn})
	}
	if len(np.Cycles) == 0 {
		for _, cy := range plans.DefaultCycles(req.TermStartYear, req.TermEndYear) {
			due := store.Date{Time: cy.DueOn.Time()}
			if req.IssuedOn == nil || !due.Before(req.IssuedOn.Time) {
				np.Cycles = append(np.Cycles, store.ReportCycle{Kind: cy.Kind, Year: cy.Year, DueOn: due})
			}
		}
	}

	issuer, ok := s.bodyUnit(c, "issuer_unit_id", req.IssuerUnitID, auth.ActionEdit)
	if !ok {
		return
	}
	if err := s.checkUnitsVisible(c, plans.Plan{UnitIDs: req.UnitIDs}); err != nil {
		respondError(c, err)
		return
	}

	cl := who(c)
	var id int64
	err := s.DB.WithTx(c, func(tx *store.Store) error {
		var err error
		if id, err = tx.CreatePlan(c, np); err != nil {
			return err
		}
		return tx.Audit(c, store.AuditEntry{ActorID: cl.id(), Actor: cl.User.Email, Action: "create", Entity: "plan",
			EntityID: strconv.FormatInt(id, 10), After: req, RequestID: requestID(c), UnitID: &issuer.ID})
	})
	if err != nil {
		respondError(c, err)
		return
	}
	s.writePlanDoc(c, http.StatusCreated, id)
}

func (s *Server) getPlan(c *gin.Context) {
	p, ok := s.planFor(c, auth.ActionView)
	if !ok {
		return
	}
	s.writePlanDoc(c, http.StatusOK, p.ID)
}

// planFor loads the plan named by :id and checks that the caller may do
// action on it (planView).
func (s *Server) planFor(c *gin.Context, action auth.Action) (store.Plan, bool) {
	v, ok := s.planView(c, action, 0)
	return v.Plan, ok
}

// planView loads the plan named by :id with its scope, its cycles and the
// unit nodeID (0: none) in one statement, and checks that the caller may do
// action on it. A plan belongs to its issuing unit; the units that carry it
// out or lead or support its tasks may read it too (the rule store/plandocs.go names planInScope).
func (s *Server) planView(c *gin.Context, action auth.Action, nodeID int64) (store.PlanView, bool) {
	id, ok := pathID(c, "id")
	if !ok {
		return store.PlanView{}, false
	}
	v, err := store.New(s.DB).PlanView(c, id, scopePaths(c, auth.ActionView), nodeID)
	if err != nil {
		respondError(c, err)
		return store.PlanView{}, false
	}
	if v.IssuerUnitID == nil {
		respondError(c, errNotFound())
		return store.PlanView{}, false
	}
	if action == auth.ActionView && v.Reached {
		return v, true
	}
	if !allow(c, action, v.IssuerPath) {
		return store.PlanView{}, false
	}
	return v, true
}

// issuePlan moves a draft plan to issued, then, once that committed,
// starts its lifecycle workflow: the workflow never reads the plan still a
// draft. With Temporal down nothing is issued; a start that fails after the
// commit is the reconciler's to make.
func (s *Server) issuePlan(c *gin.Context) {
	plan, ok := s.planFor(c, auth.ActionApprove)
	if !ok {
		return
	}
	id, cl := plan.ID, who(c)
	err := s.DB.WithTx(c, func(st *store.Store) error {
		p, err := st.PlanForUpdate(c, id)
		if err != nil {
			return err
		}
		if p.Status != "draft" {
			return newError(http.StatusConflict, "not_draft", "Kế hoạch đã được ban hành hoặc đã đóng", "the plan is not a draft")
		}
		doc, err := st.LoadPlanDoc(c, id)
		if err != nil {
			return err
		}
		err = doc.ValidateForIssue()
		if doc.TermEndYear < s.now().In(calendar.Vietnam).Year() {
			var ps plans.Problems
			errors.As(err, &ps)
			err = append(ps, plans.Problem{Field: "term_end_year", Message: "Nhiệm kỳ của kế hoạch đã kết thúc",
				MessageEn: "the plan's term has already ended"})
		}
		if err != nil {
			return planProblems(err)
		}
		today := store.DateOf(s.now().In(calendar.Vietnam))
		if err := st.MarkPlanIssued(c, id, cl.id(), today); err != nil {
			return err
		}
		if err := st.Audit(c, store.AuditEntry{ActorID: cl.id(), Actor: cl.User.Email, Action: "issue", Entity: "plan", EntityID: strconv.FormatInt(id, 10),
			Before: gin.H{"status": p.Status}, After: gin.H{"status": "issued"}, RequestID: requestID(c), UnitID: p.IssuerUnitID}); err != nil {
			return err
		}
		if err := s.temporalReady(c); err != nil {
			return err
		}
		runBeforeCommit("issue")
		return nil
	})
	if err != nil {
		respondError(c, err)
		return
	}
	s.startPlan(c, id)
	// A unit's own plan, once issued, completes its unit_plan task.
	s.completeUnitPlan(c, plan)
	s.writePlanDoc(c, http.StatusOK, id)
}

type remindRequest struct {
	// At schedules the reminder; empty sends it now.
	At *time.Time `json:"at"`
}

// remindPlan reminds every unit whose report is still pending, now or at a
// time the leader chooses; a durable timer keeps a scheduled reminder
// through restarts.
func (s *Server) remindPlan(c *gin.Context) {
	var req remindRequest
	if c.Request.ContentLength != 0 && !bind(c, &req) {
		return
	}
	p, ok := s.planFor(c, auth.ActionApprove)
	if !ok {
		return
	}
	id, cl := p.ID, who(c)
	if p.Status != "issued" {
		respondError(c, newError(http.StatusConflict, "not_issued", "Kế hoạch chưa ban hành hoặc đã đóng", "the plan is not issued"))
		return
	}
	in := workflows.PlanReminderInput{PlanID: id, Key: requestID(c), At: s.now().UTC(), RequestedBy: cl.id()}
	if req.At != nil {
		if req.At.Before(s.now().Add(-time.Minute)) || req.At.After(s.now().AddDate(1, 0, 0)) {
			respondError(c, errUnprocessable().withField("at", "Thời điểm nhắc phải trong vòng một năm tới", "at must be within the coming year"))
			return
		}
		in.At = *req.At
	}
	wfID := workflows.PlanReminderID(id, in.Key)
	_, err := s.Temporal.ExecuteWorkflow(c, client.StartWorkflowOptions{ID: wfID, TaskQueue: s.TaskQueue,
		TypedSearchAttributes: workflows.Attributes(id, 0)}, workflows.PlanReminder, in)
	if err != nil {
		logger(c).Error("start reminder", "plan_id", id, "error", err)
		respondError(c, errUnavailable("Temporal"))
		return
	}
	err = store.New(s.DB).Audit(c, store.AuditEntry{ActorID: cl.id(), Actor: cl.User.Email, Action: "remind", Entity: "plan", EntityID: strconv.FormatInt(id, 10),
		After: gin.H{"workflow_id": wfID, "at": in.At}, RequestID: requestID(c), UnitID: p.IssuerUnitID})
	if err != nil {
		respondError(c, err)
		return
	}
	c.JSON(http.StatusAccepted, gin.H{"workflow_id": wfID, "at": in.At})
}
