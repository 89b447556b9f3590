package api

import (
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"cascade/auth"
	"cascade/store"
)

// auditLog reads the audit trail of the units the caller may audit,
// filtered by entity, actor and time range. No route changes it.
func (s *Server) auditLog(c *gin.Context) {
	paths := scopePaths(c, auth.ActionViewAudit)
	if len(paths) == 0 {
		respondError(c, newError(http.StatusForbidden, "forbidden", "Vai trò của bạn không được xem nhật ký", "your role may not read the audit log"))
		return
	}
	f := store.AuditFilter{Paths: paths, Entity: c.Query("entity"), EntityID: c.Query("entity_id"), Limit: 200}
	e := errInvalid()
	if a := c.Query("actor_id"); a != "" {
		n, err := strconv.ParseInt(a, 10, 64)
		if err != nil || n <= 0 {
			e.withField("actor_id", "Mã người dùng không hợp lệ", "actor_id must be a user id")
		}
		f.ActorID = n
	}
	for name, dst := range map[string]*time.Time{"from": &f.From, "to": &f.To} {
		if v := c.Query(name); v != "" {
			t, err := time.Parse(time.RFC3339, v)
			if err != nil {
				e.withField(name, "Thời điểm phải có dạng RFC 3339, ví dụ 2026-11-29T08:00:00+07:00", "want an RFC 3339 time, e.g. 2026-11-29T08:00:00+07:00")
			}
			*dst = t
		}
	}
	if l := c.Query("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 || n > 1000 {
			e.withField("limit", "Giới hạn từ 1 đến 1000", "limit must be from 1 to 1000")
		}
		f.Limit = n
	}
	if len(e.Fields) > 0 {
		respondError(c, e)
		return
	}
	rs, err := store.New(s.DB).AuditLog(c, f)
	if err != nil {
		respondError(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"entries": nonNil(rs)})
}
