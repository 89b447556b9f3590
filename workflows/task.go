package workflows

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"cascade/activities"
	"cascade/calendar"
	"cascade/escalation"
)

// Updates of a TaskWorkflow. The owner unit starts and completes the task;
// the assigning side confirms it or returns it with a comment and a new
// deadline, and may move the deadline of a task still open.
const (
	UpdateStartTask        = "start-task"
	UpdateCompleteTask     = "complete-task"
	UpdateConfirmTask      = "confirm-task"
	UpdateReturnTask       = "return-task"
	UpdateMoveTaskDeadline = "move-task-deadline"
)

// Workflow IDs of task workflows (see activities, which dispatches them).
var (
	// PlanTaskID runs a plan's task for one lead unit.
	PlanTaskID = activities.PlanTaskWorkflowID
	// PlanDutyID runs a plan's responsibility for one unit.
	PlanDutyID = activities.PlanDutyWorkflowID
	// UnitPlanID runs a unit's duty to issue its own implementation plan.
	UnitPlanID = activities.UnitPlanWorkflowID
	// AdHocTaskID runs a task assigned outside any plan.
	AdHocTaskID = activities.AdHocTaskWorkflowID
)

// TaskWorkflowInput is the task to run: an ad-hoc task's row (UnitTaskID),
// or a plan's task, duty or unit plan described in full.
type TaskWorkflowInput struct {
	Task activities.OpenTaskInput
	// Ladder is where the run this one continues as new left the ladder
	// (a long history); a new round of a recurring task starts without.
	Ladder *LadderState `json:",omitempty"`
}

// TaskWorkflowResult is how a task ended.
type TaskWorkflowResult struct {
	UnitTaskID int64
	Status     string // confirmed or cancelled
}

// TaskActionRequest is the body of every task update; each uses its part.
type TaskActionRequest struct {
	UserID        *int64
	Result        string
	AttachmentIDs []int64
	// ChildPlanID completes a unit_plan task with the unit's issued plan.
	ChildPlanID int64
	Comment     string
	DueOn       string // YYYY-MM-DD, for a return
	Actor
}

// TaskState answers the task updates.
type TaskState struct {
	Status string
	DueOn  string
}

// TaskOpenCheck is how often a task with no ladder running (no deadline,
// or done and waiting for confirmation) looks whether its plan was
// cancelled.
const TaskOpenCheck = 7 * 24 * time.Hour

// taskState is what a TaskWorkflow holds between its steps.
type taskState struct {
	id     int64
	status string // assigned, in_progress, done, confirmed, cancelled
	due    calendar.Date
	rev    int // deadline changes: each restarts the ladder under its own keys
	// busy: an action is being recorded, in an execution from before the
	// handlers took turns (versionHandlersInTurn).
	busy bool
	// turns serialises the update handlers.
	turns *turns
	// mail is what the handlers leave to be sent once they answered.
	mail mailQueue
}

func (s *taskState) open() bool { return s.status == "assigned" || s.status == "in_progress" }

func (s *taskState) ended() bool { return s.status == "confirmed" || s.status == "cancelled" }

func (s *taskState) answer() *TaskState {
	st := &TaskState{Status: s.status}
	if !s.due.IsZero() {
		st.DueOn = s.due.String()
	}
	return st
}

// TaskWorkflow runs a task addressed to a unit — an ad-hoc task, a task of
// a plan, a plan's duty, or the unit's own implementation plan (kind
// unit_plan) — from assigned through in progress to done, then waits for
// the assigning side to confirm it or return it with a new deadline. Until
// it is done the escalation ladder of its deadline chases the unit. The
// assignment, a return and a confirmation are mailed to the unit. A
// recurring task of a plan, once confirmed, continues as new with its next
// round. A task whose plan is cancelled ends.
func TaskWorkflow(ctx workflow.Context, in TaskWorkflowInput) (*TaskWorkflowResult, error) {
	st := &taskState{status: "opening"}
	if err := registerTaskHandlers(ctx, st); err != nil {
		return nil, err
	}
	cal := calendar.Default()
	var cfg calendar.Config
	if err := workflow.ExecuteActivity(shortActivity(ctx), a.LoadCalendar).Get(ctx, &cfg); err != nil {
		return nil, err
	}
	if c, err := calendar.New(cfg); err == nil {
		cal = c
	} else {
		workflow.GetLogger(ctx).Error("admin calendar refused, using the statutory one", "error", err)
	}
	spec := in.Task
	if spec.DueOn != "" {
		d, err := calendar.ParseDate(spec.DueOn)
		if err != nil {
			return nil, temporal.NewNonRetryableApplicationError("bad due date", "BadInput", err)
		}
		// A deadline on a day off moves to the next working day.
		spec.DueOn = cal.Adjust(d).String()
	}
	var opened activities.OpenedTask
	if err := workflow.ExecuteActivity(shortActivity(ctx), a.OpenTask, spec).Get(ctx, &opened); err != nil {
		return nil, err
	}
	st.id, st.status = opened.UnitTaskID, opened.Status
	if opened.DueOn != "" {
		d, err := calendar.ParseDate(opened.DueOn)
		if err != nil {
			return nil, temporal.NewNonRetryableApplicationError("bad due date", "BadInput", err)
		}
		st.due = d
	}
	if in.Ladder != nil {
		st.rev = in.Ladder.Rev
	}
	ladder := in.Ladder
	scope := fmt.Sprintf("task/%d", st.id)
	if st.status == "assigned" {
		if closed := notifyTask(ctx, st, scope+"/assigned", "task_assigned", ""); closed {
			st.status = "cancelled"
		}
	}

	for !st.ended() {
		if st.status == "waived" {
			break
		}
		if !st.open() || st.due.IsZero() {
			// Done and waiting for the assigning side, or no deadline to
			// chase: wait for a step, looking now and then at the plan.
			status, rev := st.status, st.rev
			ok, err := workflow.AwaitWithTimeout(ctx, TaskOpenCheck, func() bool { return st.status != status || st.rev != rev })
			if err != nil {
				return nil, err
			}
			if !ok && !st.busy && !st.turns.held() {
				var still bool
				if err := workflow.ExecuteActivity(shortActivity(ctx), a.TaskStillOpen, st.id).Get(ctx, &still); err != nil {
					return nil, err
				}
				if !still {
					st.status = "cancelled"
				}
			}
			continue
		}
		rev := st.rev
		ladderScope := scope
		if rev > 0 {
			ladderScope = fmt.Sprintf("%s/rev/%d", scope, rev)
		}
		var resume *LadderState
		if ladder != nil && ladder.Rev == rev {
			resume = ladder
		}
		ladder = resume
		gone, err := runLadder(ctx, ladderRun{
			Policy: ladderPolicy(ctx, in.Task.Policy), Due: st.due, Cal: cal, Fresh: rev == 0, Resume: resume,
			Progress: func(ls LadderState) {
				ls.Rev = rev
				ladder = &ls
			},
			Interrupted: func() bool { return st.rev != rev || !st.open() },
			Send: func(ctx workflow.Context, s escalation.Planned) stepOutcome {
				return notifyTaskStep(ctx, st, s.IdempotencyKey(ladderScope), "task_"+s.Template, s.Audiences)
			},
		})
		if errors.Is(err, errContinueAsNew) {
			// A long history: the next run opens the same row and goes on
			// from the ladder's state.
			if err := workflow.Await(ctx, func() bool { return workflow.AllHandlersFinished(ctx) && st.mail.empty() }); err != nil {
				return nil, err
			}
			next := in
			next.Ladder = ladder
			if next.Ladder == nil {
				next.Ladder = &LadderState{Rev: st.rev}
			}
			return nil, workflow.NewContinueAsNewError(ctx, TaskWorkflow, next)
		}
		if err != nil {
			return nil, err
		}
		if gone {
			if err := workflow.ExecuteActivity(shortActivity(ctx), a.CancelTask, st.id).Get(ctx, nil); err != nil {
				return nil, err
			}
			st.status = "cancelled"
		}
	}
	// The handlers' emails go before the workflow ends or continues.
	if err := workflow.Await(ctx, func() bool { return workflow.AllHandlersFinished(ctx) && st.mail.empty() }); err != nil {
		return nil, err
	}
	if st.status == "confirmed" && in.Task.UnitTaskID == 0 {
		if next, ok := activities.NextDue(in.Task.Recurrence, st.due); ok && next.Year <= opened.TermEndYear {
			// The next round of a recurring task: a new row, its own ladder.
			nextIn := in
			nextIn.Ladder = nil
			nextIn.Task.Occurrence++
			nextIn.Task.Key = fmt.Sprintf("%s/occurrence/%d", in.Task.WorkflowID, nextIn.Task.Occurrence)
			nextIn.Task.DueOn = next.String()
			return nil, workflow.NewContinueAsNewError(ctx, TaskWorkflow, nextIn)
		}
	}
	return &TaskWorkflowResult{UnitTaskID: st.id, Status: st.status}, nil
}

// notifyTask mails the unit about its task; it reports whether the task's
// plan is closed. A failed email is in the outbox; the task goes on.
func notifyTask(ctx workflow.Context, st *taskState, key, template, comment string) (closed bool) {
	return sendTaskMail(ctx, st, key, template, []string{string(escalation.AudienceUnit)}, comment)
}

func notifyTaskStep(ctx workflow.Context, st *taskState, key, template string, audiences []escalation.Audience) stepOutcome {
	aus := make([]string, len(audiences))
	for i, au := range audiences {
		aus[i] = string(au)
	}
	return sendTaskMailOutcome(ctx, st, key, template, aus, "")
}

func sendTaskMail(ctx workflow.Context, st *taskState, key, template string, audiences []string, comment string) bool {
	return sendTaskMailOutcome(ctx, st, key, template, audiences, comment) == stepGone
}

// sendTaskMailOutcome mails the task's unit: stepGone when the task's plan
// is closed, stepHeld when a ladder step was skipped because the plan's
// escalations are paused.
func sendTaskMailOutcome(ctx workflow.Context, st *taskState, key, template string, audiences []string, comment string) stepOutcome {
	in := activities.NotifyTaskInput{Key: key, UnitTaskID: st.id, Template: template, Audiences: audiences, Comment: comment}
	if !st.due.IsZero() {
		in.DueOn = st.due.String()
	}
	var res activities.NotifyTaskResult
	if err := workflow.ExecuteActivity(mailActivity(ctx), a.NotifyTask, in).Get(ctx, &res); err != nil {
		workflow.GetLogger(ctx).Error("task email not delivered", "template", template, "error", err)
		return stepSent
	}
	switch {
	case res.PlanClosed:
		return stepGone
	case res.Skipped:
		return stepHeld
	}
	return stepSent
}

// registerTaskHandlers installs the task's updates. Each validator refuses
// what the task's state does not allow before anything is recorded; the
// handlers take turns, and each, once its turn comes, checks the state
// again, records through an activity keyed by the update's ID, then moves
// the state.
func registerTaskHandlers(ctx workflow.Context, st *taskState) error {
	st.mail.start(ctx)
	st.turns = newTurns(ctx)
	// mailUnit tells the unit about a decision: after the handler answered
	// (mailAfterDecision), or inside it as before.
	mailUnit := func(ctx workflow.Context, key, template, comment string) {
		if !mailAfterDecision(ctx) {
			notifyTask(ctx, st, key, template, comment)
			return
		}
		// The deadline as it is now, not when the email goes.
		due := st.due
		st.mail.add(func(ctx workflow.Context) {
			snap := *st
			snap.due = due
			notifyTask(ctx, &snap, key, template, comment)
		})
	}
	check := func(allowed ...string) error {
		if st.status == "opening" || st.busy {
			return temporal.NewApplicationError("the task is being updated, try again", "Busy")
		}
		for _, s := range allowed {
			if st.status == s {
				return nil
			}
		}
		return temporal.NewApplicationError("the task is "+st.status, "WrongState")
	}
	record := func(ctx workflow.Context, action string, req TaskActionRequest) error {
		if !st.turns.held() {
			// An execution from before the handlers took turns: busy
			// while the action is recorded, as it was.
			st.busy = true
			defer func() { st.busy = false }()
		}
		var rec activities.TaskRecord
		err := workflow.ExecuteActivity(decisionActivity(ctx), a.RecordTaskAction, activities.RecordTaskActionInput{
			UnitTaskID: st.id, Key: workflow.GetCurrentUpdateInfo(ctx).ID, Action: action, UserID: req.UserID,
			Result: req.Result, Comment: req.Comment, DueOn: req.DueOn, AttachmentIDs: req.AttachmentIDs, ChildPlanID: req.ChildPlanID,
			Actor: req.ActorName, RequestID: req.RequestID,
		}).Get(ctx, &rec)
		if activities.IsPlanClosed(err) {
			st.status = "cancelled"
			return temporal.NewApplicationError("the task's plan is closed or cancelled", activities.ErrTypePlanClosed)
		}
		if err != nil {
			return err
		}
		st.status = rec.Status
		return nil
	}
	handle := func(name string, run func(ctx workflow.Context, req TaskActionRequest) error, validate func(ctx workflow.Context, req TaskActionRequest) error) error {
		return workflow.SetUpdateHandlerWithOptions(ctx, name,
			func(ctx workflow.Context, req TaskActionRequest) (*TaskState, error) {
				// Its turn, then the state checked again: an update sent
				// with another is refused for what the other did.
				release, _, err := st.turns.take(ctx, func() error { return validate(ctx, req) })
				if err != nil {
					return nil, err
				}
				defer release()
				if err := run(ctx, req); err != nil {
					return nil, err
				}
				return st.answer(), nil
			},
			workflow.UpdateHandlerOptions{Validator: validate})
	}

	err := handle(UpdateStartTask,
		func(ctx workflow.Context, req TaskActionRequest) error { return record(ctx, "start", req) },
		func(ctx workflow.Context, req TaskActionRequest) error { return check("assigned") })
	if err != nil {
		return err
	}
	err = handle(UpdateCompleteTask,
		func(ctx workflow.Context, req TaskActionRequest) error { return record(ctx, "complete", req) },
		func(ctx workflow.Context, req TaskActionRequest) error {
			if err := check("assigned", "in_progress"); err != nil {
				return err
			}
			if strings.TrimSpace(req.Result) == "" && req.ChildPlanID == 0 {
				return temporal.NewApplicationError("a completed task needs its result", "ResultRequired")
			}
			return nil
		})
	if err != nil {
		return err
	}
	err = handle(UpdateConfirmTask,
		func(ctx workflow.Context, req TaskActionRequest) error {
			if err := record(ctx, "confirm", req); err != nil {
				return err
			}
			mailUnit(ctx, fmt.Sprintf("task/%d/confirmed", st.id), "task_confirmed", req.Comment)
			return nil
		},
		func(ctx workflow.Context, req TaskActionRequest) error { return check("done") })
	if err != nil {
		return err
	}
	err = handle(UpdateReturnTask,
		func(ctx workflow.Context, req TaskActionRequest) error {
			if err := record(ctx, "return", req); err != nil {
				return err
			}
			st.due, _ = calendar.ParseDate(req.DueOn)
			st.rev++
			mailUnit(ctx, fmt.Sprintf("task/%d/returned/rev/%d", st.id, st.rev), "task_returned", req.Comment)
			return nil
		},
		func(ctx workflow.Context, req TaskActionRequest) error {
			if err := check("done"); err != nil {
				return err
			}
			if strings.TrimSpace(req.Comment) == "" {
				return temporal.NewApplicationError("a returned task needs a comment", "CommentRequired")
			}
			d, err := calendar.ParseDate(req.DueOn)
			if err != nil || d.Before(calendar.InVietnam(workflow.Now(ctx))) {
				return temporal.NewApplicationError("the new deadline must be a date not yet passed", "InvalidDueDate")
			}
			return nil
		})
	if err != nil {
		return err
	}
	// A moved deadline restarts the ladder under keys of its own (rev), with
	// the steps still ahead, as a report's does. A handler added later than
	// the others: registering it issues no command, so the histories of
	// tasks started before it replay unchanged.
	return handle(UpdateMoveTaskDeadline,
		func(ctx workflow.Context, req TaskActionRequest) error {
			if err := record(ctx, "deadline", req); err != nil {
				return err
			}
			st.due, _ = calendar.ParseDate(req.DueOn)
			st.rev++
			return nil
		},
		func(ctx workflow.Context, req TaskActionRequest) error {
			if err := check("assigned", "in_progress"); err != nil {
				return err
			}
			d, err := calendar.ParseDate(req.DueOn)
			if err != nil || d.Before(calendar.InVietnam(workflow.Now(ctx))) {
				return temporal.NewApplicationError("the new deadline must be a date not yet passed", "InvalidDueDate")
			}
			return nil
		})
}
