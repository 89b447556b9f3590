package api

import (
	"context"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

func (s *Server) healthz(c *gin.Context) {
	c.JSON(http.StatusOK, gin.H{"status": "ok"})
}

// readyz answers 200 when PostgreSQL and Temporal both answer, else 503
// naming which does not.
func (s *Server) readyz(c *gin.Context) {
	ctx, cancel := context.WithTimeout(c.Request.Context(), 3*time.Second)
	defer cancel()
	checks := gin.H{"postgres": "ok", "temporal": "ok"}
	ok := true
	if err := s.DB.Ping(ctx); err != nil {
		checks["postgres"], ok = err.Error(), false
	}
	if s.Temporal == nil {
		checks["temporal"], ok = "not connected", false
	} else if _, err := s.Temporal.CheckHealth(ctx, nil); err != nil {
		checks["temporal"], ok = err.Error(), false
	}
	if !ok {
		c.JSON(http.StatusServiceUnavailable, gin.H{"status": "unavailable", "checks": checks})
		return
	}
	c.JSON(http.StatusOK, gin.H{"status": "ok", "checks": checks})
}

func (s *Server) metricsHandler() http.Handler {
	if s.Metrics == nil {
		return http.NotFoundHandler()
	}
	return promhttp.HandlerFor(s.Metrics.Registry, promhttp.HandlerOpts{Registry: s.Metrics.Registry})
}
