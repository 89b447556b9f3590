// Package temporalui serves the Temporal Web UI (the ui-server module the
// official temporal CLI embeds in its dev server) beside Cascade's embedded
// Temporal server, so that an operator sees every workflow, its history and
// its pending timers in a browser.
//
// ui-server's own Server.Start exits the process when its address is taken;
// this package builds the same routes on an echo instance and serves it on a
// listener it opened itself, so a busy port is an error Cascade reports.
package temporalui

import (
	"context"
	"fmt"
	"io/fs"
	"net"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
	uiapi "github.com/temporalio/ui-server/v2/server/api"
	uiauth "github.com/temporalio/ui-server/v2/server/auth"
	uiconfig "github.com/temporalio/ui-server/v2/server/config"
	uicors "github.com/temporalio/ui-server/v2/server/cors"
	uicsrf "github.com/temporalio/ui-server/v2/server/csrf"
	uiheaders "github.com/temporalio/ui-server/v2/server/headers"
	uiroute "github.com/temporalio/ui-server/v2/server/route"
	"github.com/temporalio/ui-server/v2/ui"
)

// Server is a running Web UI.
type Server struct {
	srv  *http.Server
	addr string
}

// Addr is the address the UI listens on (host:port).
func (s *Server) Addr() string { return s.addr }

// Stop closes the UI's listener and its open connections.
func (s *Server) Stop(ctx context.Context) error { return s.srv.Shutdown(ctx) }

// Start serves the UI on addr (host:port; port 0 picks one), talking to the
// Temporal frontend at temporalHostPort and opening on namespace.
func Start(addr, temporalHostPort, namespace string) (*Server, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("TEMPORAL_UI_ADDR=%q: %w", addr, err)
	}
	host, portStr, _ := net.SplitHostPort(ln.Addr().String())
	port, _ := strconv.Atoi(portStr)
	cfg := &uiconfig.Config{
		Host:                host,
		Port:                port,
		TemporalGRPCAddress: temporalHostPort,
		EnableUI:            true,
		DefaultNamespace:    namespace,
		// Served over plain HTTP on loopback, as the CLI's dev server does.
		CORS:     uiconfig.CORS{CookieInsecure: true},
		HideLogs: true,
	}
	h, err := handler(cfg)
	if err != nil {
		ln.Close()
		return nil, err
	}
	s := &Server{srv: &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}, addr: ln.Addr().String()}
	go func() { _ = s.srv.Serve(ln) }() // ends with ErrServerClosed at Stop
	return s, nil
}

// handler is ui-server's server.NewServer without its Start: the same
// middleware and routes, as an http.Handler.
func handler(cfg *uiconfig.Config) (http.Handler, error) {
	provider, err := uiconfig.NewConfigProviderWithRefresh(cfg)
	if err != nil {
		return nil, err
	}
	apiMiddleware := []uiapi.Middleware{
		uiheaders.WithForwardHeaders([]string{uiauth.AuthorizationExtrasHeader, "Caller-Type"}),
	}
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.Use(middleware.Recover())
	e.Use(middleware.Gzip())
	e.Use(uicors.CORSMiddleware(uicors.CORSConfig{
		AllowHeaders: []string{
			echo.HeaderOrigin, echo.HeaderContentType, echo.HeaderAccept,
			echo.HeaderXCSRFToken, echo.HeaderAuthorization, uiauth.AuthorizationExtrasHeader,
			"Caller-Type",
		},
		AllowCredentials: true,
		ConfigProvider:   provider,
	}))
	e.Use(middleware.Secure())
	e.Use(middleware.CSRFWithConfig(middleware.CSRFConfig{
		CookiePath:     "/",
		CookieHTTPOnly: false,
		CookieSameSite: http.SameSiteStrictMode,
		CookieSecure:   !cfg.CORS.CookieInsecure,
		Skipper:        uicsrf.SkipOnAuthorizationHeader,
	}))
	e.Pre(uiroute.PublicPath(cfg.PublicPath))
	uiroute.SetHealthRoute(e)
	if err := uiroute.SetAPIRoutes(e, provider, apiMiddleware); err != nil {
		return nil, fmt.Errorf("temporal ui: %w", err)
	}
	uiroute.SetAuthRoutes(e, provider)
	assets, err := ui.Assets()
	if err != nil {
		return nil, err
	}
	if assets, err = fs.Sub(assets, "local"); err != nil {
		return nil, err
	}
	if err := uiroute.SetUIRoutes(e, cfg.PublicPath, assets); err != nil {
		return nil, fmt.Errorf("temporal ui: %w", err)
	}
	uiroute.SetRenderRoute(e, cfg.PublicPath)
	return e, nil
}
