package api

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"
)

type ctxKey int

const (
	loggerKey ctxKey = iota
	requestIDKey
)

// requestContext gives every request an ID (the client's X-Request-ID when
// it sent a sane one), a logger carrying it, one log line when it ends, and
// its latency in the metrics by route and status.
func (s *Server) requestContext() gin.HandlerFunc {
	return func(c *gin.Context) {
		start := time.Now()
		id := c.GetHeader("X-Request-ID")
		if !saneRequestID(id) {
			b := make([]byte, 8)
			_, _ = rand.Read(b)
			id = hex.EncodeToString(b)
		}
		c.Header("X-Request-ID", id)
		log := s.Log.With("request_id", id)
		ctx := context.WithValue(c.Request.Context(), loggerKey, log)
		ctx = context.WithValue(ctx, requestIDKey, id)
		c.Request = c.Request.WithContext(ctx)

		c.Next()

		route := c.FullPath()
		if route == "" {
			route = "unmatched"
		}
		status := c.Writer.Status()
		d := time.Since(start)
		if s.Metrics != nil {
			s.Metrics.HTTPDuration.WithLabelValues(c.Request.Method, route, strconv.Itoa(status)).Observe(d.Seconds())
		}
		level := slog.LevelInfo
		if status >= 500 {
			level = slog.LevelError
		}
		if route == "/healthz" || route == "/readyz" || route == "/metrics" {
			level = slog.LevelDebug
		}
		log.Log(ctx, level, "http request", "method", c.Request.Method, "route", route,
			"path", c.Request.URL.Path, "status", status, "duration_ms", d.Milliseconds())
	}
}

// saneRequestID reports whether a client's X-Request-ID may be used as is:
// 1 to 64 letters, digits, '-', '_', '.' or ':' (it goes into logs, audit rows
// and idempotency keys).
func saneRequestID(id string) bool {
	if id == "" || len(id) > 64 {
		return false
	}
	for _, r := range id {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.' || r == ':') {
			return false
		}
	}
	return true
}

// recovery turns a panic into the API's 500 answer and logs it once.
func (s *Server) recovery() gin.HandlerFunc {
	return func(c *gin.Context) {
		defer func() {
			if p := recover(); p != nil {
				if p == http.ErrAbortHandler {
					panic(p)
				}
				respondError(c, fmt.Errorf("panic: %v", p))
			}
		}()
		c.Next()
	}
}

// logger is the request's logger, carrying its request ID.
func logger(c *gin.Context) *slog.Logger {
	if l, ok := c.Request.Context().Value(loggerKey).(*slog.Logger); ok {
		return l
	}
	return slog.Default()
}

// requestID is the request's ID, for audit rows.
func requestID(c *gin.Context) string {
	id, _ := c.Request.Context().Value(requestIDKey).(string)
	return id
}
