package api

import (
	"context"
	"errors"
	"net"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/lib/pq"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

func (s *Server) healthz(c *gin.Context) {
	c.JSON(http.StatusOK, gin.H{"status": "ok"})
}

// readyz answers 200 when PostgreSQL and Temporal both answer, else 503
// naming which does not. It is public, so it says only "ok", "unavailable"
// or, for PostgreSQL refusing connections, "too_many_clients": the cause
// (addresses, database errors) goes to the log.
func (s *Server) readyz(c *gin.Context) {
	ctx, cancel := context.WithTimeout(c.Request.Context(), 3*time.Second)
	defer cancel()
	checks := gin.H{"postgres": "ok", "temporal": "ok"}
	ok := true
	if err := s.DB.Ping(ctx); err != nil {
		checks["postgres"], ok = postgresCheck(err), false
		logger(c).Warn("readyz: postgres", "error", err)
	}
	if s.Temporal == nil {
		checks["temporal"], ok = "unavailable", false
	} else if _, err := s.Temporal.CheckHealth(ctx, nil); err != nil {
		checks["temporal"], ok = "unavailable", false
		logger(c).Warn("readyz: temporal", "error", err)
	}
	if !ok {
		c.JSON(http.StatusServiceUnavailable, gin.H{"status": "unavailable", "checks": checks})
		return
	}
	c.JSON(http.StatusOK, gin.H{"status": "ok", "checks": checks})
}

// MetricsHandler serves the Prometheus metrics, for a listener of their own
// (METRICS_ADDR).
func (s *Server) MetricsHandler() http.Handler {
	if s.Metrics == nil {
		return http.NotFoundHandler()
	}
	return promhttp.HandlerFor(s.Metrics.Registry, promhttp.HandlerOpts{Registry: s.Metrics.Registry})
}

// metrics serves /metrics on the main port only when no listener of their
// own is configured, and then only to a connection from this machine that
// came through no proxy: the figures (routes, volumes, errors) are not for
// the internet.
func (s *Server) metrics(c *gin.Context) {
	if s.MetricsElsewhere || !directLoopback(c.Request) {
		respondError(c, errNotFound())
		return
	}
	s.MetricsHandler().ServeHTTP(c.Writer, c.Request)
}

// directLoopback reports whether r came over a loopback connection and not
// through a reverse proxy (which would set a forwarding header).
func directLoopback(r *http.Request) bool {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return false
	}
	ip := net.ParseIP(host)
	if ip == nil || !ip.IsLoopback() {
		return false
	}
	for _, h := range []string{"X-Forwarded-For", "X-Real-IP", "Forwarded", "X-Forwarded-Host"} {
		if r.Header.Get(h) != "" {
			return false
		}
	}
	return true
}

// postgresCheck names why PostgreSQL did not answer: "too_many_clients" when
// it refused a connection because max_connections is reached (SQLSTATE
// 53300: the sum of the processes' DATABASE_MAX_CONNS is too large, see the
// README), else "unavailable".
func postgresCheck(err error) string {
	var pqErr *pq.Error
	if errors.As(err, &pqErr) && pqErr.Code == "53300" {
		return "too_many_clients"
	}
	return "unavailable"
}
