package activities

import (
	"context"
	"encoding/json"
	"fmt"

	"cascade/dashboard"
	"cascade/mail"
	"cascade/store"
)

// CompileReviewInput names the mid-term or final cycle to review.
type CompileReviewInput struct {
	PlanID  int64
	CycleID int64
}

// CompileReviewResult names the stored dossier.
type CompileReviewResult struct {
	ReviewID int64
}

// reviewMail is what the review_ready template reads.
type reviewMail struct {
	UnitName, Title, PlanLabel, Link string
	Expected, Received, OnTime       int
	LateCount                        int
}

// CompileReview rolls a plan's cycle up over the tree the review covers
// (dashboard.ReviewUnit: the issuer, or the unit above it that holds every
// unit of the plan), stores the dossier (one per plan and cycle: compiled
// again on a retry) and queues a review_ready email to the leaders of that
// unit and of the issuer (a standing committee's members), keyed by plan,
// cycle and recipient so that each goes out once.
func (a *Activities) CompileReview(ctx context.Context, in CompileReviewInput) (*CompileReviewResult, error) {
	s := a.store()
	rv, _, err := dashboard.Compile(ctx, s, in.PlanID, in.CycleID, a.now(), nil)
	if err != nil {
		return nil, fmt.Errorf("compile review: %w", err)
	}
	var d dashboard.Dossier
	if err := json.Unmarshal(rv.Dossier, &d); err != nil {
		return nil, fmt.Errorf("read dossier: %w", err)
	}
	plan, err := s.Plan(ctx, in.PlanID)
	if err != nil {
		return nil, err
	}
	root, issuer, err := dashboard.ReviewUnit(ctx, s, plan)
	if err != nil {
		return nil, err
	}
	to, err := a.recipients(ctx, []string{"unit_leader"}, root)
	if err != nil {
		return nil, err
	}
	if issuer.ID != root.ID {
		// The issuer's own leaders too, without falling back to its
		// address: a committee with no leader of its own is reached
		// through the unit above it.
		leaders, err := s.LeaderEmails(ctx, issuer.ID)
		if err != nil {
			return nil, err
		}
		to = dedupe(append(to, leaders...))
	}
	label := "Kế hoạch " + plan.Code
	if plan.Code == "" {
		label = "Kế hoạch “" + plan.Title + "”"
	}
	data := reviewMail{UnitName: root.Name, Title: reviewTitle(d.Cycle.Kind, d.Cycle.Year), PlanLabel: label,
		Link: fmt.Sprintf("%s/reviews/%d", a.PublicURL, rv.ID), Expected: d.Completeness.Expected,
		Received: d.Completeness.Received, OnTime: d.Completeness.OnTime, LateCount: len(d.Late)}
	if err := a.queueReviewMail(ctx, fmt.Sprintf("plan/%d/cycle/%d/review_ready", in.PlanID, in.CycleID), plan.ID, root.ID, to, data); err != nil {
		return nil, err
	}
	return &CompileReviewResult{ReviewID: rv.ID}, nil
}

func reviewTitle(kind string, year int) string {
	switch kind {
	case "midterm":
		return fmt.Sprintf("Sơ kết giữa nhiệm kỳ năm %d", year)
	case "final":
		return fmt.Sprintf("Tổng kết nhiệm kỳ năm %d", year)
	}
	return cycleTitle(kind, year)
}

// queueReviewMail writes one outbox row per leader and sends those not yet
// sent, like every other email (queueAndSend), with the review's data.
func (a *Activities) queueReviewMail(ctx context.Context, key string, planID, unitID int64, to []string, d reviewMail) error {
	subject, text, html, err := mail.Render("review_ready", d)
	if err != nil {
		return err
	}
	s := a.store()
	for _, rcpt := range to {
		n, err := s.EnqueueNotification(ctx, store.Notification{IdempotencyKey: key + "/to/" + rcpt, PlanID: &planID, UnitID: &unitID,
			Recipient: rcpt, Template: "review_ready", Subject: subject, BodyText: text, BodyHTML: html})
		if err != nil {
			return err
		}
		if n.Status == "sent" || a.Mailer == nil {
			continue
		}
		if err := a.deliver(ctx, n.ID); err != nil {
			return err
		}
	}
	return nil
}
