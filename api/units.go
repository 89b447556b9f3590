package api

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"cascade/store"
)

// pathID reads a positive integer path parameter; anything else cannot name
// an object, so it answers 404.
func pathID(c *gin.Context, name string) (int64, bool) {
	id, err := strconv.ParseInt(c.Param(name), 10, 64)
	if err != nil || id <= 0 {
		respondError(c, errNotFound())
		return 0, false
	}
	return id, true
}

type createUnitRequest struct {
	ParentID  *int64 `json:"parent_id" binding:"omitempty,gt=0"`
	Kind      string `json:"kind" binding:"required,oneof=province standing_committee board district affiliate commune branch"`
	Code      string `json:"code" binding:"required,max=32"`
	Name      string `json:"name" binding:"required,max=300"`
	ShortName string `json:"short_name" binding:"max=100"`
	Email     string `json:"email" binding:"omitempty,email,max=254"`
}

func (s *Server) createUnit(c *gin.Context) {
	var req createUnitRequest
	if !bind(c, &req) {
		return
	}
	var u store.Unit
	err := s.DB.WithTx(c, func(st *store.Store) error {
		if req.ParentID != nil {
			if _, err := st.Unit(c, *req.ParentID); errors.Is(err, store.ErrNotFound) {
				return errUnprocessable().withField("parent_id", "Đơn vị cấp trên không tồn tại", "parent unit does not exist")
			} else if err != nil {
				return err
			}
		}
		var err error
		u, err = st.CreateUnit(c, store.Unit{ParentID: req.ParentID, Kind: req.Kind, Code: req.Code, Name: req.Name, ShortName: req.ShortName, Email: req.Email})
		if errors.Is(err, store.ErrConflict) {
			return newError(http.StatusConflict, "conflict", "Mã đơn vị đã tồn tại", "unit code already exists").
				withField("code", "Mã đơn vị đã tồn tại", "unit code already exists")
		}
		if err != nil {
			return err
		}
		return st.Audit(c, store.AuditEntry{Action: "create", Entity: "org_unit", EntityID: strconv.FormatInt(u.ID, 10), After: u, RequestID: requestID(c)})
	})
	if err != nil {
		respondError(c, err)
		return
	}
	c.JSON(http.StatusCreated, u)
}

func (s *Server) getUnit(c *gin.Context) {
	id, ok := pathID(c, "id")
	if !ok {
		return
	}
	u, err := store.New(s.DB).Unit(c, id)
	if err != nil {
		respondError(c, err)
		return
	}
	c.JSON(http.StatusOK, u)
}

// unitTasks is a unit's inbox: what it must do, open tasks first.
func (s *Server) unitTasks(c *gin.Context) {
	id, ok := pathID(c, "id")
	if !ok {
		return
	}
	st := store.New(s.DB)
	if _, err := st.Unit(c, id); err != nil {
		respondError(c, err)
		return
	}
	ts, err := st.UnitTasks(c, id)
	if err != nil {
		respondError(c, err)
		return
	}
	if ts == nil {
		ts = []store.UnitTask{}
	}
	c.JSON(http.StatusOK, gin.H{"tasks": ts})
}
