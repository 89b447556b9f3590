package api

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"cascade/auth"
	"cascade/store"
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
