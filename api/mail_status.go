package api

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"cascade/auth"
	"cascade/org"
	"cascade/store"
)

// mailStuckAfter is how long an email may wait in the outbox before the
// mail is said not to be going out.
const mailStuckAfter = 15 * time.Minute

type mailStatus struct {
	// Configured is false while no SMTP server is set (SMTP_URL): every
	// email stays queued in the outbox.
	Configured bool `json:"configured"`
	// Going is true when email is going out: configured, nothing failed
	// and nothing waiting longer than mailStuckAfter.
	Going bool `json:"going"`
	store.MailCounts
}

// getMailStatus tells admins whether email is going out (GET /mail/status).
func (s *Server) getMailStatus(c *gin.Context) {
	// The mail server is the organisation's: its admins at the top unit.
	top := false
	for _, m := range who(c).Memberships {
		top = top || (m.Role.Permits(auth.ActionManageTree) && org.Depth(m.UnitPath) == 0)
	}
	if !top {
		respondError(c, newError(http.StatusForbidden, "forbidden", "Chỉ quản trị viên cấp tỉnh xem tình trạng thư", "only an admin of the top unit reads the mail status"))
		return
	}
	m, err := store.New(s.DB).MailStatus(c)
	if err != nil {
		respondError(c, err)
		return
	}
	stuck := m.OldestQueuedAt != nil && s.now().Sub(*m.OldestQueuedAt) > mailStuckAfter
	c.JSON(http.StatusOK, mailStatus{Configured: s.MailConfigured, Going: s.MailConfigured && m.Failed == 0 && !stuck, MailCounts: m})
}
