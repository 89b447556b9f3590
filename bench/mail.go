package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"time"

	gomail "github.com/wneessen/go-mail"

	"cascade/mail"
	"cascade/mail/mailtest"
)

// The email bench (issue 15): a leader's reminder to -emails units (10,000)
// through an SMTP server that takes 50 ms to acknowledge each message (a
// mailtest proxy in front of mailpit), until every email arrived, against a
// bare sender in the same run: go-mail over the same number of connections
// (SMTP_CONCURRENCY, each dialed once) sending the same number of messages
// straight to the same proxy, no outbox. Target: reminder ≥ 0.7× bare; every
// message once (one outbox row each, sent, and as many distinct
// Message-IDs in mailpit as units).
func init() {
	register(Bench{Name: "m", Order: 60, Title: "a leader's reminder to -emails units through an SMTP server taking 50 ms per message, against bare go-mail sends over the same connections", Run: benchMail})
}

// slowAck is how long the bench's SMTP server holds each acknowledgement.
const slowAck = 50 * time.Millisecond

// mailpit is a mailpit the bench started.
type mailpit struct {
	SMTPURL, APIURL string
}

func (h *Harness) startMailpit(ctx context.Context) (*mailpit, error) {
	bin, err := mailtest.Binary()
	if err != nil {
		return nil, err
	}
	smtpPort, err := freePort()
	if err != nil {
		return nil, err
	}
	httpPort, err := freePort()
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(bin, "--quiet", "--smtp", "127.0.0.1:"+strconv.Itoa(smtpPort), "--listen", "127.0.0.1:"+strconv.Itoa(httpPort),
		"--smtp-auth-accept-any", "--smtp-auth-allow-insecure", "--max", "100000",
		"--database", filepath.Join(h.Tmp, "mailpit-"+strconv.Itoa(smtpPort)+".db"))
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	h.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	m := &mailpit{SMTPURL: fmt.Sprintf("smtp://127.0.0.1:%d?tls=none", smtpPort), APIURL: fmt.Sprintf("http://127.0.0.1:%d", httpPort)}
	deadline := time.Now().Add(15 * time.Second)
	for {
		if _, err := m.total(ctx); err == nil {
			return m, nil
		}
		if time.Now().After(deadline) {
			return nil, fmt.Errorf("mailpit did not start")
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// total is how many messages mailpit holds.
func (m *mailpit) total(ctx context.Context) (int, error) {
	req, _ := http.NewRequestWithContext(ctx, "GET", m.APIURL+"/api/v1/messages?limit=1", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	var page struct {
		Total int `json:"total"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&page); err != nil {
		return 0, err
	}
	return page.Total, nil
}

// waitTotal polls until mailpit holds n messages.
func (m *mailpit) waitTotal(ctx context.Context, n int, limit time.Duration, alive func() bool) error {
	deadline := time.Now().Add(limit)
	for {
		got, err := m.total(ctx)
		if err != nil {
			return err
		}
		if got >= n {
			return nil
		}
		if alive != nil && !alive() {
			return fmt.Errorf("cascade serve exited with %d of %d emails in mailpit", got, n)
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%d of %d emails in mailpit after %s", got, n, limit)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// messageIDs lists the Message-IDs mailpit holds, one per message.
func (m *mailpit) messageIDs(ctx context.Context) ([]string, error) {
	var ids []string
	for start := 0; ; start += 1000 {
		req, _ := http.NewRequestWithContext(ctx, "GET", fmt.Sprintf("%s/api/v1/messages?start=%d&limit=1000", m.APIURL, start), nil)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return nil, err
		}
		var page struct {
			Total    int `json:"total"`
			Messages []struct {
				MessageID string `json:"MessageID"`
			} `json:"messages"`
		}
		err = json.NewDecoder(resp.Body).Decode(&page)
		resp.Body.Close()
		if err != nil {
			return nil, err
		}
		for _, msg := range page.Messages {
			ids = append(ids, msg.MessageID)
		}
		if len(page.Messages) == 0 || len(ids) >= page.Total {
			return ids, nil
		}
	}
}

// bareSends sends n messages like a reminder's with go-mail straight to
// smtpURL over conns connections, each dialed once and used for message
// after message: the floor a sender over that many connections can reach.
func bareSends(ctx context.Context, smtpURL string, n, conns int) (time.Duration, error) {
	opts, host, err := mail.ClientOptions(smtpURL)
	if err != nil {
		return 0, err
	}
	subject, text, html, err := mail.Render("reminder", map[string]any{"UnitName": "Hội LHPN xã đo hiệu năng", "Title": "Báo cáo năm",
		"PlanLabel": "Kế hoạch 2/KH-BENCH", "Due": "31/12/2026", "DaysLeft": 30, "Link": "http://cascade.bench.example/reports/1"})
	if err != nil {
		return 0, err
	}
	began := time.Now()
	var wg sync.WaitGroup
	errs := make(chan error, conns)
	next := make(chan int)
	for w := 0; w < conns; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, err := gomail.NewClient(host, opts...)
			if err == nil {
				err = c.DialWithContext(ctx)
			}
			if err != nil {
				errs <- err
				for range next {
				}
				return
			}
			defer c.Close()
			for i := range next {
				em, err := mail.Build("Cascade <cascade@bench.example>", mail.Message{ID: fmt.Sprintf("bare-%d@bench.example", i),
					To: fmt.Sprintf("bare%d@bench.example", i), Subject: subject, Text: text, HTML: html})
				if err == nil {
					err = c.Send(em)
				}
				if err != nil {
					errs <- err
					for range next {
					}
					return
				}
			}
		}()
	}
	for i := 0; i < n; i++ {
		next <- i
	}
	close(next)
	wg.Wait()
	select {
	case err := <-errs:
		return 0, err
	default:
	}
	return time.Since(began), nil
}

func benchMail(ctx context.Context, h *Harness) error {
	n := h.Opts.Emails
	conns := mail.DefaultConcurrency
	mp, err := h.startMailpit(ctx)
	if err != nil {
		return err
	}
	proxy, err := mailtest.StartProxy(mp.SMTPURL, slowAck)
	if err != nil {
		return err
	}
	h.Cleanup(proxy.Close)

	bare, err := bareSends(ctx, proxy.SMTPURL, n, conns)
	if err != nil {
		return fmt.Errorf("bare sends: %w", err)
	}
	baseRate := rate(n, bare)
	h.Row("m", "email (m) bare go-mail, %d connections dialed once, through a server taking %s per message: %d in %s = %.1f/s (floor %.0f/s)",
		conns, slowAck, n, secs(bare), baseRate, float64(conns)/slowAck.Seconds())

	db, err := h.NewDatabase(ctx)
	if err != nil {
		return err
	}
	srv, err := h.StartServe(ctx, db, "SMTP_URL="+proxy.SMTPURL, fmt.Sprintf("SMTP_CONCURRENCY=%d", conns),
		"PUBLIC_URL=http://cascade.bench.example")
	if err != nil {
		return err
	}
	admin, err := NewProvince(ctx, db, "admin")
	if err != nil {
		return err
	}
	srv.Token = admin.Token
	unitIDs, err := insertDistricts(ctx, db, admin.Unit, n)
	if err != nil {
		return err
	}
	// Due in 20 days: the cycle opens at once (30 days before), no step of the
	// ladder is due (the first is 7 days before): the reminder is the only mail.
	due := time.Now().AddDate(0, 0, 20)
	var plan struct {
		ID int64 `json:"id"`
	}
	if err := srv.Call(ctx, "POST", "/api/v1/plans", map[string]any{
		"code": "2/KH-BENCH", "title": "Kế hoạch đo thư", "term_start_year": due.Year(), "term_end_year": due.Year() + 1,
		"issuer_unit_id": admin.Unit.ID, "unit_ids": unitIDs,
		"cycles": []map[string]any{{"kind": "annual", "year": due.Year(), "due_on": due.Format(time.DateOnly)}},
	}, &plan, http.StatusCreated); err != nil {
		return err
	}
	if err := srv.Call(ctx, "POST", fmt.Sprintf("/api/v1/plans/%d/issue", plan.ID), nil, nil, http.StatusOK); err != nil {
		return err
	}
	opened := time.Now()
	for {
		var open int
		if err := db.DB.QueryRowContext(ctx, `SELECT count(*) FROM reports r JOIN report_cycles c ON c.id = r.cycle_id WHERE c.plan_id = $1`,
			plan.ID).Scan(&open); err != nil {
			return err
		}
		if open >= n {
			break
		}
		if time.Since(opened) > 20*time.Minute || !srv.Alive() {
			return fmt.Errorf("%d of %d reports open; log:\n%s", open, n, tail(srv.Log(), 20))
		}
		time.Sleep(250 * time.Millisecond)
	}
	h.progress("m: %d reports open in %s", n, secs(time.Since(opened)))
	before, err := mp.total(ctx)
	if err != nil {
		return err
	}

	cpu := startCPU(srv.PID())
	began := time.Now()
	if err := srv.Call(ctx, "POST", fmt.Sprintf("/api/v1/plans/%d/remind", plan.ID), map[string]any{}, nil, http.StatusAccepted); err != nil {
		return err
	}
	if err := mp.waitTotal(ctx, before+n, 30*time.Minute, srv.Alive); err != nil {
		return fmt.Errorf("reminder: %w; log:\n%s", err, tail(srv.Log(), 20))
	}
	remind := time.Since(began)
	r := rate(n, remind)
	h.Results["m.remind.rate"] = r
	h.Results["m.remind.ratio"] = r / baseRate
	cpuRow := cpu.String()

	// Every message once: nothing more arrives, one row each, all sent,
	// as many distinct Message-IDs as messages.
	time.Sleep(2 * time.Second)
	ids, err := mp.messageIDs(ctx)
	if err != nil {
		return err
	}
	distinct := map[string]bool{}
	for _, id := range ids {
		distinct[id] = true
	}
	var rows, sent int
	if err := db.DB.QueryRowContext(ctx, `SELECT count(*), count(*) FILTER (WHERE status = 'sent') FROM notifications
WHERE plan_id = $1 AND idempotency_key LIKE $2`, plan.ID, fmt.Sprintf("plan/%d/reminder/%%", plan.ID)).Scan(&rows, &sent); err != nil {
		return err
	}
	once := len(ids) == before+n && len(distinct) == len(ids) && rows == n && sent == n
	h.Row("m", "email (m) a leader's reminder to %d units (outbox rows, then batches over %d connections): %s = %.1f/s; reminder/bare = %.2f (target ≥ 0.70: %s); every message once: %s (%d in mailpit, %d distinct Message-IDs, %d rows, %d sent); %s",
		n, conns, secs(remind), r, r/baseRate, met(r/baseRate >= 0.7), met(once), len(ids)-before, len(distinct)-before, rows, sent, cpuRow)
	if errs := countErrors(srv.Log()); errs != "" {
		h.Row("m", "  cascade serve logged: %s", errs)
	}
	return nil
}
