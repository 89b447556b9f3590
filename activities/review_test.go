package activities_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"cascade/activities"
	"cascade/dashboard"
	"cascade/store"
	"cascade/store/storetest"
)

func TestCompileReview_RetriedStoresOneDossierAndMailsTheLeadersOnce(t *testing.T) {
	db := storetest.Open(t)
	f := newFixture(t, db)
	ctx := context.Background()
	_, err := db.ExecContext(ctx, `UPDATE plans SET issuer_unit_id = $1 WHERE id = $2`, f.province.ID, f.planID)
	require.NoError(t, err)
	leaderID, _ := storetest.SignedIn(t, db, f.province.ID, "leader")
	leader, err := store.New(db).User(ctx, leaderID)
	require.NoError(t, err)
	mp, mailer := startMailpit(t)
	a := &activities.Activities{DB: db, Mailer: mailer, PublicURL: "https://cascade.example.org", Now: func() time.Time { return f.due.AddDate(0, 0, 5) }}
	f.open(t, a) // the district has not reported: it is late

	first, err := a.CompileReview(ctx, activities.CompileReviewInput{PlanID: f.planID, CycleID: f.cycleID})
	require.NoError(t, err)
	again, err := a.CompileReview(ctx, activities.CompileReviewInput{PlanID: f.planID, CycleID: f.cycleID})
	require.NoError(t, err)
	require.Equal(t, first.ReviewID, again.ReviewID)
	require.Equal(t, 1, count(t, db, `SELECT count(*) FROM reviews WHERE plan_id = $1`, f.planID))

	rv, err := store.New(db).ReviewByID(ctx, first.ReviewID)
	require.NoError(t, err)
	var d dashboard.Dossier
	require.NoError(t, json.Unmarshal(rv.Dossier, &d))
	require.Equal(t, 1, d.Completeness.Expected)
	require.Equal(t, 0, d.Completeness.Received)
	require.Len(t, d.Late, 1)
	require.Equal(t, f.district.Name, d.Late[0].Unit.Name)
	require.Equal(t, 5, d.Late[0].DaysLate)

	msgs := mp.WaitFor(t, leader.Email, 1, 10*time.Second)
	time.Sleep(300 * time.Millisecond)
	require.Len(t, mp.To(t, leader.Email), 1, "compiled twice, mailed once")
	require.Contains(t, msgs[0].Subject, "đã được tổng hợp")
	text := mp.Text(t, msgs[0].ID)
	require.Contains(t, text, "Đã nhận 0/1 báo cáo")
	require.Contains(t, text, "https://cascade.example.org/reviews/")
}

// TestCompileReview_AStandingCommitteesPlanIsReviewedOverTheProvince is
// the demo's plan 321/KH-BTV: issued by the standing committee, a leaf
// beside the district. The dossier rolls up over the province, the
// smallest subtree holding the district (its 1200 households, 1 of 1
// report received), and the review reaches the province's leader and the
// committee's own member, each once, not the committee's address.
func TestCompileReview_AStandingCommitteesPlanIsReviewedOverTheProvince(t *testing.T) {
	db := storetest.Open(t)
	f := newFixture(t, db)
	ctx := context.Background()
	_, err := db.ExecContext(ctx, `UPDATE plans SET issuer_unit_id = $1 WHERE id = $2`, f.committee.ID, f.planID)
	require.NoError(t, err)
	st := store.New(db)
	provinceLeaderID, _ := storetest.SignedIn(t, db, f.province.ID, "leader")
	provinceLeader, err := st.User(ctx, provinceLeaderID)
	require.NoError(t, err)
	memberID, _ := storetest.SignedIn(t, db, f.committee.ID, "leader")
	member, err := st.User(ctx, memberID)
	require.NoError(t, err)
	mp, mailer := startMailpit(t)
	a := &activities.Activities{DB: db, Mailer: mailer, PublicURL: "https://cascade.example.org", Now: func() time.Time { return f.due.AddDate(0, 0, 1) }}
	r := f.open(t, a)
	v := 1200.0
	_, err = a.RecordSubmission(ctx, activities.RecordSubmissionInput{PlanID: f.planID, ReportID: r.ReportID, UnitID: f.district.ID,
		Values: []activities.TargetValue{{TargetID: f.targetID, Value: &v}}})
	require.NoError(t, err)

	first, err := a.CompileReview(ctx, activities.CompileReviewInput{PlanID: f.planID, CycleID: f.cycleID})
	require.NoError(t, err)
	_, err = a.CompileReview(ctx, activities.CompileReviewInput{PlanID: f.planID, CycleID: f.cycleID})
	require.NoError(t, err)
	rv, err := st.ReviewByID(ctx, first.ReviewID)
	require.NoError(t, err)
	var d dashboard.Dossier
	require.NoError(t, json.Unmarshal(rv.Dossier, &d))
	require.Equal(t, f.province.ID, d.Unit.ID, "rolled up over the province")
	require.Equal(t, f.committee.ID, d.Issuer.ID, "still issued by the committee")
	require.NotNil(t, d.Targets[0].Actual)
	require.Equal(t, 1200.0, *d.Targets[0].Actual)
	require.Equal(t, 1, d.Completeness.Expected)
	require.Equal(t, 1, d.Completeness.Received)
	require.Len(t, d.Units, 1)
	require.Equal(t, f.district.ID, d.Units[0].Unit.ID)

	msgs := mp.WaitFor(t, provinceLeader.Email, 1, 10*time.Second)
	mp.WaitFor(t, member.Email, 1, 10*time.Second)
	time.Sleep(300 * time.Millisecond)
	require.Len(t, mp.To(t, provinceLeader.Email), 1, "compiled twice, mailed once")
	require.Len(t, mp.To(t, member.Email), 1)
	require.Empty(t, mp.To(t, f.committee.Email))
	text := mp.Text(t, msgs[0].ID)
	require.Contains(t, text, "Kính gửi lãnh đạo Hội LHPN tỉnh,")
	require.Contains(t, text, "Đã nhận 1/1 báo cáo")
}
