// Package api is Cascade's HTTP API: a Gin router whose handlers validate
// requests, check scope, call the store and start, signal or update
// workflows. It holds no SQL and imports workflows only for names and types.
package api

import (
	"io/fs"
	"log/slog"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
	"go.temporal.io/sdk/client"

	"cascade/metrics"
	"cascade/store"
)

// Server holds what the handlers need.
type Server struct {
	DB        *store.DB
	Temporal  client.Client
	TaskQueue string
	Metrics   *metrics.Registry
	Log       *slog.Logger
	// Web is the built frontend, served at / with client-side routes falling
	// back to index.html.
	Web fs.FS
	// Now is the clock; time.Now unless a test sets it.
	Now func() time.Time
}

func (s *Server) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// Handler returns the HTTP handler with every route.
func (s *Server) Handler() http.Handler {
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.ContextWithFallback = true
	r.HandleMethodNotAllowed = true
	r.Use(s.requestContext(), s.recovery())
	r.NoRoute(s.noRoute)
	r.NoMethod(func(c *gin.Context) {
		respondError(c, newError(http.StatusMethodNotAllowed, "method_not_allowed", "Phương thức không được hỗ trợ", "method not allowed"))
	})

	r.GET("/healthz", s.healthz)
	r.GET("/readyz", s.readyz)
	r.GET("/metrics", gin.WrapH(s.metricsHandler()))

	v1 := r.Group("/api/v1")
	v1.POST("/units", s.createUnit)
	v1.GET("/units/:id", s.getUnit)
	v1.GET("/units/:id/tasks", s.unitTasks)

	v1.POST("/plans", s.createPlan)
	v1.GET("/plans/:id", s.getPlan)
	v1.POST("/plans/:id/issue", s.issuePlan)
	v1.POST("/plans/:id/remind", s.remindPlan)

	v1.GET("/reports/:id", s.getReport)
	v1.POST("/reports/:id/submit", s.submitReport)

	v1.GET("/outbox", s.outbox)
	return r
}
