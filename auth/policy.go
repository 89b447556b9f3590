package auth

import (
	"slices"

	"cascade/org"
)

// Role is what a user may do in the subtree of a unit they are a member of.
type Role string

// The roles, from the most to the least powerful; each may do everything the
// next one may.
const (
	// RoleAdmin runs the subtree: users, the tree itself and the audit log,
	// besides all a leader does.
	RoleAdmin Role = "admin"
	// RoleLeader leads a unit (chủ tịch, phó chủ tịch): approves plans and
	// reports and assigns tasks.
	RoleLeader Role = "leader"
	// RoleOfficer is a union officer (cán bộ) who drafts plans and submits
	// reports.
	RoleOfficer Role = "officer"
	// RoleViewer only reads.
	RoleViewer Role = "viewer"
)

// Action is something a handler asks permission for, on an object that
// belongs to a unit.
type Action string

// The actions.
const (
	// ActionView reads plans, tasks, reports and units.
	ActionView Action = "view"
	// ActionEdit creates and changes drafts: plans, tasks, targets, reports.
	ActionEdit Action = "edit"
	// ActionApprove issues a plan, accepts or returns a report, waives one.
	ActionApprove Action = "approve"
	// ActionManageUsers invites users and grants or revokes memberships.
	ActionManageUsers Action = "manage_users"
	// ActionManageTree creates, renames, moves and deactivates units.
	ActionManageTree Action = "manage_tree"
	// ActionViewAudit reads the audit log.
	ActionViewAudit Action = "view_audit"
	// ActionAssignTask assigns tasks and task groups to units or people.
	ActionAssignTask Action = "assign_task"
	// ActionSubmitReport submits a unit's plan or report for review.
	ActionSubmitReport Action = "submit_report"
)

// allActions lists every action, in the order of the constants.
var allActions = []Action{ActionView, ActionEdit, ActionApprove, ActionManageUsers, ActionManageTree, ActionViewAudit, ActionAssignTask, ActionSubmitReport}

// roleInfo is the permission matrix, the one place that says which role may
// do what; scope (which units) is decided by Principal.Can.
var roleInfo = []struct {
	role    Role
	label   string
	actions []Action
}{
	{RoleAdmin, "Quản trị", allActions},
	{RoleLeader, "Lãnh đạo", []Action{ActionView, ActionEdit, ActionApprove, ActionViewAudit, ActionAssignTask, ActionSubmitReport}},
	{RoleOfficer, "Cán bộ", []Action{ActionView, ActionEdit, ActionSubmitReport}},
	{RoleViewer, "Người xem", []Action{ActionView}},
}

// Roles returns every role, from the most to the least powerful.
func Roles() []Role {
	rs := make([]Role, len(roleInfo))
	for i, ri := range roleInfo {
		rs[i] = ri.role
	}
	return rs
}

// Actions returns every action.
func Actions() []Action {
	return slices.Clone(allActions)
}

// Valid reports whether r is one of the known roles.
func (r Role) Valid() bool {
	return r.Label() != ""
}

// Label returns the Vietnamese name of the role, or "" for an unknown role.
func (r Role) Label() string {
	for _, ri := range roleInfo {
		if ri.role == r {
			return ri.label
		}
	}
	return ""
}

// Permits reports whether the role may perform the action, wherever. An
// unknown role or action permits nothing.
func (r Role) Permits(a Action) bool {
	for _, ri := range roleInfo {
		if ri.role == r {
			return slices.Contains(ri.actions, a)
		}
	}
	return false
}

// Membership gives a user a role in a unit and, through it, in the unit's
// whole subtree.
type Membership struct {
	UnitID int64
	// UnitPath is the unit's materialised path (see org.ChildPath).
	UnitPath string
	Role     Role
}

// Principal is the signed-in user as the policy sees them.
type Principal struct {
	UserID      int64
	Memberships []Membership
}

// Decision is the answer of the policy. Its zero value is NotFound, so a
// forgotten decision denies.
type Decision int

// The decisions.
const (
	// NotFound: the object lies outside every subtree the user belongs to.
	// The API answers 404, as if it did not exist, so that users cannot probe
	// other units' objects.
	NotFound Decision = iota
	// Forbidden: the object is in the user's scope but no role they hold
	// there permits the action. The API answers 403.
	Forbidden
	// Allow: go ahead.
	Allow
)

// String returns the decision's name, for logs and test failures.
func (d Decision) String() string {
	switch d {
	case Allow:
		return "Allow"
	case Forbidden:
		return "Forbidden"
	default:
		return "NotFound"
	}
}

// Can decides whether p may perform action on an object belonging to the unit
// at target (a materialised path). A membership covers its unit and every
// unit below it, never its parent or siblings; with several memberships
// covering the target, any one permitting the action allows it. A malformed
// path, in the target or a membership, covers nothing.
//
// For an object addressed to a unit, such as a provincial plan sent to a
// district, the handler passes the path of the unit the object concerns for
// this request (the recipient), not of its issuer.
func (p Principal) Can(action Action, target string) Decision {
	d := NotFound
	for _, m := range p.Memberships {
		if !org.IsWithin(target, m.UnitPath) {
			continue
		}
		if m.Role.Permits(action) {
			return Allow
		}
		d = Forbidden
	}
	return d
}
