package activities

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"cascade/calendar"
	"cascade/mail"
	"cascade/store"
)

// mailData is what the escalation templates read.
type mailData struct {
	UnitName  string
	Title     string
	PlanLabel string
	Due       string // dd/mm/yyyy
	DaysLeft  int
	DaysLate  int
	Link      string
	// Comment is the reviewer's, for a returned or accepted report.
	Comment string
}

// NotifyInput is one step of a unit's escalation ladder.
type NotifyInput struct {
	// Key is the step's idempotency key, e.g.
	// plan/42/unit/7/cycle/3/reminder/T-7; each recipient's email is keyed
	// by it and the recipient's address.
	Key      string
	PlanID   int64
	UnitID   int64
	ReportID int64
	Template string
	// Audiences are escalation.Audience values: unit, unit_leader,
	// supervising_board, standing_committee.
	Audiences []string
	DueOn     string
	// Comment is the reviewer's, for the returned and accepted templates.
	Comment string
}

// NotifyResult counts the emails of a step.
type NotifyResult struct {
	Queued int
	Sent   int
	// Failed counts the emails the SMTP server refused for good (their
	// outbox rows say why); they are not retried.
	Failed int `json:",omitempty"`
	// Skipped is true for a ladder step of a plan whose escalations are paused.
	Skipped bool
	// ReportIn is true for a ladder step of a report already submitted,
	// accepted or waived: nothing is sent.
	ReportIn bool `json:",omitempty"`
}

// Notify writes a step's emails to the outbox and sends those not yet sent.
func (a *Activities) Notify(ctx context.Context, in NotifyInput) (*NotifyResult, error) {
	s := a.store()
	unit, err := s.Unit(ctx, in.UnitID)
	if err != nil {
		return nil, err
	}
	plan, err := s.Plan(ctx, in.PlanID)
	if err != nil {
		return nil, err
	}
	if plan.Status != "issued" {
		// A cancelled or closed plan chases no one.
		return &NotifyResult{}, nil
	}
	if strings.HasPrefix(in.Template, "reminder") || strings.HasPrefix(in.Template, "escalation") {
		paused, err := s.EscalationsPaused(ctx, in.PlanID)
		if err != nil {
			return nil, err
		}
		if paused {
			// The plan's leaders paused its ladder: nothing goes out. The
			// workflow holds its ladder on this step and tries it again
			// (see workflows.runLadder); before versionLadderRereads it
			// went on to the next step.
			return &NotifyResult{Skipped: true}, nil
		}
		if in.ReportID != 0 {
			// A step retried late, or due as the report came in: a report
			// already submitted (or closed) is not chased.
			r, err := s.ReportByID(ctx, in.ReportID)
			if err != nil {
				return nil, err
			}
			if r.Status != "pending" && r.Status != "returned" {
				return &NotifyResult{ReportIn: true}, nil
			}
		}
	}
	due, err := store.ParseDate(in.DueOn)
	if err != nil {
		return nil, err
	}
	title := "Báo cáo"
	if r, err := s.ReportCycleOfReport(ctx, in.ReportID); err == nil {
		title = cycleTitle(r.Kind, r.Year)
	}
	recipients, err := a.recipients(ctx, in.Audiences, unit)
	if err != nil {
		return nil, err
	}
	data := a.mailData(unit, plan, title, due, fmt.Sprintf("%s/reports/%d", a.PublicURL, in.ReportID))
	data.Comment = in.Comment
	return a.queueAndSend(ctx, in.Key, in.Template, &in.PlanID, &in.UnitID, recipients, data)
}

// recipients resolves a step's audiences to addresses. The supervising
// board is the one set on the unit (org_units.supervisor_unit_id): its
// address and its leaders'; a unit without one has its standing committee
// take that audience too.
func (a *Activities) recipients(ctx context.Context, audiences []string, unit store.Unit) ([]string, error) {
	s := a.store()
	var out []string
	for _, au := range audiences {
		switch au {
		case "unit":
			out = append(out, unit.Email)
		case "unit_leader":
			leaders, err := s.LeaderEmails(ctx, unit.ID)
			if err != nil {
				return nil, err
			}
			if len(leaders) == 0 {
				leaders = []string{unit.Email}
			}
			out = append(out, leaders...)
		case "supervising_board":
			board, err := a.supervisingBoard(ctx, unit)
			if err != nil {
				return nil, err
			}
			out = append(out, board...)
		case "standing_committee":
			committee, err := s.StandingCommitteeEmails(ctx, unit.Path)
			if err != nil {
				return nil, err
			}
			out = append(out, committee...)
		default:
			return nil, fmt.Errorf("unknown audience %q", au)
		}
	}
	return dedupe(out), nil
}

// supervisingBoard is the addresses of the board that follows unit: its own
// and its leaders'. Without a board set, the standing committee's.
func (a *Activities) supervisingBoard(ctx context.Context, unit store.Unit) ([]string, error) {
	s := a.store()
	if unit.SupervisorUnitID == nil {
		return s.StandingCommitteeEmails(ctx, unit.Path)
	}
	board, err := s.Unit(ctx, *unit.SupervisorUnitID)
	if err != nil {
		return nil, err
	}
	leaders, err := s.LeaderEmails(ctx, board.ID)
	if err != nil {
		return nil, err
	}
	var out []string
	if board.Email != "" {
		out = append(out, board.Email)
	}
	return append(out, leaders...), nil
}

func dedupe(in []string) []string {
	seen := map[string]bool{}
	out := in[:0]
	for _, e := range in {
		e = strings.TrimSpace(e)
		if e == "" || seen[strings.ToLower(e)] {
			continue
		}
		seen[strings.ToLower(e)] = true
		out = append(out, e)
	}
	return out
}

func (a *Activities) mailData(unit store.Unit, plan store.Plan, title string, due store.Date, link string) mailData {
	today := store.DateOf(a.now().In(calendar.Vietnam))
	left := int(due.Sub(today.Time).Hours() / 24)
	label := "Kế hoạch " + plan.Code
	if plan.Code == "" {
		label = "Kế hoạch “" + plan.Title + "”"
	}
	late := 0
	if left < 0 {
		late = -left
	}
	return mailData{
		UnitName: unit.Name, Title: title, PlanLabel: label,
		Due: due.Format("02/01/2006"), DaysLeft: left, DaysLate: late, Link: link,
	}
}

// queueAndSend writes one outbox row per recipient, keyed by key and the
// address, then sends each row not yet sent. A unit without an address gets
// a held row, so the outbox shows who could not be reached.
func (a *Activities) queueAndSend(ctx context.Context, key, template string, planID, unitID *int64, to []string, d any) (*NotifyResult, error) {
	subject, text, html, err := mail.Render(template, d)
	if err != nil {
		return nil, err
	}
	s := a.store()
	if len(to) == 0 {
		_, err := s.EnqueueNotification(ctx, store.Notification{
			IdempotencyKey: key + "/to/none", PlanID: planID, UnitID: unitID, Recipient: "",
			Template: template, Subject: subject, BodyText: text, BodyHTML: html,
		})
		if err == nil {
			err = s.HoldNotification(ctx, key+"/to/none", "Đơn vị chưa có địa chỉ email / the unit has no email address")
		}
		return &NotifyResult{}, err
	}
	res := &NotifyResult{}
	var sendErrs []error
	// Heartbeat while the emails wait their turn for one of the server's
	// connections (SMTP_CONCURRENCY, shared by every activity of the worker).
	stop := heartbeatEvery(ctx, 5*time.Second, nil)
	defer stop()
	for _, rcpt := range to {
		n, err := s.EnqueueNotification(ctx, store.Notification{
			IdempotencyKey: key + "/to/" + strings.ToLower(rcpt), PlanID: planID, UnitID: unitID, Recipient: rcpt,
			Template: template, Subject: subject, BodyText: text, BodyHTML: html,
		})
		if err != nil {
			return nil, err
		}
		res.Queued++
		if n.Status == "sent" {
			res.Sent++
			continue
		}
		if a.Mailer == nil {
			continue
		}
		switch out, err := a.send(ctx, n); out {
		case outSent, outDone:
			res.Sent++
		case outRefused:
			res.Failed++
		default:
			sendErrs = append(sendErrs, err)
		}
	}
	if len(sendErrs) > 0 {
		return res, errors.Join(sendErrs...)
	}
	return res, nil
}

// deliver sends one outbox row and records the outcome: nil once it is
// sent (or was), or refused for good (the row shows why).
func (a *Activities) deliver(ctx context.Context, id int64) error {
	n, err := a.store().NotificationByID(ctx, id)
	if err != nil {
		return err
	}
	if n.Status == "sent" || n.Status == "held" {
		return nil
	}
	stop := heartbeatEvery(ctx, 5*time.Second, nil)
	defer stop()
	out, err := a.send(ctx, n)
	if out == outSent || out == outDone || out == outRefused {
		return nil
	}
	return err
}

// messageID derives a stable Message-ID from an idempotency key.
func messageID(key, publicURL string) string {
	host := "cascade.local"
	if i := strings.Index(publicURL, "://"); i >= 0 {
		host = strings.Split(publicURL[i+3:], "/")[0]
		host = strings.Split(host, ":")[0]
	}
	r := strings.NewReplacer("/", ".", "@", ".", " ", "", "<", "", ">", "")
	return r.Replace(key) + "@" + host
}

// RemindPendingInput is a leader's reminder to a plan's pending units.
type RemindPendingInput struct {
	PlanID int64
	Key    string
}

// RemindResult counts the emails of a reminder.
type RemindResult struct {
	Notifications int
}

// RemindPending reminds every unit whose report in the plan is still
// pending: QueueReminders then DeliverBatch in one activity. PlanReminder
// runs them as two since versionReminderOutbox; this one is left for the
// reminders started before.
func (a *Activities) RemindPending(ctx context.Context, in RemindPendingInput) (*RemindResult, error) {
	q, err := a.QueueReminders(ctx, in)
	if err != nil {
		return nil, err
	}
	if _, err := a.DeliverBatch(ctx, DeliverBatchInput{Batch: q.Batch}); err != nil {
		return nil, err
	}
	return &RemindResult{Notifications: q.Queued}, nil
}

// QueuedBatch is the outbox rows an activity wrote for DeliverBatch.
type QueuedBatch struct {
	// Batch names the rows (notifications.batch).
	Batch string
	// Queued counts those with a recipient.
	Queued int
}

// ReminderBatch names the outbox rows of a leader's reminder.
func ReminderBatch(planID int64, key string) string {
	return fmt.Sprintf("plan/%d/reminder/%s", planID, key)
}

// QueueReminders writes a leader's reminder to the outbox: one row per
// unit whose report in the plan is still pending, keyed by the reminder and
// the unit's cycle and address, so the rows are written once however often
// it runs. A unit without an address gets a held row. Nothing is sent:
// DeliverBatch does.
func (a *Activities) QueueReminders(ctx context.Context, in RemindPendingInput) (*QueuedBatch, error) {
	s := a.store()
	plan, err := s.Plan(ctx, in.PlanID)
	if err != nil {
		return nil, err
	}
	pending, err := s.PendingReminders(ctx, in.PlanID)
	if err != nil {
		return nil, err
	}
	batch := ReminderBatch(in.PlanID, in.Key)
	rows := make([]store.Notification, 0, len(pending))
	for _, r := range pending {
		unit := store.Unit{ID: r.UnitID, Name: r.UnitName, Email: r.UnitEmail}
		data := a.mailData(unit, plan, cycleTitle(r.Kind, r.Year), r.DueOn, fmt.Sprintf("%s/reports/%d", a.PublicURL, r.ReportID))
		subject, text, html, err := mail.Render("reminder", data)
		if err != nil {
			return nil, err
		}
		key := fmt.Sprintf("%s/unit/%d/cycle/%d", batch, r.UnitID, r.CycleID)
		rcpt := strings.TrimSpace(r.UnitEmail)
		if rcpt == "" {
			key += "/to/none"
		} else {
			key += "/to/" + strings.ToLower(rcpt)
		}
		rows = append(rows, store.Notification{IdempotencyKey: key, PlanID: &in.PlanID, UnitID: &unit.ID, Recipient: rcpt,
			Template: "reminder", Subject: subject, BodyText: text, BodyHTML: html})
	}
	queued, err := s.EnqueueNotifications(ctx, batch, rows, "Đơn vị chưa có địa chỉ email / the unit has no email address")
	if err != nil {
		return nil, err
	}
	return &QueuedBatch{Batch: batch, Queued: queued}, nil
}

// DeliverNotification sends one outbox row written by the API (a password
// reset link); without SMTP it stays queued in the outbox.
func (a *Activities) DeliverNotification(ctx context.Context, id int64) error {
	if a.Mailer == nil {
		return nil
	}
	return a.deliver(ctx, id)
}
