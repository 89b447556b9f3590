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

	"cascade/mail"
	"cascade/mail/mailtest"
)

// The email bench of the lifecycle issue: how many emails per second the
// sender sustains into a real SMTP server (mailpit), against our own mailer
// sending the same number straight from one loop in the same run.
//
//	(m) baseline: mail.Mailer.Send from 1 and from 8 goroutines, no outbox;
//	    the escalation ladder: a plan whose reports are due in 3 days, so
//	    opening each unit's report mails its reminder, until every email
//	    arrived (outbox row, claim, send, mark sent; dispatch included);
//	    a leader's reminder to every pending unit (one activity, in turn).
func init() {
	register(Bench{Name: "m", Order: 60, Title: "emails per second into mailpit: the ladder and a plan reminder, against bare SMTP sends", Run: benchMail})
}

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

// bareSends sends n messages with our mailer from workers goroutines.
func bareSends(ctx context.Context, m *mail.Mailer, n, workers int, tag string) (time.Duration, error) {
	began := time.Now()
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	next := make(chan int)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				err := m.Send(ctx, mail.Message{ID: fmt.Sprintf("%s-%d@bench.example", tag, i), To: fmt.Sprintf("bare%d@bench.example", i),
					Subject: "[Cascade] Nhắc nộp Báo cáo năm – đo hiệu năng", Text: "Kính gửi Hội LHPN huyện,\n\nđây là thư đo hiệu năng.",
					HTML: "<p>Kính gửi Hội LHPN huyện,</p><p>đây là thư đo hiệu năng.</p>"})
				if err != nil {
					errs <- err
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
	mp, err := h.startMailpit(ctx)
	if err != nil {
		return err
	}
	mailer, err := mail.New(mp.SMTPURL, "Cascade <cascade@bench.example>")
	if err != nil {
		return err
	}
	seq, err := bareSends(ctx, mailer, n, 1, "seq")
	if err != nil {
		return fmt.Errorf("bare sends: %w", err)
	}
	par, err := bareSends(ctx, mailer, n, 8, "par")
	if err != nil {
		return fmt.Errorf("bare sends: %w", err)
	}
	baseSeq, basePar := rate(n, seq), rate(n, par)
	h.Row("m", "email (m) baseline, mail.Mailer straight to mailpit: %d in %s = %.0f/s from 1 goroutine; %.0f/s from 8", n, secs(seq), baseSeq, basePar)

	db, err := h.NewDatabase(ctx)
	if err != nil {
		return err
	}
	srv, err := h.StartServe(ctx, db, "SMTP_URL="+mp.SMTPURL, "PUBLIC_URL=http://cascade.bench.example")
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
	before, err := mp.total(ctx)
	if err != nil {
		return err
	}
	due := time.Now().AddDate(0, 0, 3)
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
	cpu := startCPU(srv.PID())
	began := time.Now()
	if err := srv.Call(ctx, "POST", fmt.Sprintf("/api/v1/plans/%d/issue", plan.ID), nil, nil, http.StatusOK); err != nil {
		return err
	}
	if err := mp.waitTotal(ctx, before+n, 10*time.Minute, srv.Alive); err != nil {
		return fmt.Errorf("ladder: %w; log:\n%s", err, tail(srv.Log(), 20))
	}
	ladder := time.Since(began)
	r := rate(n, ladder)
	h.Results["m.ladder.rate"] = r
	h.Row("m", "email (m) ladder, one reminder per unit as %d reports open: %d in %s = %.0f/s; ladder/bare(8) = %.2f; %s", n, n, secs(ladder), r, r/basePar, cpu)

	cpu = startCPU(srv.PID())
	began = time.Now()
	if err := srv.Call(ctx, "POST", fmt.Sprintf("/api/v1/plans/%d/remind", plan.ID), map[string]any{}, nil, http.StatusAccepted); err != nil {
		return err
	}
	if err := mp.waitTotal(ctx, before+2*n, 10*time.Minute, srv.Alive); err != nil {
		return fmt.Errorf("reminder: %w; log:\n%s", err, tail(srv.Log(), 20))
	}
	remind := time.Since(began)
	r = rate(n, remind)
	h.Results["m.remind.rate"] = r
	h.Row("m", "email (m) a leader's reminder to %d pending units (one activity, in turn): %s = %.0f/s; reminder/bare(1) = %.2f; %s", n, secs(remind), r, r/baseSeq, cpu)
	if errs := countErrors(srv.Log()); errs != "" {
		h.Row("m", "  cascade serve logged: %s", errs)
	}
	return nil
}
