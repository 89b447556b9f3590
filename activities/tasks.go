package activities

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/temporal"

	"cascade/calendar"
	"cascade/escalation"
	"cascade/store"
)

// TaskWorkflowType is the registered name of the workflow that runs a unit
// task (workflows.TaskWorkflow).
const TaskWorkflowType = "TaskWorkflow"

// Workflow IDs of the tasks a plan dispatches; workflows re-exports them.

// PlanTaskWorkflowID runs a task of a plan for one lead unit.
func PlanTaskWorkflowID(planID, taskID, unitID int64) string {
	return fmt.Sprintf("plan/%d/task/%d/unit/%d", planID, taskID, unitID)
}

// PlanDutyWorkflowID runs a responsibility of a plan ("Tổ chức thực hiện")
// for one unit, such as disseminating the resolution.
func PlanDutyWorkflowID(planID, responsibilityID, unitID int64) string {
	return fmt.Sprintf("plan/%d/duty/%d/unit/%d", planID, responsibilityID, unitID)
}

// UnitPlanWorkflowID runs a unit's duty to issue its own implementation plan.
func UnitPlanWorkflowID(planID, unitID int64) string {
	return fmt.Sprintf("plan/%d/unit-plan/%d", planID, unitID)
}

// AdHocTaskWorkflowID runs a task a leader assigned outside any plan.
func AdHocTaskWorkflowID(unitTaskID int64) string { return fmt.Sprintf("task/%d", unitTaskID) }

// OpenTaskInput opens a unit task. An ad-hoc task's row is written by the
// API and named by UnitTaskID; a plan's task is described in full and its
// row is made here, keyed by Key.
type OpenTaskInput struct {
	UnitTaskID     int64
	Key            string
	PlanID         int64
	UnitID         int64
	Kind           string // task or unit_plan
	TaskID         int64  // the plan's task, if any
	Title          string
	Description    string
	DueOn          string // YYYY-MM-DD, or empty for no deadline
	Recurrence     string
	SupportUnitIDs []int64
	WorkflowID     string
	// Occurrence counts the rounds of a recurring task, from 0.
	Occurrence int
	// Policy is the plan's own escalation ladder when it has one; nil (an
	// ad-hoc task, a plan on the default ladder) is the default.
	Policy *escalation.Policy `json:",omitempty"`
}

// OpenedTask is the task's row as the workflow starts with it.
type OpenedTask struct {
	UnitTaskID int64
	Status     string
	DueOn      string
	// TermEndYear bounds a recurring task of a plan; 0 without a plan.
	TermEndYear int
}

// OpenTask makes a plan task's row with its supporters and first history
// step, or reads an ad-hoc task's; called again it returns the same row.
func (a *Activities) OpenTask(ctx context.Context, in OpenTaskInput) (*OpenedTask, error) {
	out := &OpenedTask{}
	err := a.DB.WithTx(ctx, func(s *store.Store) error {
		var t store.UnitTask
		var err error
		if in.UnitTaskID != 0 {
			t, err = s.UnitTaskByID(ctx, in.UnitTaskID)
			if errors.Is(err, store.ErrNotFound) {
				// An ad-hoc task whose row was never committed (or was
				// deleted): retrying would never find it.
				return temporal.NewNonRetryableApplicationError(
					fmt.Sprintf("task %d not found", in.UnitTaskID), "TaskNotFound", err)
			}
		} else {
			t, err = a.ensurePlanTask(ctx, s, in)
		}
		if err != nil {
			return err
		}
		out.UnitTaskID, out.Status = t.ID, t.Status
		if t.DueOn != nil {
			out.DueOn = t.DueOn.String()
		}
		if t.PlanID != nil {
			p, err := s.Plan(ctx, *t.PlanID)
			if err != nil {
				return err
			}
			out.TermEndYear = p.TermEndYear
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("open task: %w", err)
	}
	return out, nil
}

func (a *Activities) ensurePlanTask(ctx context.Context, s *store.Store, in OpenTaskInput) (store.UnitTask, error) {
	p, err := s.Plan(ctx, in.PlanID)
	if err != nil {
		return store.UnitTask{}, err
	}
	planID := in.PlanID
	t := store.UnitTask{
		IdempotencyKey: in.Key, PlanID: &planID, UnitID: in.UnitID, Kind: in.Kind, Title: in.Title,
		Description: in.Description, Recurrence: in.Recurrence, AssignedByUnitID: p.IssuerUnitID, WorkflowID: in.WorkflowID,
	}
	if in.TaskID != 0 {
		t.TaskID = &in.TaskID
	}
	if in.DueOn != "" {
		due, err := store.ParseDate(in.DueOn)
		if err != nil {
			return store.UnitTask{}, temporal.NewNonRetryableApplicationError(err.Error(), "BadInput", err)
		}
		t.DueOn = &due
	}
	t, err = s.EnsureUnitTask(ctx, t)
	if err != nil {
		return t, err
	}
	if len(in.SupportUnitIDs) > 0 {
		if err := s.AddTaskSupporters(ctx, t.ID, in.SupportUnitIDs); err != nil {
			return t, err
		}
	}
	_, err = s.RecordTaskEvent(ctx, store.TaskEvent{UnitTaskID: t.ID, Key: "assign", Action: "assign", DueOn: t.DueOn})
	return t, err
}

// RecordTaskActionInput is one step of a task the workflow accepted.
type RecordTaskActionInput struct {
	UnitTaskID int64
	// Key is the step's idempotency key: the workflow update's ID.
	Key           string
	Action        string // start, complete, confirm, return
	UserID        *int64
	Result        string
	Comment       string
	DueOn         string
	AttachmentIDs []int64
	ChildPlanID   int64
	// Actor and RequestID name who acted and the API request, for the
	// audit row.
	Actor     string `json:",omitempty"`
	RequestID string `json:",omitempty"`
}

// TaskRecord is a task's state after a step.
type TaskRecord struct {
	Status string
	DueOn  string
}

// taskStatusAfter is the status each step leaves a task in: a returned
// task is back in progress with a new deadline; a moved deadline ("") leaves
// the task as it is.
var taskStatusAfter = map[string]string{
	"start": "in_progress", "complete": "done", "confirm": "confirmed", "return": "in_progress", "deadline": "",
}

// ErrTypePlanClosed is the error type of a step refused because the task's
// plan is no longer issued; the task is cancelled instead.
const ErrTypePlanClosed = "PlanClosed"

// RecordTaskAction writes a step to the task's history and moves the task,
// with an audit row, in one transaction; a retried step is written once. A
// task of a plan that is no longer issued is cancelled instead, and the
// step refused with ErrTypePlanClosed.
func (a *Activities) RecordTaskAction(ctx context.Context, in RecordTaskActionInput) (*TaskRecord, error) {
	status, ok := taskStatusAfter[in.Action]
	if !ok {
		return nil, temporal.NewNonRetryableApplicationError("unknown task action "+in.Action, "BadInput", nil)
	}
	var out TaskRecord
	closed := false
	err := a.DB.WithTx(ctx, func(s *store.Store) error {
		t, err := s.UnitTaskForUpdate(ctx, in.UnitTaskID)
		if err != nil {
			return err
		}
		if t.PlanID != nil {
			p, err := s.Plan(ctx, *t.PlanID)
			if err != nil {
				return err
			}
			if p.Status != "issued" {
				closed = true
				return cancelTask(ctx, s, t)
			}
		}
		ev := store.TaskEvent{UnitTaskID: t.ID, Key: in.Key, Action: in.Action, ByUser: in.UserID, AttachmentIDs: in.AttachmentIDs}
		if status == "" {
			status = t.Status
		}
		ch := store.TaskChange{Status: status}
		switch in.Action {
		case "complete":
			ev.Comment, ch.Result = in.Result, &in.Result
			if in.ChildPlanID != 0 {
				ch.ChildPlanID = &in.ChildPlanID
			}
		case "confirm":
			ev.Comment = in.Comment
		case "return", "deadline":
			due, err := store.ParseDate(in.DueOn)
			if err != nil {
				return temporal.NewNonRetryableApplicationError(err.Error(), "BadInput", err)
			}
			ev.Comment, ev.DueOn, ch.DueOn = in.Comment, &due, &due
		}
		written, err := s.RecordTaskEvent(ctx, ev)
		if err != nil {
			return err
		}
		if written {
			before := t.Status
			if err := s.ChangeUnitTask(ctx, t.ID, ch); err != nil {
				return err
			}
			actor, err := actorName(ctx, s, in.UserID, in.Actor)
			if err != nil {
				return err
			}
			err = s.Audit(ctx, store.AuditEntry{ActorID: in.UserID, Actor: actor, Action: in.Action, Entity: "unit_task", RequestID: in.RequestID,
				EntityID: strconv.FormatInt(t.ID, 10), Before: map[string]string{"status": before},
				After:  map[string]any{"status": status, "comment": ev.Comment, "due_on": in.DueOn, "attachment_ids": in.AttachmentIDs},
				UnitID: &t.UnitID})
			if err != nil {
				return err
			}
		}
		t, err = s.UnitTaskByID(ctx, t.ID)
		if err != nil {
			return err
		}
		out.Status = t.Status
		if t.DueOn != nil {
			out.DueOn = t.DueOn.String()
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("record task %s: %w", in.Action, err)
	}
	if closed {
		return nil, temporal.NewNonRetryableApplicationError("the task's plan is closed or cancelled", ErrTypePlanClosed, nil)
	}
	return &out, nil
}

func cancelTask(ctx context.Context, s *store.Store, t store.UnitTask) error {
	if t.Status == "confirmed" || t.Status == "cancelled" || t.Status == "waived" {
		return nil
	}
	if _, err := s.RecordTaskEvent(ctx, store.TaskEvent{UnitTaskID: t.ID, Key: "plan-closed", Action: "cancel",
		Comment: "Kế hoạch đã đóng hoặc bị hủy"}); err != nil {
		return err
	}
	return s.ChangeUnitTask(ctx, t.ID, store.TaskChange{Status: "cancelled"})
}

// CancelTask cancels a task whose plan the workflow found closed.
func (a *Activities) CancelTask(ctx context.Context, unitTaskID int64) error {
	return a.DB.WithTx(ctx, func(s *store.Store) error {
		t, err := s.UnitTaskForUpdate(ctx, unitTaskID)
		if err != nil {
			return err
		}
		return cancelTask(ctx, s, t)
	})
}

// NotifyTaskInput is an email about a task: its assignment, a step of its
// ladder, its return or its confirmation.
type NotifyTaskInput struct {
	// Key is the email's idempotency key, e.g. task/12/reminder/T-7; each
	// recipient's row is keyed by it and the address.
	Key        string
	UnitTaskID int64
	Template   string
	Audiences  []string
	DueOn      string
	Comment    string
}

// NotifyTaskResult counts a task email's rows; PlanClosed says the task's
// plan is no longer issued, so the workflow ends.
type NotifyTaskResult struct {
	NotifyResult
	PlanClosed bool
}

// taskMailData is what the task templates read.
type taskMailData struct {
	mailData
	AssignedBy  string
	Description string
	Result      string
}

// mailDescription is what an email shows under a task's title: its
// description without the title again (a plan's task is described by its
// group's heading, its text, which is also its title, and its output).
func mailDescription(title, description string) string {
	if title == "" {
		return description
	}
	return strings.TrimSpace(strings.Replace(description, title, "", 1))
}

// NotifyTask writes a task email to the outbox and sends what is not sent.
// A plan that is no longer issued sends nothing; a plan whose escalations
// are paused skips its ladder steps.
func (a *Activities) NotifyTask(ctx context.Context, in NotifyTaskInput) (*NotifyTaskResult, error) {
	s := a.store()
	t, err := s.UnitTaskByID(ctx, in.UnitTaskID)
	if err != nil {
		return nil, err
	}
	unit, err := s.Unit(ctx, t.UnitID)
	if err != nil {
		return nil, err
	}
	d := taskMailData{Description: mailDescription(t.Title, t.Description), Result: t.Result}
	d.UnitName, d.Title, d.Comment = unit.Name, t.Title, in.Comment
	d.Link = fmt.Sprintf("%s/tasks/%d", a.PublicURL, t.ID)
	var plan *store.Plan
	if t.PlanID != nil {
		p, err := s.Plan(ctx, *t.PlanID)
		if err != nil {
			return nil, err
		}
		if p.Status != "issued" {
			return &NotifyTaskResult{PlanClosed: true}, nil
		}
		if strings.HasPrefix(in.Template, "task_reminder") || strings.HasPrefix(in.Template, "task_escalation") {
			paused, err := s.EscalationsPaused(ctx, p.ID)
			if err != nil {
				return nil, err
			}
			if paused {
				return &NotifyTaskResult{NotifyResult: NotifyResult{Skipped: true}}, nil
			}
		}
		plan = &p
	}
	if in.DueOn != "" {
		due, err := store.ParseDate(in.DueOn)
		if err != nil {
			return nil, temporal.NewNonRetryableApplicationError(err.Error(), "BadInput", err)
		}
		if plan != nil {
			d.mailData = a.mailData(unit, *plan, t.Title, due, d.Link)
		} else {
			d.mailData = a.mailData(unit, store.Plan{}, t.Title, due, d.Link)
		}
		d.Comment = in.Comment
	}
	if plan != nil {
		d.PlanLabel = "Kế hoạch " + plan.Code
		if plan.Code == "" {
			d.PlanLabel = "Kế hoạch “" + plan.Title + "”"
		}
	} else {
		d.PlanLabel = ""
	}
	if t.AssignedByUnitID != nil {
		if by, err := s.Unit(ctx, *t.AssignedByUnitID); err == nil {
			d.AssignedBy = by.Name
		}
	}
	recipients, err := a.recipients(ctx, in.Audiences, unit)
	if err != nil {
		return nil, err
	}
	res, err := a.queueAndSend(ctx, in.Key, in.Template, t.PlanID, &t.UnitID, recipients, d)
	if res == nil {
		return nil, err
	}
	return &NotifyTaskResult{NotifyResult: *res}, err
}

// DispatchPlanTasksInput is one batch of a plan's tasks to start.
type DispatchPlanTasksInput struct {
	PlanID    int64
	Offset    int
	BatchSize int
}

// PlanTaskCount is how many task workflows a plan dispatches.
type PlanTaskCount struct {
	Tasks int
}

// CountPlanTasks counts the task workflows a plan dispatches: one per task
// and lead unit, one per responsibility and unit it falls on, one unit plan
// per unit that must build its own.
func (a *Activities) CountPlanTasks(ctx context.Context, planID int64) (*PlanTaskCount, error) {
	specs, err := a.planTaskSpecs(ctx, planID)
	if err != nil {
		return nil, err
	}
	return &PlanTaskCount{Tasks: len(specs)}, nil
}

// DispatchPlanTasks starts one batch of a plan's task workflows, in the
// order CountPlanTasks counted them. The workflow IDs are the tasks' own,
// so a batch run again starts nothing twice.
func (a *Activities) DispatchPlanTasks(ctx context.Context, in DispatchPlanTasksInput) (*StartedWorkflows, error) {
	// Reading a large plan's tasks may take longer than the heartbeat
	// timeout: beat meanwhile, with the progress a previous attempt left
	// (StartWorkflows resumes from it), so a crash now loses none of it.
	var last any = in.Offset
	if activity.IsActivity(ctx) && activity.HasHeartbeatDetails(ctx) {
		var p startProgress
		if err := activity.GetHeartbeatDetails(ctx, &p); err == nil {
			last = p
		}
	}
	stop := heartbeatEvery(ctx, startHeartbeat, func() any { return last })
	specs, err := a.planTaskSpecs(ctx, in.PlanID)
	stop()
	if err != nil {
		return nil, err
	}
	if in.Offset >= len(specs) {
		return &StartedWorkflows{}, nil
	}
	specs = specs[in.Offset:min(in.Offset+in.BatchSize, len(specs))]
	starts := StartWorkflowsInput{WorkflowType: TaskWorkflowType, Starts: make([]WorkflowStart, len(specs))}
	for i, sp := range specs {
		// The argument is workflows.TaskWorkflowInput, which holds this spec.
		starts.Starts[i] = WorkflowStart{ID: sp.WorkflowID, Arg: struct{ Task OpenTaskInput }{sp}, PlanID: sp.PlanID, UnitID: sp.UnitID}
	}
	return a.StartWorkflows(ctx, starts)
}

// duty actions that become a task for each unit they fall on; build_plan
// becomes the unit's unit_plan task. Reports are the report cycles'.
var dutyActions = []string{"build_plan", "disseminate", "implement"}

// planTaskSpecs lists a plan's task workflows in a stable order.
func (a *Activities) planTaskSpecs(ctx context.Context, planID int64) ([]OpenTaskInput, error) {
	s := a.store()
	p, err := s.Plan(ctx, planID)
	if err != nil {
		return nil, err
	}
	// Deadlines the document leaves open count from when the plan reaches
	// the units: the day it was issued in Cascade, or its document's date if
	// that is later. A document signed years before (the demo's 2021 plan,
	// re-issued for 2026–2030) must not give tasks due in the past, which the
	// ladder would escalate to the standing committee the moment they open.
	from := calendar.InVietnam(a.now())
	if p.IssuedAt != nil {
		from = calendar.InVietnam(*p.IssuedAt)
	}
	if p.IssuedOn != nil {
		if signed := calendar.DateOf(p.IssuedOn.Time); signed.After(from) {
			from = signed
		}
	}
	assignments, err := s.PlanTaskAssignments(ctx, planID)
	if err != nil {
		return nil, err
	}
	ladder, err := s.EscalationPolicy(ctx, planID)
	if err != nil {
		return nil, err
	}
	policy := OwnPolicy(ladder)
	var out []OpenTaskInput
	for _, as := range assignments {
		id := PlanTaskWorkflowID(planID, as.TaskID, as.UnitID)
		due := ""
		if as.DueOn != nil {
			due = as.DueOn.String()
		} else if d, ok := FirstDue(as.Recurrence, from, p.TermStartYear, p.TermEndYear); ok {
			due = d.String()
		}
		out = append(out, OpenTaskInput{
			Key: id, PlanID: planID, UnitID: as.UnitID, Kind: "task", TaskID: as.TaskID,
			Title: truncateText(as.Text, 300), Description: strings.TrimSpace(as.Heading + "\n" + as.Text + "\n" + as.ExpectedOutput),
			DueOn: due, Recurrence: as.Recurrence, SupportUnitIDs: as.SupportUnitIDs, WorkflowID: id,
		})
	}
	duties, err := s.PlanDuties(ctx, planID, dutyActions)
	if err != nil {
		return nil, err
	}
	for _, du := range duties {
		due := ""
		if du.DueOn != nil {
			due = du.DueOn.String()
		} else if d, ok := FirstDue(du.Recurrence, from, p.TermStartYear, p.TermEndYear); ok {
			due = d.String()
		}
		if du.Action == "build_plan" {
			if due == "" {
				// A unit's own plan is due a month after the plan it implements.
				due = from.AddDays(UnitPlanDays).String()
			}
			id := UnitPlanWorkflowID(planID, du.UnitID)
			label := p.Code
			if label == "" {
				label = p.Title
			}
			out = append(out, OpenTaskInput{
				Key: id, PlanID: planID, UnitID: du.UnitID, Kind: "unit_plan",
				Title: "Xây dựng kế hoạch thực hiện " + label, Description: du.Text, DueOn: due, WorkflowID: id,
			})
			continue
		}
		id := PlanDutyWorkflowID(planID, du.ResponsibilityID, du.UnitID)
		out = append(out, OpenTaskInput{
			Key: id, PlanID: planID, UnitID: du.UnitID, Kind: "task", Title: truncateText(du.Text, 300),
			Description: du.Text, DueOn: due, Recurrence: du.Recurrence, WorkflowID: id,
		})
	}
	// Several build_plan lines may fall on one unit: it builds one plan.
	seen := map[string]bool{}
	uniq := out[:0]
	for _, sp := range out {
		if !seen[sp.WorkflowID] {
			seen[sp.WorkflowID] = true
			sp.Policy = policy
			uniq = append(uniq, sp)
		}
	}
	return uniq, nil
}

// UnitPlanDays is how long a unit has to issue its own plan when the plan
// it implements gives no date.
const UnitPlanDays = 30

func truncateText(s string, n int) string {
	s = strings.TrimSpace(s)
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// FirstDue is the first deadline of a recurring duty from a day on: the
// end of the first period (year, half, quarter, month) that ends at least
// two weeks later; the middle or the end of the term. Ongoing and periodic
// duties have none.
func FirstDue(recurrence string, from calendar.Date, termStart, termEnd int) (calendar.Date, bool) {
	switch recurrence {
	case "midterm":
		return calendar.NewDate(termStart+(termEnd-termStart)/2, 12, 31), true
	case "term_end":
		return calendar.NewDate(termEnd, 12, 31), true
	}
	return NextDue(recurrence, from.AddDays(13))
}

// NextDue is the end of the period of a recurring task (annual,
// semiannual, quarterly, monthly) that follows after; false for a task that
// does not repeat on such a period.
func NextDue(recurrence string, after calendar.Date) (calendar.Date, bool) {
	months := map[string]int{"annual": 12, "semiannual": 6, "quarterly": 3, "monthly": 1}[recurrence]
	if months == 0 {
		return calendar.Date{}, false
	}
	// Period ends fall on the last day of months m, 2m, … of the year.
	for m := months; ; m += months {
		y := after.Year + (m-1)/12
		mm := (m-1)%12 + 1
		end := calendar.NewDate(y, time.Month(mm)+1, 0)
		if end.After(after) {
			return end, true
		}
	}
}

// IsPlanClosed reports whether err is a step refused because the plan is
// closed.
func IsPlanClosed(err error) bool {
	var appErr *temporal.ApplicationError
	return errors.As(err, &appErr) && appErr.Type() == ErrTypePlanClosed
}

// TaskStillOpen reports whether a task may still go on: false once it was
// cancelled (its plan cancelled) or its plan is no longer issued.
func (a *Activities) TaskStillOpen(ctx context.Context, unitTaskID int64) (bool, error) {
	s := a.store()
	t, err := s.UnitTaskByID(ctx, unitTaskID)
	if err != nil {
		return false, err
	}
	if t.Status == "cancelled" || t.Status == "waived" {
		return false, nil
	}
	if t.PlanID != nil {
		p, err := s.Plan(ctx, *t.PlanID)
		if err != nil {
			return false, err
		}
		if p.Status != "issued" {
			return false, a.CancelTask(ctx, unitTaskID)
		}
	}
	return true, nil
}

// IssueMail is what issuing a plan mails one unit at once: a task_assigned
// email to the unit's address for each task it opens there.
type IssueMail struct {
	UnitID int64
	Tasks  int
}

// IssueMails lists, unit by unit in the order the tasks open, the emails
// issuing planID sends at once (the issue confirmation shows them). It is
// the planTaskSpecs the issue starts, counted: one email per task.
func IssueMails(ctx context.Context, db *store.DB, planID int64) ([]IssueMail, error) {
	specs, err := (&Activities{DB: db}).planTaskSpecs(ctx, planID)
	if err != nil {
		return nil, err
	}
	var out []IssueMail
	at := map[int64]int{}
	for _, sp := range specs {
		i, ok := at[sp.UnitID]
		if !ok {
			i = len(out)
			at[sp.UnitID] = i
			out = append(out, IssueMail{UnitID: sp.UnitID})
		}
		out[i].Tasks++
	}
	return out, nil
}
