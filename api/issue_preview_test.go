package api_test

import (
	"encoding/json"
	"net/http"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"

	"cascade/store"
	"cascade/store/storetest"
)

// The issue confirmation tells the leader who will be emailed: one email
// per task a unit leads, to the unit's address, and a unit without an
// address is named so its emails are known to be held.
func TestIssuePreview_CountsTheEmailsEachUnitGets(t *testing.T) {
	srv, db, root, _ := newServerWithAdmin(t)
	_, p, _ := importDoc(t, srv.URL, root.ID, "plan-321-KH-BTV.txt", readFixture(t, "plan-321-KH-BTV.txt"))
	path := "/api/v1/plans/" + strconv.FormatInt(p.ID, 10)
	s := store.New(db)
	mk := func(code, name, email string) int64 {
		u, err := s.CreateUnit(t.Context(), store.Unit{ParentID: &root.ID, Kind: "district", Code: code + "-" + storetest.Unique(), Name: name, Email: email})
		require.NoError(t, err)
		return u.ID
	}
	nt := mk("NT", "Hội LHPN thành phố Nha Trang", "nhatrang@example.org")
	cr := mk("CR", "Hội LHPN thành phố Cam Ranh", "")
	p.UnitIDs = []int64{nt, cr}
	tasks := 0
	for g := range p.TaskGroups {
		for i := range p.TaskGroups[g].Tasks {
			// Cam Ranh leads the first task and supports the second (a
			// supporter gets no task of its own); Nha Trang leads the rest.
			lead := nt
			if tasks == 0 {
				lead = cr
			}
			p.TaskGroups[g].Tasks[i].LeadUnitIDs = []int64{lead}
			if tasks == 1 {
				p.TaskGroups[g].Tasks[i].SupportUnitIDs = []int64{cr}
			}
			tasks++
		}
	}
	require.Greater(t, tasks, 2)
	body, _ := json.Marshal(p)
	status, _, raw := do(t, "PUT", srv.URL+path, string(body))
	require.Equal(t, http.StatusOK, status, "%s", raw)

	status, _, raw = do(t, "GET", srv.URL+path+"/issue-preview", "")
	require.Equal(t, http.StatusOK, status, "%s", raw)
	var got struct {
		Emails int `json:"emails"`
		Units  []struct {
			UnitID int64  `json:"unit_id"`
			Name   string `json:"name"`
			Email  string `json:"email"`
			Emails int    `json:"emails"`
		} `json:"units"`
	}
	require.NoError(t, json.Unmarshal(raw, &got))
	byUnit := map[int64]int{}
	for _, u := range got.Units {
		byUnit[u.UnitID] = u.Emails
		if u.UnitID == cr {
			require.Equal(t, "", u.Email, "Cam Ranh has no address: its email is held")
			require.Equal(t, "Hội LHPN thành phố Cam Ranh", u.Name)
		}
		if u.UnitID == nt {
			require.Equal(t, "nhatrang@example.org", u.Email)
		}
	}
	// Both districts carry the same duties of the plan's responsibilities
	// (build their own plan, disseminate…): each is one task, one email
	// more for each; the tasks led make the difference.
	duties := byUnit[cr] - 1
	require.GreaterOrEqual(t, duties, 0)
	require.Equal(t, tasks-1+duties, byUnit[nt], "one email for each task Nha Trang leads, plus its duties")
	require.Len(t, got.Units, 2, "supporting the second task gives Cam Ranh no task of its own")
	require.Equal(t, byUnit[nt]+byUnit[cr], got.Emails, "the total is the units' sum")
}
