package api

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"
	"go.temporal.io/sdk/client"

	"cascade/auth"
	"cascade/store"
	"cascade/workflows"
)

// outbox lists the emails Cascade wrote, newest first; without SMTP_URL this
// is where they wait.
func (s *Server) outbox(c *gin.Context) {
	status := c.Query("status")
	switch status {
	case "", "queued", "sending", "sent", "failed", "held":
	default:
		respondError(c, errInvalid().withField("status", "Trạng thái không hợp lệ", "status must be queued, sending, sent, failed or held"))
		return
	}
	limit := 100
	if l := c.Query("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 || n > 1000 {
			respondError(c, errInvalid().withField("limit", "Giới hạn từ 1 đến 1000", "limit must be from 1 to 1000"))
			return
		}
		limit = n
	}
	paths := scopePaths(c, auth.ActionManageUsers)
	if len(paths) == 0 {
		respondError(c, newError(http.StatusForbidden, "forbidden", "Chỉ quản trị viên được xem hộp thư đi", "only admins may read the outbox"))
		return
	}
	ns, err := store.New(s.DB).NotificationsInScope(c, paths, status, limit)
	if err != nil {
		respondError(c, err)
		return
	}
	for i := range ns {
		// A reset link in the outbox would let an admin take over the account.
		if ns[i].Template == "password_reset" {
			ns[i].BodyText = "(ẩn / hidden)"
		}
	}
	c.JSON(http.StatusOK, gin.H{"notifications": nonNil(ns)})
}

// retryNotification sends a failed or waiting email again, through the
// worker's mail activity with its retries.
func (s *Server) retryNotification(c *gin.Context) {
	id, ok := pathID(c, "id")
	if !ok {
		return
	}
	st := store.New(s.DB)
	n, err := st.NotificationByID(c, id)
	if err != nil {
		respondError(c, err)
		return
	}
	path := ""
	if n.UnitID != nil {
		u, err := st.Unit(c, *n.UnitID)
		if err != nil {
			respondError(c, err)
			return
		}
		path = u.Path
	}
	if !allow(c, auth.ActionManageUsers, path) {
		return
	}
	switch n.Status {
	case "failed", "queued":
	case "held":
		respondError(c, newError(http.StatusConflict, "no_address", "Email không có người nhận: cần bổ sung địa chỉ email của đơn vị",
			"the email has no recipient: the unit needs an email address"))
		return
	default:
		respondError(c, newError(http.StatusConflict, "already_sent", "Email đã được gửi hoặc đang gửi", "the email was sent or is being sent"))
		return
	}
	wfID := workflows.SendEmailID(n.ID) + "/retry/" + requestID(c)
	if _, err := s.Temporal.ExecuteWorkflow(c, client.StartWorkflowOptions{ID: wfID, TaskQueue: s.TaskQueue},
		workflows.SendEmail, workflows.SendEmailInput{NotificationID: n.ID}); err != nil {
		logger(c).Error("retry email", "notification_id", n.ID, "error", err)
		respondError(c, errUnavailable("Temporal"))
		return
	}
	cl := who(c)
	if err := st.Audit(c, store.AuditEntry{ActorID: cl.id(), Actor: cl.User.Email, Action: "retry", Entity: "notification",
		EntityID: strconv.FormatInt(n.ID, 10), RequestID: requestID(c), UnitID: n.UnitID}); err != nil {
		respondError(c, err)
		return
	}
	c.JSON(http.StatusAccepted, gin.H{"workflow_id": wfID})
}
