package api

import (
	"errors"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"

	"cascade/auth"
	"cascade/reports"
	"cascade/store"
	"cascade/workflows"
)

type reportResponse struct {
	store.Report
	PlanID  int64                `json:"plan_id"`
	Values  []store.ReportValue  `json:"values"`
	Reviews []store.ReportReview `json:"reviews"`
	reportForm
}

func (s *Server) getReport(c *gin.Context) {
	r, ok := s.reportFor(c, auth.ActionView)
	if !ok {
		return
	}
	s.writeReport(c, http.StatusOK, r)
}

// reportFor loads the report named by :id with its scope, in one store
// call, and checks that the caller may do action on it: it belongs to the
// reporting unit; the plan's issuing unit may read it too.
func (s *Server) reportFor(c *gin.Context, action auth.Action) (store.ReportScope, bool) {
	id, ok := pathID(c, "id")
	if !ok {
		return store.ReportScope{}, false
	}
	r, err := store.New(s.DB).ReportForAction(c, id)
	if err != nil {
		respondError(c, err)
		return store.ReportScope{}, false
	}
	if action == auth.ActionView && who(c).Can(action, r.UnitPath) != auth.Allow &&
		r.IssuerPath != "" && who(c).Can(action, r.IssuerPath) == auth.Allow {
		return r, true
	}
	if !allow(c, action, r.UnitPath) {
		return store.ReportScope{}, false
	}
	return r, true
}

// writeReport answers the report's page as it is now: one store call.
func (s *Server) writeReport(c *gin.Context, status int, r store.ReportScope) {
	v, err := store.New(s.DB).ReportView(c, r.ID)
	if err != nil {
		respondError(c, err)
		return
	}
	c.JSON(status, reportResponse{Report: v.Report, PlanID: r.Cycle.PlanID, Values: nonNil(v.Values), Reviews: nonNil(v.Reviews),
		reportForm: s.reportForm(c, r, v)})
}

type submitReportRequest struct {
	Values     []reports.Value   `json:"values" binding:"required,max=1000"`
	Narratives []store.Narrative `json:"narratives" binding:"max=200"`
}

// submitReport hands a unit's values to its UnitReport workflow through an
// Update and answers once the workflow has recorded them. Bad values are
// refused here and again by the update's validator, with every problem named.
func (s *Server) submitReport(c *gin.Context) {
	var req submitReportRequest
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
	id, cycle := r.ID, r.Cycle
	ts, err := store.New(s.DB).FormTargets(c, cycle.PlanID, r.UnitID)
	if err != nil {
		respondError(c, err)
		return
	}
	if err := checkSubmission(ts, r.TaskGroupIDs, req.Values, req.Narratives); err != nil {
		respondError(c, err)
		return
	}
	handle, err := s.Temporal.UpdateWorkflow(c, client.UpdateWorkflowOptions{
		WorkflowID:   workflows.UnitReportID(cycle.PlanID, cycle.ID, r.UnitID),
		UpdateName:   workflows.UpdateSubmitReport,
		Args:         []any{workflows.SubmitReportRequest{UserID: who(c).id(), Values: req.Values, Actor: actorOf(c)}},
		WaitForStage: client.WorkflowUpdateStageCompleted,
	})
	if err == nil {
		var res workflows.SubmitReportResult
		err = handle.Get(c, &res)
	}
	if err != nil {
		respondError(c, updateError(c, err))
		return
	}
	// The narratives are the report's text, not the workflow's state: kept
	// once the workflow has taken the figures.
	if err := store.New(s.DB).SetNarratives(c, id, req.Narratives); err != nil {
		respondError(c, err)
		return
	}
	s.writeReport(c, http.StatusOK, r)
}

// updateError maps a failed submission update to the API's answer.
func updateError(c *gin.Context, err error) error {
	var notFound *serviceerror.NotFound
	if errors.As(err, &notFound) {
		return newError(http.StatusConflict, "not_open", "Kỳ báo cáo chưa mở hoặc đã kết thúc", "the report is not open for submission")
	}
	// A report opened before reviews existed has no such update.
	if strings.Contains(err.Error(), "unknown update") {
		return newError(http.StatusConflict, "not_supported", "Báo cáo này mở trước khi có chức năng duyệt", "this report was opened before reviews existed")
	}
	var appErr *temporal.ApplicationError
	if errors.As(err, &appErr) {
		switch appErr.Type() {
		case "NotSubmitted":
			return newError(http.StatusConflict, "not_submitted", "Báo cáo chưa được nộp", "the report has not been submitted")
		case "Closed", "NotOpen":
			return newError(http.StatusConflict, "closed", "Báo cáo đã được chấp nhận hoặc miễn nộp", "the report is accepted or waived")
		case "CommentRequired":
			return errUnprocessable().withField("comment", "Cần ghi ý kiến khi trả lại báo cáo", "a returned report needs a comment")
		case "InvalidDueDate":
			return errUnprocessable().withField("due_on", "Hạn mới phải là một ngày chưa qua (YYYY-MM-DD)", "the new deadline must be a date not yet passed")
		case "Busy":
			return newError(http.StatusConflict, "busy", "Báo cáo đang được cập nhật, vui lòng thử lại", "the report is being updated, try again")
		case "AlreadySubmitted":
			return newError(http.StatusConflict, "already_submitted", "Báo cáo đã được nộp", "the report was already submitted")
		case "InvalidReport":
			var ps reports.Problems
			if appErr.HasDetails() && appErr.Details(&ps) == nil {
				return problemsError(ps)
			}
			return errUnprocessable()
		}
	}
	logger(c).Error("submit report update", "error", err)
	return errUnavailable("Temporal")
}

// problemsError turns a report's problems into a 422 naming each field.
func problemsError(err error) *Error {
	e := errUnprocessable()
	var ps reports.Problems
	if errors.As(err, &ps) {
		for _, p := range ps {
			e.withField(p.Field, p.Message, p.MessageEn)
		}
	}
	return e
}

// issuerAllows checks that the caller may do action on the plan a report
// belongs to: reviews, waivers and deadlines are the assigning side's.
func issuerAllows(c *gin.Context, r store.ReportScope, action auth.Action) bool {
	return allow(c, action, r.IssuerPath)
}

type reviewRequest struct {
	Comment string     `json:"comment" binding:"max=4000"`
	DueOn   store.Date `json:"due_on"`
}

type waiveRequest struct {
	Reason string `json:"reason" binding:"required,max=4000"`
}

type deadlineRequest struct {
	DueOn store.Date `json:"due_on" binding:"required"`
}

// reviewAction sends one of the assigning side's decisions to the report's
// workflow as an Update, and answers the report once it is recorded.
func (s *Server) reviewAction(name string) gin.HandlerFunc {
	return func(c *gin.Context) {
		var args any
		uid := func() *int64 { return who(c).id() }
		switch name {
		case "accept", "return":
			var req reviewRequest
			if !bind(c, &req) {
				return
			}
			if name == "return" {
				e := errUnprocessable()
				if req.Comment == "" {
					e.withField("comment", "Cần ghi ý kiến khi trả lại báo cáo", "a returned report needs a comment")
				}
				if req.DueOn.IsZero() {
					e.withField("due_on", "Cần hạn nộp lại", "a new deadline is required")
				}
				if len(e.Fields) > 0 {
					respondError(c, e)
					return
				}
				if !s.moveOffDaysOff(c, &req.DueOn) {
					return
				}
			}
			args = workflows.ReviewReportRequest{UserID: uid(), Accept: name == "accept", Comment: req.Comment, DueOn: dateOrEmpty(req.DueOn), Actor: actorOf(c)}
		case "waive":
			var req waiveRequest
			if !bind(c, &req) {
				return
			}
			args = workflows.WaiveReportRequest{UserID: uid(), Reason: req.Reason, Actor: actorOf(c)}
		case "deadline":
			var req deadlineRequest
			if !bind(c, &req) || !s.moveOffDaysOff(c, &req.DueOn) {
				return
			}
			args = workflows.MoveDeadlineRequest{UserID: uid(), DueOn: req.DueOn.String(), Actor: actorOf(c)}
		}
		r, ok := s.reportFor(c, auth.ActionView)
		if !ok {
			return
		}
		if !issuerAllows(c, r, auth.ActionApprove) {
			return
		}
		cycle := r.Cycle
		update := map[string]string{"accept": workflows.UpdateReviewReport, "return": workflows.UpdateReviewReport,
			"waive": workflows.UpdateWaiveReport, "deadline": workflows.UpdateMoveDeadline}[name]
		handle, err := s.Temporal.UpdateWorkflow(c, client.UpdateWorkflowOptions{
			WorkflowID: workflows.UnitReportID(cycle.PlanID, cycle.ID, r.UnitID), UpdateName: update,
			Args: []any{args}, WaitForStage: client.WorkflowUpdateStageCompleted,
		})
		if err == nil {
			var res workflows.ReportState
			err = handle.Get(c, &res)
		}
		if err != nil {
			respondError(c, updateError(c, err))
			return
		}
		s.writeReport(c, http.StatusOK, r)
	}
}

// actorOf names the caller and the request for the audit row a workflow's
// activity writes on the caller's behalf.
func actorOf(c *gin.Context) workflows.Actor {
	a := workflows.Actor{RequestID: requestID(c)}
	if cl := who(c); cl != nil {
		a.ActorName = cl.User.Email
	}
	return a
}

func dateOrEmpty(d store.Date) string {
	if d.IsZero() {
		return ""
	}
	return d.String()
}
