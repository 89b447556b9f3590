package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/jmoiron/sqlx"

	"cascade/store"
)

// targetRatioGin is (c)'s target for an authenticated request against a
// bare Gin+sqlx endpoint running the same query: p50 <= 1.5x.
const targetRatioGin = 1.5

// bareGin is the peer of (c)'s API figures: a Gin router in the bench
// process, no sign-in, no middleware, that runs the bare SELECT with sqlx
// and answers JSON, so that HTTP and encoding cost the same on both sides
// and the ratio is what Cascade adds (sign-in, scope, logging, metrics).
type bareGin struct {
	URL string
	srv *http.Server
}

func startBareGin(db *sql.DB) (*bareGin, error) {
	gin.SetMode(gin.ReleaseMode)
	x := sqlx.NewDb(db, "postgres")
	r := gin.New()
	r.GET("/units", func(c *gin.Context) {
		var us []store.Unit
		if err := x.SelectContext(c, &us, orgBareList, c.Query("path")); err != nil {
			c.JSON(http.StatusInternalServerError, gin.H{"error": err.Error()})
			return
		}
		c.JSON(http.StatusOK, gin.H{"units": us})
	})
	r.GET("/units/:id", func(c *gin.Context) {
		id, _ := strconv.ParseInt(c.Param("id"), 10, 64)
		user, _ := strconv.ParseInt(c.Query("user"), 10, 64)
		var u store.Unit
		err := x.GetContext(c, &u, orgBareCheck, id, user)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			c.JSON(http.StatusNotFound, gin.H{"error": "not found"})
		case err != nil:
			c.JSON(http.StatusInternalServerError, gin.H{"error": err.Error()})
		default:
			c.JSON(http.StatusOK, u)
		}
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	b := &bareGin{URL: "http://" + ln.Addr().String(), srv: &http.Server{Handler: r, ReadHeaderTimeout: 10 * time.Second}}
	go func() { _ = b.srv.Serve(ln) }()
	return b, nil
}

func (b *bareGin) stop() { _ = b.srv.Shutdown(context.Background()) }

// ginGet is one request to the bare Gin endpoint.
func (m *orgMeter) ginGet(path string, want int) func() error {
	return func() error {
		req, err := http.NewRequestWithContext(m.ctx, "GET", m.gin.URL+path, nil)
		if err != nil {
			return err
		}
		resp, err := m.client.Do(req)
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		var buf [4096]byte
		for {
			if _, err := resp.Body.Read(buf[:]); err != nil {
				break
			}
		}
		if resp.StatusCode != want {
			return fmt.Errorf("bare gin GET %s: status %d, want %d", path, resp.StatusCode, want)
		}
		return nil
	}
}

// ginRow prints an API figure against the bare Gin+sqlx endpoint's.
func (m *orgMeter) ginRow(api, bare pcts) {
	ratio := float64(api.p50) / float64(bare.p50)
	verdict := "MET"
	if ratio > targetRatioGin {
		verdict = "NOT MET"
	}
	m.h.Row("c", "  against a bare Gin+sqlx endpoint (same SELECT, no sign-in): p50 %s p99 %s | API/Gin p50 %.2fx p99 %.2fx (target p50 <= %.1fx: %s)",
		ms(bare.p50), ms(bare.p99), ratio, float64(api.p99)/float64(bare.p99), targetRatioGin, verdict)
}
