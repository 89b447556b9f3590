package api

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"

	"cascade/activities"
	"cascade/auth"
	"cascade/calendar"
	"cascade/store"
	"cascade/workflows"
)

// inboxItem is a line of a unit's inbox (GET /units/:id/tasks).
type inboxItem struct {
	store.UnitTask
	PlanTitle  *string        `json:"plan_title"`
	AssignedBy *store.UnitRef `json:"assigned_by"`
	DaysLeft   *int           `json:"days_left"`
	Role       string         `json:"role"`
	// CanConfirm is true when the caller may confirm the done task or send
	// it back, as on the task's own page.
	CanConfirm bool `json:"can_confirm"`
	// ReportStatus is a report task's report status (a returned report is
	// "returned", a submitted one waits for review); ReturnComment is the
	// reviewer's comment on a returned report.
	ReportStatus  *string `json:"report_status,omitempty"`
	ReturnComment *string `json:"return_comment,omitempty"`
}

func (s *Server) inboxItems(c *gin.Context, ts []store.InboxTask) []inboxItem {
	today := store.DateOf(s.now().In(calendar.Vietnam))
	cl := who(c)
	out := make([]inboxItem, 0, len(ts))
	for _, t := range ts {
		it := inboxItem{UnitTask: t.UnitTask, PlanTitle: t.PlanTitle, Role: t.Role, ReportStatus: t.ReportStatus, ReturnComment: t.ReturnComment}
		it.CanConfirm = t.Kind != "report" && t.Status == "done" && t.AssignedByPath != nil &&
			cl.Can(auth.ActionApprove, *t.AssignedByPath) == auth.Allow
		if t.AssignedByID != nil && t.AssignedByName != nil {
			it.AssignedBy = &store.UnitRef{ID: *t.AssignedByID, Name: *t.AssignedByName}
		}
		if t.DueOn != nil {
			n := int(t.DueOn.Sub(today.Time).Hours() / 24)
			it.DaysLeft = &n
		}
		out = append(out, it)
	}
	return out
}

// writeInbox answers a unit's inbox: what it must do and the tasks it
// supports, open ones first.
func (s *Server) writeInbox(c *gin.Context, u store.Unit) {
	ts, err := store.New(s.DB).InboxTasks(c, u.ID)
	if err != nil {
		respondError(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"tasks": s.inboxItems(c, ts)})
}

// listAssignedTasks lists the tasks and unit plans that units in the
// caller's scope assigned, optionally of one assigning unit and status.
func (s *Server) listAssignedTasks(c *gin.Context) {
	f := store.AssignedTaskFilter{Paths: scopePaths(c, auth.ActionView), Status: c.Query("status"), Limit: 1000}
	if f.Status != "" && !slices.Contains(taskStatuses, f.Status) {
		respondError(c, errInvalid().withField("status", "Trạng thái không hợp lệ", "unknown status"))
		return
	}
	if v := c.Query("assigned_by_unit_id"); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id <= 0 {
			respondError(c, errInvalid().withField("assigned_by_unit_id", "Mã đơn vị không hợp lệ", "not a unit id"))
			return
		}
		u, err := store.New(s.DB).Unit(c, id)
		if err != nil {
			respondError(c, err)
			return
		}
		if !allow(c, auth.ActionView, u.Path) {
			return
		}
		f.AssignedByUnitID = id
	}
	ts, err := store.New(s.DB).AssignedTasks(c, f)
	if err != nil {
		respondError(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"tasks": s.inboxItems(c, ts)})
}

var taskStatuses = []string{"assigned", "in_progress", "done", "confirmed", "waived", "cancelled"}

type createTaskRequest struct {
	UnitID            int64      `json:"unit_id" binding:"required,gt=0"`
	Title             string     `json:"title" binding:"required,max=500"`
	Description       string     `json:"description" binding:"max=10000"`
	DueOn             store.Date `json:"due_on" binding:"required"`
	SupportingUnitIDs []int64    `json:"supporting_unit_ids" binding:"max=100,dive,gt=0"`
}

// createTask assigns an ad-hoc task, outside any plan, to a unit in the
// caller's scope, and starts its TaskWorkflow in the same transaction: if
// Temporal refuses the start, nothing is assigned.
func (s *Server) createTask(c *gin.Context) {
	var req createTaskRequest
	if !bind(c, &req) {
		return
	}
	req.Title = strings.TrimSpace(req.Title)
	e := errUnprocessable()
	if req.Title == "" {
		e.withField("title", "Cần tên nhiệm vụ", "the task needs a title")
	}
	if req.DueOn.Before(store.DateOf(s.now().In(calendar.Vietnam)).Time) {
		e.withField("due_on", "Thời hạn đã qua", "the due date has passed")
	}
	for i, id := range req.SupportingUnitIDs {
		if id == req.UnitID || slices.Index(req.SupportingUnitIDs, id) < i {
			e.withField(fmt.Sprintf("supporting_unit_ids[%d]", i), "Đơn vị phối hợp bị lặp hoặc trùng đơn vị chủ trì",
				"a supporting unit is listed twice or is the task's own unit")
		}
	}
	if len(e.Fields) > 0 {
		respondError(c, e)
		return
	}
	unit, ok := s.bodyUnit(c, "unit_id", req.UnitID, auth.ActionAssignTask)
	if !ok {
		return
	}
	for i, id := range req.SupportingUnitIDs {
		if _, ok := s.bodyUnit(c, fmt.Sprintf("supporting_unit_ids[%d]", i), id, auth.ActionView); !ok {
			return
		}
	}
	cl := who(c)
	// The assigning unit is the caller's closest unit above the task's that
	// may assign it.
	var assigner *auth.Membership
	for _, m := range cl.Memberships {
		if m.Role.Permits(auth.ActionAssignTask) && strings.HasPrefix(unit.Path, m.UnitPath) {
			if assigner == nil || len(m.UnitPath) > len(assigner.UnitPath) {
				assigner = &m
			}
		}
	}
	if assigner == nil {
		respondError(c, errNotFound())
		return
	}
	var id int64
	replayed := false
	err := s.DB.WithTx(c, func(tx *store.Store) error {
		due := req.DueOn
		want := store.UnitTask{
			IdempotencyKey: taskIdempotencyKey(c, cl), UnitID: unit.ID, Kind: "task", Title: req.Title,
			Description: strings.TrimSpace(req.Description), DueOn: &due, AssignedByUnitID: &assigner.UnitID, AssignedByUser: cl.id(),
		}
		t, err := tx.EnsureUnitTask(c, want)
		if err != nil {
			return err
		}
		id = t.ID
		if t.WorkflowID != "" {
			// The key was used before (a task is stored with its workflow
			// in one transaction): the same request again gets the same
			// task, another request under the same key is refused.
			if !sameAdHocTask(t, want) {
				return newError(http.StatusConflict, "idempotency_conflict",
					"Mã yêu cầu (X-Request-ID) đã được dùng cho một nhiệm vụ khác", "this X-Request-ID was already used for a different task").
					withField("X-Request-ID", "Đã dùng cho yêu cầu khác", "already used for a different request")
			}
			replayed = true
			return nil
		}
		wfID := workflows.AdHocTaskID(id)
		if err := tx.SetUnitTaskWorkflow(c, id, wfID); err != nil {
			return err
		}
		if err := tx.AddTaskSupporters(c, id, req.SupportingUnitIDs); err != nil {
			return err
		}
		if _, err := tx.RecordTaskEvent(c, store.TaskEvent{UnitTaskID: id, Key: "assign", Action: "assign", DueOn: &due, ByUser: cl.id()}); err != nil {
			return err
		}
		if err := tx.Audit(c, store.AuditEntry{ActorID: cl.id(), Actor: cl.User.Email, Action: "assign", Entity: "unit_task",
			EntityID: strconv.FormatInt(id, 10), After: req, RequestID: requestID(c), UnitID: &unit.ID}); err != nil {
			return err
		}
		if err := s.temporalReady(c); err != nil {
			return err
		}
		runBeforeCommit("task")
		return nil
	})
	if err != nil {
		respondError(c, err)
		return
	}
	if replayed {
		s.writeTask(c, http.StatusCreated, id)
		return
	}
	// Once the task committed: a workflow never opens a task rolled back.
	s.startCommitted(c, client.StartWorkflowOptions{ID: workflows.AdHocTaskID(id), WorkflowIDReusePolicy: workflows.ReusePolicy,
		TypedSearchAttributes: workflows.Attributes(0, unit.ID)},
		workflows.TaskWorkflow, workflows.TaskWorkflowInput{Task: activities.OpenTaskInput{UnitTaskID: id}})
	s.writeTask(c, http.StatusCreated, id)
}

// taskIdempotencyKey makes the caller's X-Request-ID the task's
// idempotency key, scoped to the caller: another user's request ID names
// none of their tasks.
func taskIdempotencyKey(c *gin.Context, cl *caller) string {
	return "adhoc/user/" + strconv.FormatInt(cl.User.ID, 10) + "/" + requestID(c)
}

// sameAdHocTask reports whether the stored task is the one the request asks
// for.
func sameAdHocTask(got, want store.UnitTask) bool {
	return got.Kind == want.Kind && got.UnitID == want.UnitID && got.Title == want.Title &&
		got.Description == want.Description && got.DueOn != nil && got.DueOn.String() == want.DueOn.String() &&
		got.AssignedByUser != nil && *got.AssignedByUser == *want.AssignedByUser
}

// taskAccess is a task with the units that decide who may do what on it.
type taskAccess struct {
	task       store.UnitTask
	unit       store.UnitPathRef
	assigner   *store.UnitPathRef
	supporters []store.UnitPathRef
	planTitle  string
}

// taskFor loads the task named by :id if the caller sees it: through its
// unit, its assigning unit or one of its supporting units; 404 otherwise.
func (s *Server) taskFor(c *gin.Context) (taskAccess, bool) {
	var ta taskAccess
	id, ok := pathID(c, "id")
	if !ok {
		return ta, false
	}
	sc, err := store.New(s.DB).TaskForAction(c, id)
	if err != nil {
		respondError(c, err)
		return ta, false
	}
	ta = taskAccess{task: sc.Task, unit: sc.Unit, assigner: sc.Assigner, supporters: sc.Supporters, planTitle: sc.PlanTitle}
	cl := who(c)
	if cl == nil {
		respondUnauthenticated(c, nil)
		return ta, false
	}
	for _, p := range ta.paths() {
		if cl.Can(auth.ActionView, p) == auth.Allow {
			return ta, true
		}
	}
	respondError(c, errNotFound())
	return ta, false
}

func (ta taskAccess) paths() []string {
	ps := []string{ta.unit.Path}
	if ta.assigner != nil {
		ps = append(ps, ta.assigner.Path)
	}
	for _, u := range ta.supporters {
		ps = append(ps, u.Path)
	}
	return ps
}

// contributor is the first supporting unit the caller may act for.
func (ta taskAccess) contributor(cl *caller) (store.UnitPathRef, bool) {
	for _, u := range ta.supporters {
		if cl.Can(auth.ActionSubmitReport, u.Path) == auth.Allow {
			return u, true
		}
	}
	return store.UnitPathRef{}, false
}

type taskContributionJSON struct {
	store.TaskContribution
	Unit store.UnitRef  `json:"unit"`
	By   *store.UserRef `json:"by"`
}

type taskEventJSON struct {
	store.TaskEvent
	By *store.UserRef `json:"by"`
}

type planRef struct {
	ID    int64  `json:"id"`
	Title string `json:"title"`
}

type taskResponse struct {
	ID              int64                  `json:"id"`
	Kind            string                 `json:"kind"`
	Title           string                 `json:"title"`
	Description     string                 `json:"description"`
	Status          string                 `json:"status"`
	DueOn           *store.Date            `json:"due_on"`
	DaysLeft        *int                   `json:"days_left"`
	Recurrence      string                 `json:"recurrence"`
	Plan            *planRef               `json:"plan"`
	ReportID        *int64                 `json:"report_id"`
	ChildPlanID     *int64                 `json:"child_plan_id"`
	Unit            store.UnitRef          `json:"unit"`
	AssignedBy      *store.UnitRef         `json:"assigned_by"`
	SupportingUnits []store.UnitRef        `json:"supporting_units"`
	Result          string                 `json:"result"`
	Attachments     []store.TaskAttachment `json:"attachments"`
	Contributions   []taskContributionJSON `json:"contributions"`
	History         []taskEventJSON        `json:"history"`
	CanAct          bool                   `json:"can_act"`
	CanConfirm      bool                   `json:"can_confirm"`
	CanContribute   bool                   `json:"can_contribute"`
}

func (s *Server) getTask(c *gin.Context) {
	ta, ok := s.taskFor(c)
	if !ok {
		return
	}
	s.answerTask(c, http.StatusOK, ta)
}

// writeTask answers a task with its history, contributions, attachments
// and what the caller may do on it now.
func (s *Server) writeTask(c *gin.Context, status int, id int64) {
	c.Params = append(c.Params[:0:0], gin.Param{Key: "id", Value: strconv.FormatInt(id, 10)})
	ta, ok := s.taskFor(c)
	if !ok {
		return
	}
	s.answerTask(c, status, ta)
}

// answerTask answers a task already loaded with its scope.
func (s *Server) answerTask(c *gin.Context, status int, ta taskAccess) {
	st := store.New(s.DB)
	t := ta.task
	out := taskResponse{ID: t.ID, Kind: t.Kind, Title: t.Title, Description: t.Description, Status: t.Status, DueOn: t.DueOn,
		Recurrence: t.Recurrence, ReportID: t.ReportID, ChildPlanID: t.ChildPlanID, Unit: store.UnitRef{ID: ta.unit.ID, Name: ta.unit.Name},
		Result: t.Result, SupportingUnits: []store.UnitRef{}}
	if t.DueOn != nil {
		n := int(t.DueOn.Sub(store.DateOf(s.now().In(calendar.Vietnam)).Time).Hours() / 24)
		out.DaysLeft = &n
	}
	if t.PlanID != nil {
		out.Plan = &planRef{ID: *t.PlanID, Title: ta.planTitle}
	}
	if ta.assigner != nil {
		out.AssignedBy = &store.UnitRef{ID: ta.assigner.ID, Name: ta.assigner.Name}
	}
	for _, u := range ta.supporters {
		out.SupportingUnits = append(out.SupportingUnits, store.UnitRef{ID: u.ID, Name: u.Name})
	}
	var err error
	if out.Attachments, err = st.TaskAttachments(c, t.ID); err != nil {
		respondError(c, err)
		return
	}
	cs, err := st.TaskContributions(c, t.ID)
	if err != nil {
		respondError(c, err)
		return
	}
	out.Contributions = []taskContributionJSON{}
	for _, x := range cs {
		out.Contributions = append(out.Contributions, taskContributionJSON{TaskContribution: x,
			Unit: store.UnitRef{ID: x.UnitID, Name: x.UnitName}, By: userRef(x.ByUser, x.ByName)})
	}
	evs, err := st.TaskEvents(c, t.ID)
	if err != nil {
		respondError(c, err)
		return
	}
	out.History = []taskEventJSON{}
	for _, ev := range evs {
		out.History = append(out.History, taskEventJSON{TaskEvent: ev, By: userRef(ev.ByUser, ev.ByName)})
	}
	cl := who(c)
	task := t.Kind != "report"
	out.CanAct = task && (t.Status == "assigned" || t.Status == "in_progress") && cl.Can(auth.ActionSubmitReport, ta.unit.Path) == auth.Allow
	out.CanConfirm = task && t.Status == "done" && ta.assigner != nil && cl.Can(auth.ActionApprove, ta.assigner.Path) == auth.Allow
	_, mayContribute := ta.contributor(cl)
	out.CanContribute = task && mayContribute && !slices.Contains([]string{"confirmed", "cancelled", "waived"}, t.Status)
	c.JSON(status, out)
}

func userRef(id *int64, name *string) *store.UserRef {
	if id == nil {
		return nil
	}
	r := &store.UserRef{ID: *id}
	if name != nil {
		r.Name = *name
	}
	return r
}

type completeTaskRequest struct {
	Result        string  `json:"result" binding:"required,max=10000"`
	AttachmentIDs []int64 `json:"attachment_ids" binding:"max=50,dive,gt=0"`
}

type returnTaskRequest struct {
	Comment string     `json:"comment" binding:"required,max=4000"`
	DueOn   store.Date `json:"due_on" binding:"required"`
}

type taskDeadlineRequest struct {
	DueOn store.Date `json:"due_on" binding:"required"`
}

type confirmTaskRequest struct {
	Comment string `json:"comment" binding:"max=4000"`
}

// taskAction sends one step of a task to its workflow as an Update and
// answers the task once it is recorded: start and complete are the task's
// unit's; confirm, return and a moved deadline the assigning side's.
func (s *Server) taskAction(name string) gin.HandlerFunc {
	return func(c *gin.Context) {
		req := workflows.TaskActionRequest{}
		switch name {
		case "complete":
			var body completeTaskRequest
			if !bind(c, &body) {
				return
			}
			if strings.TrimSpace(body.Result) == "" {
				respondError(c, errUnprocessable().withField("result", "Cần ghi kết quả thực hiện", "the result is required"))
				return
			}
			req.Result, req.AttachmentIDs = strings.TrimSpace(body.Result), body.AttachmentIDs
		case "return":
			var body returnTaskRequest
			if !bind(c, &body) {
				return
			}
			if strings.TrimSpace(body.Comment) == "" {
				respondError(c, errUnprocessable().withField("comment", "Cần ghi ý kiến khi trả lại nhiệm vụ", "a returned task needs a comment"))
				return
			}
			if !s.moveOffDaysOff(c, &body.DueOn) {
				return
			}
			req.Comment, req.DueOn = strings.TrimSpace(body.Comment), body.DueOn.String()
		case "deadline":
			var body taskDeadlineRequest
			if !bind(c, &body) || !s.moveOffDaysOff(c, &body.DueOn) {
				return
			}
			req.DueOn = body.DueOn.String()
		case "confirm":
			var body confirmTaskRequest
			if c.Request.ContentLength != 0 && !bind(c, &body) {
				return
			}
			req.Comment = strings.TrimSpace(body.Comment)
		}
		ta, ok := s.taskFor(c)
		if !ok {
			return
		}
		switch name {
		case "start", "complete":
			if !allow(c, auth.ActionSubmitReport, ta.unit.Path) {
				return
			}
		default:
			if ta.assigner == nil {
				respondError(c, errNotFound())
				return
			}
			if !allow(c, auth.ActionApprove, ta.assigner.Path) {
				return
			}
		}
		t := ta.task
		if t.Kind == "report" {
			respondError(c, newError(http.StatusConflict, "is_report", "Đây là báo cáo: hãy nộp/duyệt báo cáo", "this is a report: submit or review the report"))
			return
		}
		if slices.Contains([]string{"confirmed", "cancelled", "waived"}, t.Status) {
			respondError(c, newError(http.StatusConflict, "closed", "Nhiệm vụ đã kết thúc", "the task is closed"))
			return
		}
		if len(req.AttachmentIDs) > 0 {
			atts, err := store.New(s.DB).TaskAttachments(c, t.ID)
			if err != nil {
				respondError(c, err)
				return
			}
			e := errUnprocessable()
			for i, id := range req.AttachmentIDs {
				if !slices.ContainsFunc(atts, func(a store.TaskAttachment) bool { return a.ID == id }) {
					e.withField(fmt.Sprintf("attachment_ids[%d]", i), "Tệp đính kèm không thuộc nhiệm vụ này", "the attachment does not belong to this task")
				}
			}
			if len(e.Fields) > 0 {
				respondError(c, e)
				return
			}
		}
		if t.WorkflowID == "" {
			respondError(c, newError(http.StatusConflict, "not_running", "Nhiệm vụ chưa được khởi tạo", "the task is not running"))
			return
		}
		req.UserID, req.Actor = who(c).id(), actorOf(c)
		update := map[string]string{"start": workflows.UpdateStartTask, "complete": workflows.UpdateCompleteTask,
			"confirm": workflows.UpdateConfirmTask, "return": workflows.UpdateReturnTask, "deadline": workflows.UpdateMoveTaskDeadline}[name]
		if err := s.updateTask(c, t.WorkflowID, update, req); err != nil {
			respondError(c, err)
			return
		}
		s.writeTask(c, http.StatusOK, t.ID)
	}
}

// updateTask sends an update to a task's workflow and waits for it.
func (s *Server) updateTask(c *gin.Context, workflowID, update string, req workflows.TaskActionRequest) error {
	handle, err := s.Temporal.UpdateWorkflow(c, client.UpdateWorkflowOptions{
		WorkflowID: workflowID, UpdateName: update, Args: []any{req}, WaitForStage: client.WorkflowUpdateStageCompleted,
	})
	if err == nil {
		var res workflows.TaskState
		err = handle.Get(c, &res)
	}
	if err != nil {
		return taskUpdateError(c, err)
	}
	return nil
}

// taskUpdateError maps a refused or failed task update to the API's answer.
func taskUpdateError(c *gin.Context, err error) error {
	var notFound *serviceerror.NotFound
	if errors.As(err, &notFound) {
		return newError(http.StatusConflict, "not_running", "Nhiệm vụ đã kết thúc", "the task is no longer running")
	}
	if temporal.IsCanceledError(err) {
		// The plan was cancelled meanwhile and its task's workflow with it.
		return newError(http.StatusConflict, "closed", "Nhiệm vụ đã kết thúc", "the task is closed")
	}
	var appErr *temporal.ApplicationError
	if errors.As(err, &appErr) {
		switch appErr.Type() {
		case "WrongState":
			return newError(http.StatusConflict, "wrong_state", "Trạng thái hiện tại của nhiệm vụ không cho phép thao tác này",
				"the task's state does not allow this")
		case "Busy":
			return newError(http.StatusConflict, "busy", "Nhiệm vụ đang được cập nhật, vui lòng thử lại", "the task is being updated, try again")
		case activities.ErrTypePlanClosed:
			return newError(http.StatusConflict, "plan_closed", "Kế hoạch của nhiệm vụ đã đóng hoặc bị hủy", "the task's plan is closed or cancelled")
		case "ResultRequired":
			return errUnprocessable().withField("result", "Cần ghi kết quả thực hiện", "the result is required")
		case "CommentRequired":
			return errUnprocessable().withField("comment", "Cần ghi ý kiến khi trả lại nhiệm vụ", "a returned task needs a comment")
		case "InvalidDueDate":
			return errUnprocessable().withField("due_on", "Hạn mới phải là một ngày chưa qua (YYYY-MM-DD)", "the new deadline must be a date not yet passed")
		}
	}
	logger(c).Error("task update", "error", err)
	return errUnavailable("Temporal")
}

type contributionRequest struct {
	Text string `json:"text" binding:"required,max=10000"`
}

// addContribution stores a supporting unit's contribution to a task.
func (s *Server) addContribution(c *gin.Context) {
	var req contributionRequest
	if !bind(c, &req) {
		return
	}
	req.Text = strings.TrimSpace(req.Text)
	if req.Text == "" {
		respondError(c, errUnprocessable().withField("text", "Cần nội dung phối hợp", "the contribution needs text"))
		return
	}
	ta, ok := s.taskFor(c)
	if !ok {
		return
	}
	cl := who(c)
	unit, ok := ta.contributor(cl)
	if !ok {
		respondError(c, newError(http.StatusForbidden, "forbidden",
			"Chỉ đơn vị phối hợp được ghi nội dung phối hợp", "only a supporting unit may contribute"))
		return
	}
	if slices.Contains([]string{"confirmed", "cancelled", "waived"}, ta.task.Status) {
		respondError(c, newError(http.StatusConflict, "closed", "Nhiệm vụ đã kết thúc", "the task is closed"))
		return
	}
	err := s.DB.WithTx(c, func(tx *store.Store) error {
		cid, err := tx.AddTaskContribution(c, ta.task.ID, unit.ID, req.Text, cl.id())
		if err != nil {
			return err
		}
		return tx.Audit(c, store.AuditEntry{ActorID: cl.id(), Actor: cl.User.Email, Action: "contribute", Entity: "unit_task",
			EntityID: strconv.FormatInt(ta.task.ID, 10), After: gin.H{"contribution_id": cid, "unit_id": unit.ID, "text": req.Text},
			RequestID: requestID(c), UnitID: &unit.ID})
	})
	if err != nil {
		respondError(c, err)
		return
	}
	s.writeTask(c, http.StatusOK, ta.task.ID)
}

// completeUnitPlan completes the unit_plan task a child plan fulfils when
// the unit issues it. It is best effort: the unit may still complete the
// task by hand.
func (s *Server) completeUnitPlan(c *gin.Context, child store.Plan) {
	if child.ParentID == nil || child.IssuerUnitID == nil {
		return
	}
	t, err := store.New(s.DB).UnitPlanTask(c, *child.ParentID, *child.IssuerUnitID)
	if err != nil || t.WorkflowID == "" || (t.Status != "assigned" && t.Status != "in_progress") {
		return
	}
	label := child.Code
	if label == "" {
		label = child.Title
	}
	err = s.updateTask(c, t.WorkflowID, workflows.UpdateCompleteTask, workflows.TaskActionRequest{
		UserID: who(c).id(), ChildPlanID: child.ID, Result: "Đã ban hành kế hoạch " + label, Actor: actorOf(c),
	})
	if err != nil {
		logger(c).Warn("complete unit plan task", "unit_task_id", t.ID, "plan_id", child.ID, "error", err)
	}
}
