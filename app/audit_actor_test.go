package app_test

import (
	"fmt"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"cascade/store/storetest"
)

// The audit log names the officer who submitted a report and the leader who
// returned it, not the system, although the workflow's activity writes both
// rows; each row carries the request that made it.
func TestAudit_SubmitAndReturnAreRecordedUnderThePersonWhoActed(t *testing.T) {
	p := newProvince(t)
	district := p.district(t, "AU", "Hội LHPN huyện Diên Khánh")
	leaderID, leaderToken := storetest.SignedIn(t, p.db, p.root.ID, "leader")
	officerID, officerToken := storetest.SignedIn(t, p.db, district.ID, "officer")
	email := func(id int64) string {
		var e string
		require.NoError(t, p.db.QueryRow(`SELECT email FROM users WHERE id = $1`, id).Scan(&e))
		return e
	}

	plan := p.issuedPlanWith(t, "7", "Kế hoạch nhật ký", []int64{district.ID})
	_, reportID := p.reportTask(t, district.ID)
	reportPath := fmt.Sprintf("/api/v1/reports/%d", reportID)

	officer, leader := p.srv.As(officerToken), p.srv.As(leaderToken)
	require.Equal(t, http.StatusOK, officer.Call(t, "POST", reportPath+"/submit", map[string]any{
		"values": []map[string]any{{"target_id": plan.Targets[0], "value": 64}}}, nil))
	require.Equal(t, http.StatusOK, leader.Call(t, "POST", reportPath+"/return", map[string]any{
		"comment": "Bổ sung số liệu theo xã", "due_on": time.Now().AddDate(0, 0, 20).Format(time.DateOnly)}, nil))

	var log struct {
		Entries []struct {
			ActorID   *int64 `json:"actor_id"`
			Actor     string `json:"actor"`
			Action    string `json:"action"`
			RequestID string `json:"request_id"`
		} `json:"entries"`
	}
	require.Equal(t, http.StatusOK, p.admin.Call(t, "GET", "/api/v1/audit?entity=report&entity_id="+strconv.FormatInt(reportID, 10), nil, &log))
	by := map[string]string{}
	for _, e := range log.Entries {
		by[e.Action] = e.Actor
		if e.Action == "submit" || e.Action == "return" {
			require.NotEmpty(t, e.RequestID, "%s carries its request", e.Action)
		}
	}
	require.Equal(t, email(officerID), by["submit"], "the officer submitted")
	require.Equal(t, email(leaderID), by["return"], "the leader returned")
}
