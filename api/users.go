package api

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"cascade/auth"
	"cascade/store"
)

type membershipRequest struct {
	UnitID int64  `json:"unit_id" binding:"required,gt=0"`
	Role   string `json:"role" binding:"required,oneof=admin leader officer viewer"`
}

type createUserRequest struct {
	Email       string              `json:"email" binding:"required,email,max=254"`
	Name        string              `json:"name" binding:"required,max=200"`
	Password    string              `json:"password" binding:"max=256"`
	Memberships []membershipRequest `json:"memberships" binding:"required,min=1,max=50,dive"`
}

type userResponse struct {
	store.User
	Memberships []store.Membership `json:"memberships"`
}

// listUsers lists the users with a membership in a unit the caller
// administers.
func (s *Server) listUsers(c *gin.Context) {
	st := store.New(s.DB)
	us, err := st.UsersInScope(c, scopePaths(c, auth.ActionManageUsers), 1000)
	if err != nil {
		respondError(c, err)
		return
	}
	// Each with its units and roles, for the admin's table.
	ids := make([]int64, len(us))
	for i, u := range us {
		ids[i] = u.ID
	}
	ms, err := st.MembershipsOf(c, ids)
	if err != nil {
		respondError(c, err)
		return
	}
	type listedUser struct {
		store.User
		Memberships []store.Membership `json:"memberships"`
	}
	out := make([]listedUser, len(us))
	for i, u := range us {
		out[i] = listedUser{User: u, Memberships: nonNil(ms[u.ID])}
	}
	c.JSON(http.StatusOK, gin.H{"users": out})
}

// createUser adds a person with their roles; each role's unit must be one
// the caller administers. Without a password the person sets one through
// the password reset link.
func (s *Server) createUser(c *gin.Context) {
	var req createUserRequest
	if !bind(c, &req) {
		return
	}
	units := make([]store.Unit, len(req.Memberships))
	for i, m := range req.Memberships {
		u, ok := s.bodyUnit(c, "memberships["+strconv.Itoa(i)+"].unit_id", m.UnitID, auth.ActionManageUsers)
		if !ok {
			return
		}
		units[i] = u
	}
	hash := ""
	if req.Password != "" {
		if err := auth.ValidatePassword(req.Password); err != nil {
			respondError(c, fieldErrors(err))
			return
		}
		release, ok := s.hashGate().Enter(c)
		if !ok {
			respondBusy(c, s.hashGate().RetryAfter())
			return
		}
		var err error
		hash, err = auth.HashPassword(req.Password)
		release()
		if err != nil {
			respondError(c, err)
			return
		}
	}
	cl := who(c)
	var u store.User
	err := s.DB.WithTx(c, func(tx *store.Store) error {
		var err error
		u, err = tx.CreateUser(c, store.User{Email: strings.TrimSpace(req.Email), Name: strings.TrimSpace(req.Name), PasswordHash: hash, Active: true})
		if errors.Is(err, store.ErrConflict) {
			return newError(http.StatusConflict, "conflict", "Email đã được dùng cho tài khoản khác", "email already in use").
				withField("email", "Email đã được dùng", "email already in use")
		}
		if err != nil {
			return err
		}
		for _, m := range req.Memberships {
			if err := tx.AddMembership(c, u.ID, m.UnitID, m.Role); err != nil {
				return err
			}
		}
		return tx.Audit(c, store.AuditEntry{ActorID: cl.id(), Actor: cl.User.Email, Action: "create", Entity: "user",
			EntityID: strconv.FormatInt(u.ID, 10), After: gin.H{"email": u.Email, "name": u.Name, "memberships": req.Memberships},
			RequestID: requestID(c), UnitID: &units[0].ID})
	})
	if err != nil {
		respondError(c, err)
		return
	}
	s.writeUser(c, http.StatusCreated, u.ID)
}

// userFor loads the user named by :id; the caller must be the user or
// administer at least one unit the user belongs to (manageAll: every one).
func (s *Server) userFor(c *gin.Context, manageAll bool) (store.User, []store.Membership, bool) {
	id, ok := pathID(c, "id")
	if !ok {
		return store.User{}, nil, false
	}
	st := store.New(s.DB)
	u, err := st.User(c, id)
	if err != nil {
		respondError(c, err)
		return store.User{}, nil, false
	}
	ms, err := st.Memberships(c, id)
	if err != nil {
		respondError(c, err)
		return store.User{}, nil, false
	}
	cl := who(c)
	if id == cl.User.ID && !manageAll {
		return u, ms, true
	}
	// The strongest decision over the user's units wins: Allow where the
	// caller administers one of them, Forbidden where they only see one.
	decision, all := auth.NotFound, len(ms) > 0
	for _, m := range ms {
		d := cl.Can(auth.ActionManageUsers, m.UnitPath)
		decision = max(decision, d)
		all = all && d == auth.Allow
	}
	if manageAll && decision == auth.Allow && !all {
		decision = auth.Forbidden
	}
	switch decision {
	case auth.Allow:
		return u, ms, true
	case auth.Forbidden:
		respondError(c, newError(http.StatusForbidden, "forbidden", "Vai trò của bạn không được phép thực hiện thao tác này", "your role may not do this"))
	default:
		respondError(c, errNotFound())
	}
	return store.User{}, nil, false
}

func (s *Server) getUser(c *gin.Context) {
	u, ms, ok := s.userFor(c, false)
	if !ok {
		return
	}
	c.JSON(http.StatusOK, userResponse{User: u, Memberships: nonNil(ms)})
}

func (s *Server) writeUser(c *gin.Context, status int, id int64) {
	st := store.New(s.DB)
	u, err := st.User(c, id)
	if err != nil {
		respondError(c, err)
		return
	}
	ms, err := st.Memberships(c, id)
	if err != nil {
		respondError(c, err)
		return
	}
	c.JSON(status, userResponse{User: u, Memberships: nonNil(ms)})
}

type updateUserRequest struct {
	Name   *string `json:"name" binding:"omitempty,min=1,max=200"`
	Active *bool   `json:"active"`
}

// updateUser renames a user or stops them signing in (their sessions end).
// The caller must administer every unit the user belongs to.
func (s *Server) updateUser(c *gin.Context) {
	var req updateUserRequest
	if !bind(c, &req) {
		return
	}
	u, ms, ok := s.userFor(c, true)
	if !ok {
		return
	}
	name, active := u.Name, u.Active
	if req.Name != nil {
		name = strings.TrimSpace(*req.Name)
	}
	if req.Active != nil {
		active = *req.Active
	}
	cl := who(c)
	err := s.DB.WithTx(c, func(tx *store.Store) error {
		after, err := tx.UpdateUser(c, u.ID, name, active)
		if err != nil {
			return err
		}
		if !active {
			if _, err := tx.DeleteUserSessions(c, u.ID); err != nil {
				return err
			}
		}
		return tx.Audit(c, store.AuditEntry{ActorID: cl.id(), Actor: cl.User.Email, Action: "update", Entity: "user",
			EntityID: strconv.FormatInt(u.ID, 10), Before: gin.H{"name": u.Name, "active": u.Active},
			After: gin.H{"name": after.Name, "active": after.Active}, RequestID: requestID(c), UnitID: &ms[0].UnitID})
	})
	if err != nil {
		respondError(c, err)
		return
	}
	s.writeUser(c, http.StatusOK, u.ID)
}

// addMembership gives a user a role in a unit the caller administers.
func (s *Server) addMembership(c *gin.Context) {
	var req membershipRequest
	if !bind(c, &req) {
		return
	}
	u, _, ok := s.userFor(c, false)
	if !ok {
		return
	}
	unit, ok := s.bodyUnit(c, "unit_id", req.UnitID, auth.ActionManageUsers)
	if !ok {
		return
	}
	cl := who(c)
	err := s.DB.WithTx(c, func(tx *store.Store) error {
		if err := tx.AddMembership(c, u.ID, unit.ID, req.Role); err != nil {
			return err
		}
		return tx.Audit(c, store.AuditEntry{ActorID: cl.id(), Actor: cl.User.Email, Action: "grant", Entity: "membership",
			EntityID: strconv.FormatInt(u.ID, 10), After: req, RequestID: requestID(c), UnitID: &unit.ID})
	})
	if err != nil {
		respondError(c, err)
		return
	}
	s.writeUser(c, http.StatusOK, u.ID)
}

// removeMembership takes a role in a unit the caller administers away.
func (s *Server) removeMembership(c *gin.Context) {
	u, _, ok := s.userFor(c, false)
	if !ok {
		return
	}
	unitID, err := strconv.ParseInt(c.Param("unit_id"), 10, 64)
	if err != nil || unitID <= 0 || !auth.Role(c.Param("role")).Valid() {
		respondError(c, errNotFound())
		return
	}
	unit, err := store.New(s.DB).Unit(c, unitID)
	if err != nil {
		respondError(c, err)
		return
	}
	if !allow(c, auth.ActionManageUsers, unit.Path) {
		return
	}
	cl := who(c)
	err = s.DB.WithTx(c, func(tx *store.Store) error {
		if err := tx.RemoveMembership(c, u.ID, unit.ID, c.Param("role")); err != nil {
			return err
		}
		return tx.Audit(c, store.AuditEntry{ActorID: cl.id(), Actor: cl.User.Email, Action: "revoke", Entity: "membership",
			EntityID: strconv.FormatInt(u.ID, 10), Before: gin.H{"unit_id": unit.ID, "role": c.Param("role")}, RequestID: requestID(c), UnitID: &unit.ID})
	})
	if err != nil {
		respondError(c, err)
		return
	}
	s.writeUser(c, http.StatusOK, u.ID)
}
