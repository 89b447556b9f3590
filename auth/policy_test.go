package auth_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"cascade/auth"
)

// The tree of the matrix test: province 1 with districts 2 (the member's own
// unit) and 4 (its sibling); commune 3 lies under district 2.
const (
	provincePath = "/1/"
	ownPath      = "/1/2/"
	childPath    = "/1/2/3/"
	siblingPath  = "/1/4/"
)

// permitted is the expected role × action matrix, written out here rather
// than read from the package so that a change to the policy shows up as a
// change to this table.
var permitted = map[auth.Role][]auth.Action{
	auth.RoleAdmin: {
		auth.ActionView, auth.ActionEdit, auth.ActionApprove, auth.ActionManageUsers,
		auth.ActionManageTree, auth.ActionViewAudit, auth.ActionAssignTask, auth.ActionSubmitReport,
	},
	auth.RoleLeader: {
		auth.ActionView, auth.ActionEdit, auth.ActionApprove,
		auth.ActionViewAudit, auth.ActionAssignTask, auth.ActionSubmitReport,
	},
	auth.RoleOfficer: {auth.ActionView, auth.ActionEdit, auth.ActionSubmitReport},
	auth.RoleViewer:  {auth.ActionView},
}

func TestPrincipalCan_Matrix(t *testing.T) {
	t.Parallel()
	require.ElementsMatch(t, auth.Roles(), []auth.Role{auth.RoleAdmin, auth.RoleLeader, auth.RoleOfficer, auth.RoleViewer})
	require.Len(t, auth.Actions(), 8)

	targets := []struct {
		name    string
		path    string
		inScope bool
	}{
		{"own unit", ownPath, true},
		{"child unit", childPath, true},
		{"sibling unit", siblingPath, false},
		{"parent unit", provincePath, false},
	}
	for _, role := range auth.Roles() {
		p := auth.Principal{UserID: 7, Memberships: []auth.Membership{{UnitID: 2, UnitPath: ownPath, Role: role}}}
		for _, action := range auth.Actions() {
			for _, target := range targets {
				want := auth.NotFound
				if target.inScope {
					want = auth.Forbidden
					for _, a := range permitted[role] {
						if a == action {
							want = auth.Allow
						}
					}
				}
				require.Equal(t, want, p.Can(action, target.path), "%s %s on %s", role, action, target.name)
			}
		}
	}
}

func TestPrincipalCan_AnyCoveringMembershipMayAllow(t *testing.T) {
	t.Parallel()
	p := auth.Principal{UserID: 7, Memberships: []auth.Membership{
		{UnitID: 1, UnitPath: provincePath, Role: auth.RoleViewer},
		{UnitID: 2, UnitPath: ownPath, Role: auth.RoleOfficer},
	}}
	require.Equal(t, auth.Allow, p.Can(auth.ActionEdit, childPath))
	require.Equal(t, auth.Forbidden, p.Can(auth.ActionEdit, siblingPath), "the province viewer membership sees the sibling")
	require.Equal(t, auth.Allow, p.Can(auth.ActionView, siblingPath))
	require.Equal(t, auth.NotFound, p.Can(auth.ActionView, "/9/"), "another tree")
}

func TestPrincipalCan_DeniesOnBadInput(t *testing.T) {
	t.Parallel()
	admin := auth.Principal{UserID: 1, Memberships: []auth.Membership{{UnitID: 5, UnitPath: "/1/5/", Role: auth.RoleAdmin}}}
	require.Equal(t, auth.NotFound, admin.Can(auth.ActionView, "/1/50/"), "a path sharing digits is not a child")
	require.Equal(t, auth.NotFound, admin.Can(auth.ActionView, ""))
	require.Equal(t, auth.NotFound, admin.Can(auth.ActionView, "/1/5"))
	require.Equal(t, auth.Forbidden, admin.Can("delete_everything", "/1/5/"), "unknown action")

	broken := auth.Principal{UserID: 1, Memberships: []auth.Membership{{UnitID: 1, UnitPath: "", Role: auth.RoleAdmin}}}
	require.Equal(t, auth.NotFound, broken.Can(auth.ActionView, "/1/"), "an empty scope covers nothing")

	unknownRole := auth.Principal{UserID: 1, Memberships: []auth.Membership{{UnitID: 1, UnitPath: "/1/", Role: "owner"}}}
	require.Equal(t, auth.Forbidden, unknownRole.Can(auth.ActionView, "/1/"))

	require.Equal(t, auth.NotFound, auth.Principal{}.Can(auth.ActionView, "/1/"))
	var zero auth.Decision
	require.Equal(t, auth.NotFound, zero, "the zero decision denies")
}

func TestRoles_HaveVietnameseLabels(t *testing.T) {
	t.Parallel()
	for _, r := range auth.Roles() {
		require.True(t, r.Valid())
		require.NotEmpty(t, r.Label())
	}
	require.False(t, auth.Role("owner").Valid())
}
