// Package api is Cascade's HTTP API: a Gin router whose handlers validate
// requests, check scope, call the store and start, signal or update
// workflows. It holds no SQL and imports workflows only for names and types.
package api

import (
	_ "embed"
	"io/fs"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
	"go.temporal.io/sdk/client"

	"cascade/auth"
	"cascade/metrics"
	"cascade/store"
)

// openAPISpec documents every route; a test holds it to the router.
//
//go:embed openapi.yaml
var openAPISpec []byte

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
	// PublicURL is where users reach Cascade: links in email, and https
	// turns on Secure cookies.
	PublicURL string
	// DataDir is where uploaded files are kept (DATA_DIR).
	DataDir string
	// MailConfigured is true when an SMTP server is set (SMTP_URL); without
	// one every email waits in the outbox.
	MailConfigured bool
	// HashGate bounds the password hashes running at once; nil: the
	// default gate (auth.NewDefaultGate), made by Handler.
	HashGate *auth.Gate
	// TrustedProxies are the addresses (IPs or CIDRs) of reverse proxies
	// whose X-Forwarded-For is believed; empty trusts none, and the client
	// address is the connection's.
	TrustedProxies []string
	// MetricsElsewhere is set when /metrics has a listener of its own
	// (METRICS_ADDR); the main port then does not serve it.
	MetricsElsewhere bool

	gateOnce sync.Once
	// background counts the work left running after an answer.
	background sync.WaitGroup
	// CallerCacheTTL is how long who a session or token belongs to is kept
	// in memory (about 5 s in production); 0 looks the caller up on every
	// request.
	CallerCacheTTL time.Duration
	callers        *callerCache
	// resetSlots bounds the password reset requests worked on at once.
	resetSlots chan struct{}
	// ImportGate bounds the plan documents read at once in a request; nil:
	// two at once, four more waiting up to 30 s.
	ImportGate *auth.Gate
	importOnce sync.Once
}

func (s *Server) importGate() *auth.Gate {
	s.importOnce.Do(func() {
		if s.ImportGate == nil {
			s.ImportGate = auth.NewGate(2, 4, 30*time.Second)
		}
	})
	return s.ImportGate
}

// maxResetsAtOnce is how many password reset requests are worked on at
// once (each a few queries and an email); beyond it they are dropped.
const maxResetsAtOnce = 16

// forgetUser drops what is cached about a user's sessions and tokens, so a
// sign-out, reset or role change holds at once.
func (s *Server) forgetUser(userID int64) { s.callers.forgetUser(userID) }

func (s *Server) hashGate() *auth.Gate {
	s.gateOnce.Do(func() {
		if s.HashGate == nil {
			s.HashGate = auth.NewDefaultGate()
		}
	})
	return s.HashGate
}

// OpenAPISpec is api/openapi.yaml, the API's contract, as served at
// /api/v1/openapi.yaml.
func OpenAPISpec() []byte { return openAPISpec }

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
	// Gin believes X-Forwarded-For from anyone unless told otherwise: the
	// client address (sign-in throttling, sessions) is the connection's
	// unless it comes from a configured proxy.
	if err := r.SetTrustedProxies(s.TrustedProxies); err != nil {
		s.Log.Error("TRUSTED_PROXIES refused, trusting no proxy", "error", err)
		_ = r.SetTrustedProxies(nil)
	}
	s.hashGate()
	s.importGate()
	// Uploads beyond 1 MiB wait in temporary files while they are parsed,
	// not in memory (Gin's default keeps 32 MiB per request).
	r.MaxMultipartMemory = 1 << 20
	if s.callers == nil {
		s.callers = &callerCache{ttl: s.CallerCacheTTL}
	}
	if s.resetSlots == nil {
		s.resetSlots = make(chan struct{}, maxResetsAtOnce)
	}
	r.Use(s.requestContext(), securityHeaders(), s.recovery(), s.forgetOnAccessChange(), s.authenticate(), cleanQuery())
	r.NoRoute(s.noRoute)
	r.NoMethod(func(c *gin.Context) {
		respondError(c, newError(http.StatusMethodNotAllowed, "method_not_allowed", "Phương thức không được hỗ trợ", "method not allowed"))
	})

	r.GET("/healthz", s.healthz)
	r.GET("/readyz", s.readyz)
	r.GET("/metrics", s.metrics)

	v1 := r.Group("/api/v1")
	v1.GET("/openapi.yaml", func(c *gin.Context) { c.Data(http.StatusOK, "application/yaml; charset=utf-8", openAPISpec) })
	r.GET("/api/docs", s.apiDocs)
	v1.POST("/auth/login", s.login)
	v1.POST("/auth/logout", s.logout)
	v1.POST("/auth/logout-all", s.logoutAll)
	v1.POST("/auth/password-reset", s.requestPasswordReset)
	v1.POST("/auth/password-reset/confirm", s.confirmPasswordReset)
	v1.GET("/me", s.me)
	v1.GET("/me/tokens", s.listTokens)
	v1.POST("/me/tokens", s.createToken)
	v1.DELETE("/me/tokens/:id", s.revokeToken)

	v1.GET("/units", s.listUnits)
	v1.POST("/units", s.createUnit)
	v1.POST("/units/import", s.importUnits)
	v1.GET("/units/:id", s.getUnit)
	v1.PATCH("/units/:id", s.updateUnit)
	v1.POST("/units/:id/move", s.moveUnit)
	v1.POST("/units/:id/deactivate", s.deactivateUnit)
	v1.GET("/units/:id/export", s.exportUnits)
	v1.GET("/units/:id/tasks", s.unitTasks)

	v1.GET("/users", s.listUsers)
	v1.POST("/users", s.createUser)
	v1.GET("/users/:id", s.getUser)
	v1.PATCH("/users/:id", s.updateUser)
	v1.POST("/users/:id/memberships", s.addMembership)
	v1.DELETE("/users/:id/memberships/:unit_id/:role", s.removeMembership)

	v1.GET("/audit", s.auditLog)

	v1.GET("/calendar", s.getCalendar)
	v1.PUT("/calendar/days/:date", s.setCalendarDay)
	v1.DELETE("/calendar/days/:date", s.deleteCalendarDay)

	v1.GET("/plans", s.listPlans)
	v1.POST("/plans", s.createPlan)
	v1.POST("/plans/import", s.importPlan)
	v1.GET("/import-jobs/:id", s.getImportJob)
	v1.GET("/plans/:id", s.getPlan)
	v1.PUT("/plans/:id", s.updatePlan)
	v1.DELETE("/plans/:id", s.deletePlan)
	v1.POST("/plans/:id/amend", s.amendPlan)
	v1.POST("/plans/:id/cascade", s.cascadePlan)
	v1.POST("/plans/:id/cancel", s.cancelPlan)
	v1.GET("/plans/:id/revisions", s.planRevisions)
	v1.GET("/plans/:id/revisions/:revision", s.planRevision)
	v1.GET("/plans/:id/timeline", s.planTimeline)
	v1.POST("/plans/:id/escalations", s.setEscalations)
	v1.POST("/plans/:id/issue", s.issuePlan)
	v1.GET("/plans/:id/issue-preview", s.issuePreview) // ui12: the issue confirmation
	v1.POST("/plans/:id/remind", s.remindPlan)
	v1.POST("/plans/:id/cycles/redate", s.redateCycles)

	v1.GET("/reports/:id", s.getReport)
	v1.POST("/reports/:id/submit", s.submitReport)
	v1.POST("/reports/:id/accept", s.reviewAction("accept"))
	v1.POST("/reports/:id/return", s.reviewAction("return"))
	v1.POST("/reports/:id/waive", s.reviewAction("waive"))
	v1.POST("/reports/:id/deadline", s.reviewAction("deadline"))

	// Tasks a unit completes (TaskWorkflow): ad-hoc, a plan's, a unit's own plan.
	v1.GET("/tasks", s.listAssignedTasks)
	v1.POST("/tasks", s.createTask)
	v1.GET("/tasks/:id", s.getTask)
	v1.POST("/tasks/:id/start", s.taskAction("start"))
	v1.POST("/tasks/:id/complete", s.taskAction("complete"))
	v1.POST("/tasks/:id/confirm", s.taskAction("confirm"))
	v1.POST("/tasks/:id/return", s.taskAction("return"))
	v1.POST("/tasks/:id/deadline", s.taskAction("deadline"))
	v1.POST("/tasks/:id/contributions", s.addContribution)

	// Reporting: dashboards, exports and reviews (issue 6).
	v1.GET("/plans/:id/dashboard", s.planDashboard)
	v1.GET("/plans/:id/targets/:target_id/breakdown", s.targetBreakdown)
	v1.GET("/plans/:id/matrix", s.planMatrix)
	v1.GET("/plans/:id/late", s.planLate)
	v1.GET("/plans/:id/export.xlsx", s.planExport)
	v1.GET("/plans/:id/reviews", s.planReviews)
	v1.POST("/plans/:id/reviews", s.compileReview)
	v1.GET("/reviews/:id", s.getReview)
	v1.GET("/reviews/:id/report.docx", s.reviewDocx)
	v1.GET("/reports", s.listReports)
	v1.PUT("/reports/:id/draft", s.saveDraft)
	v1.POST("/attachments", s.uploadAttachment)
	v1.GET("/attachments/:id", s.getAttachment)
	v1.DELETE("/attachments/:id", s.deleteAttachment)

	v1.GET("/outbox", s.outbox)
	v1.POST("/outbox/:id/retry", s.retryNotification)
	v1.GET("/mail/status", s.getMailStatus)
	return r
}
