package api

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

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
	ns, err := store.New(s.DB).Notifications(c, status, limit)
	if err != nil {
		respondError(c, err)
		return
	}
	if ns == nil {
		ns = []store.Notification{}
	}
	c.JSON(http.StatusOK, gin.H{"notifications": ns})
}
