package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"cascade/auth"
	"cascade/org"
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

// unitFor loads the unit named by the :id parameter and checks that the
// caller may do action on it.
func (s *Server) unitFor(c *gin.Context, action auth.Action) (store.Unit, bool) {
	id, ok := pathID(c, "id")
	if !ok {
		return store.Unit{}, false
	}
	u, err := store.New(s.DB).Unit(c, id)
	if err != nil {
		respondError(c, err)
		return store.Unit{}, false
	}
	if !allow(c, action, u.Path) {
		return store.Unit{}, false
	}
	return u, true
}

// bodyUnit loads the unit a request body names in field and checks that the
// caller may do action on it. A unit that does not exist is the field's
// 422; one outside the caller's scope a 404, as everywhere.
func (s *Server) bodyUnit(c *gin.Context, field string, id int64, action auth.Action) (store.Unit, bool) {
	u, err := store.New(s.DB).Unit(c, id)
	if errors.Is(err, store.ErrNotFound) {
		respondError(c, errUnprocessable().withField(field, "Đơn vị không tồn tại", "unit does not exist"))
		return store.Unit{}, false
	}
	if err != nil {
		respondError(c, err)
		return store.Unit{}, false
	}
	return u, allow(c, action, u.Path)
}

// listUnits lists the units the caller can see, in tree order.
func (s *Server) listUnits(c *gin.Context) {
	f := store.UnitFilter{Paths: scopePaths(c, auth.ActionView), Kind: c.Query("kind"), Query: strings.TrimSpace(c.Query("q")),
		IncludeInactive: c.Query("inactive") == "true", Limit: 500}
	if f.Kind != "" {
		if _, ok := org.ParseKind(f.Kind); !ok {
			respondError(c, errInvalid().withField("kind", "Loại đơn vị không hợp lệ", "unknown unit kind"))
			return
		}
	}
	if l := c.Query("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 || n > 5000 {
			respondError(c, errInvalid().withField("limit", "Giới hạn từ 1 đến 5000", "limit must be from 1 to 5000"))
			return
		}
		f.Limit = n
	}
	if o := c.Query("offset"); o != "" {
		n, err := strconv.Atoi(o)
		if err != nil || n < 0 {
			respondError(c, errInvalid().withField("offset", "Vị trí bắt đầu không hợp lệ", "offset must be 0 or more"))
			return
		}
		f.Offset = n
	}
	if u := c.Query("under"); u != "" {
		id, err := strconv.ParseInt(u, 10, 64)
		if err != nil {
			respondError(c, errInvalid().withField("under", "Mã đơn vị không hợp lệ", "under must be a unit id"))
			return
		}
		root, err := store.New(s.DB).Unit(c, id)
		if err != nil {
			respondError(c, err)
			return
		}
		if !allow(c, auth.ActionView, root.Path) {
			return
		}
		f.Under = root.Path
	}
	us, err := store.New(s.DB).UnitsInScope(c, f)
	if err != nil {
		respondError(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"units": nonNil(us)})
}

type createUnitRequest struct {
	ParentID  int64  `json:"parent_id" binding:"required,gt=0"`
	Kind      string `json:"kind" binding:"required"`
	Code      string `json:"code" binding:"required"`
	Name      string `json:"name" binding:"required"`
	ShortName string `json:"short_name"`
	Email     string `json:"email"`
}

// createUnit adds a unit under a parent the caller administers.
func (s *Server) createUnit(c *gin.Context) {
	var req createUnitRequest
	if !bind(c, &req) {
		return
	}
	ou := org.Unit{Code: req.Code, Name: req.Name, ShortName: req.ShortName, Kind: org.Kind(req.Kind), Email: req.Email}
	if k, ok := org.ParseKind(req.Kind); ok {
		ou.Kind = k
	}
	ou.Normalize()
	if err := ou.Validate(); err != nil {
		respondError(c, fieldErrors(err))
		return
	}
	parent, ok := s.bodyUnit(c, "parent_id", req.ParentID, auth.ActionManageTree)
	if !ok {
		return
	}
	cl := who(c)
	var u store.Unit
	err := s.DB.WithTx(c, func(tx *store.Store) error {
		var err error
		u, err = tx.CreateUnit(c, store.Unit{ParentID: &parent.ID, Kind: string(ou.Kind), Code: ou.Code, Name: ou.Name, ShortName: ou.ShortName, Email: ou.Email})
		if errors.Is(err, store.ErrConflict) {
			return newError(http.StatusConflict, "conflict", "Mã đơn vị đã tồn tại", "unit code already exists").
				withField("code", "Mã đơn vị đã tồn tại", "unit code already exists")
		}
		if err != nil {
			return err
		}
		return tx.Audit(c, store.AuditEntry{ActorID: cl.id(), Actor: cl.User.Email, Action: "create", Entity: "org_unit",
			EntityID: strconv.FormatInt(u.ID, 10), After: u, RequestID: requestID(c), UnitID: &u.ID})
	})
	if err != nil {
		respondError(c, err)
		return
	}
	c.JSON(http.StatusCreated, u)
}

func (s *Server) getUnit(c *gin.Context) {
	u, ok := s.unitFor(c, auth.ActionView)
	if !ok {
		return
	}
	c.JSON(http.StatusOK, u)
}

type updateUnitRequest struct {
	Name      *string `json:"name"`
	ShortName *string `json:"short_name"`
	Email     *string `json:"email"`
	// SupervisorUnitID sets the board that follows the unit; null clears it.
	SupervisorUnitID optionalID `json:"supervisor_unit_id"`
}

// optionalID is an id in a PATCH body that may be left out (unchanged),
// null (cleared) or set.
type optionalID struct {
	Set bool
	ID  *int64
}

// UnmarshalJSON is called only when the field is present.
func (o *optionalID) UnmarshalJSON(b []byte) error {
	o.Set = true
	return json.Unmarshal(b, &o.ID)
}

// updateUnit renames a unit or changes its email.
func (s *Server) updateUnit(c *gin.Context) {
	var req updateUnitRequest
	if !bind(c, &req) {
		return
	}
	u, ok := s.unitFor(c, auth.ActionManageTree)
	if !ok {
		return
	}
	next := org.Unit{Code: u.Code, Name: u.Name, ShortName: u.ShortName, Kind: org.Kind(u.Kind), Email: u.Email}
	if req.Name != nil {
		next.Name = *req.Name
	}
	if req.ShortName != nil {
		next.ShortName = *req.ShortName
	}
	if req.Email != nil {
		next.Email = *req.Email
	}
	next.Normalize()
	if err := next.Validate(); err != nil {
		respondError(c, fieldErrors(err))
		return
	}
	if req.SupervisorUnitID.Set && req.SupervisorUnitID.ID != nil {
		board, ok := s.bodyUnit(c, "supervisor_unit_id", *req.SupervisorUnitID.ID, auth.ActionView)
		if !ok {
			return
		}
		if board.ID == u.ID || (board.Kind != string(org.KindBoard) && board.Kind != string(org.KindStandingCommittee)) {
			respondError(c, errUnprocessable().withField("supervisor_unit_id",
				"Đơn vị theo dõi phải là một ban chuyên môn hoặc Ban Thường vụ", "the supervising unit must be a board or the standing committee"))
			return
		}
	}
	cl := who(c)
	var after store.Unit
	err := s.DB.WithTx(c, func(tx *store.Store) error {
		var err error
		if after, err = tx.UpdateUnit(c, u.ID, next.Name, next.ShortName, next.Email); err != nil {
			return err
		}
		if req.SupervisorUnitID.Set {
			if after, err = tx.SetUnitSupervisor(c, u.ID, req.SupervisorUnitID.ID); err != nil {
				return err
			}
		}
		return tx.Audit(c, store.AuditEntry{ActorID: cl.id(), Actor: cl.User.Email, Action: "update", Entity: "org_unit",
			EntityID: strconv.FormatInt(u.ID, 10), Before: u, After: after, RequestID: requestID(c), UnitID: &u.ID})
	})
	if err != nil {
		respondError(c, err)
		return
	}
	c.JSON(http.StatusOK, after)
}

type moveUnitRequest struct {
	ParentID int64 `json:"parent_id" binding:"required,gt=0"`
}

// moveUnit moves a unit with its whole subtree under another parent; the
// caller must administer both the unit and its new parent.
func (s *Server) moveUnit(c *gin.Context) {
	var req moveUnitRequest
	if !bind(c, &req) {
		return
	}
	u, ok := s.unitFor(c, auth.ActionManageTree)
	if !ok {
		return
	}
	parent, ok := s.bodyUnit(c, "parent_id", req.ParentID, auth.ActionManageTree)
	if !ok {
		return
	}
	if err := org.ValidateMove(u.Path, parent.Path); err != nil {
		respondError(c, fieldErrors(err))
		return
	}
	cl := who(c)
	var moved int64
	var after store.Unit
	err := s.DB.WithTx(c, func(tx *store.Store) error {
		var err error
		if moved, err = tx.MoveUnit(c, u, parent); err != nil {
			return err
		}
		if after, err = tx.Unit(c, u.ID); err != nil {
			return err
		}
		return tx.Audit(c, store.AuditEntry{ActorID: cl.id(), Actor: cl.User.Email, Action: "move", Entity: "org_unit",
			EntityID: strconv.FormatInt(u.ID, 10), Before: gin.H{"parent_id": u.ParentID, "path": u.Path},
			After: gin.H{"parent_id": after.ParentID, "path": after.Path, "units_moved": moved}, RequestID: requestID(c), UnitID: &u.ID})
	})
	if err != nil {
		respondError(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"unit": after, "units_moved": moved})
}

// deactivateUnit retires a unit without deleting it: its history stays.
func (s *Server) deactivateUnit(c *gin.Context) {
	u, ok := s.unitFor(c, auth.ActionManageTree)
	if !ok {
		return
	}
	cl := who(c)
	var after store.Unit
	err := s.DB.WithTx(c, func(tx *store.Store) error {
		n, err := tx.CountActiveChildren(c, u.ID)
		if err != nil {
			return err
		}
		if n > 0 {
			return newError(http.StatusConflict, "has_children", fmt.Sprintf("Đơn vị còn %d đơn vị trực thuộc đang hoạt động", n),
				fmt.Sprintf("the unit still has %d active units under it", n))
		}
		if after, err = tx.SetUnitActive(c, u.ID, false); err != nil {
			return err
		}
		return tx.Audit(c, store.AuditEntry{ActorID: cl.id(), Actor: cl.User.Email, Action: "deactivate", Entity: "org_unit",
			EntityID: strconv.FormatInt(u.ID, 10), Before: gin.H{"active": u.Active}, After: gin.H{"active": false}, RequestID: requestID(c), UnitID: &u.ID})
	})
	if err != nil {
		respondError(c, err)
		return
	}
	c.JSON(http.StatusOK, after)
}

// unitTasks is a unit's inbox: what it must do, open tasks first.
func (s *Server) unitTasks(c *gin.Context) {
	u, ok := s.unitFor(c, auth.ActionView)
	if !ok {
		return
	}
	s.writeInbox(c, u)
}

// exportUnits writes a unit's subtree as CSV with Vietnamese headers and a
// BOM, so Excel opens it as UTF-8.
func (s *Server) exportUnits(c *gin.Context) {
	root, ok := s.unitFor(c, auth.ActionView)
	if !ok {
		return
	}
	us, err := store.New(s.DB).UnitsInScope(c, store.UnitFilter{Paths: []string{root.Path}, Limit: 1_000_000})
	if err != nil {
		respondError(c, err)
		return
	}
	codeOf := map[int64]string{}
	for _, u := range us {
		codeOf[u.ID] = u.Code
	}
	rows := make([]org.UnitRow, 0, len(us))
	for _, u := range us {
		r := org.UnitRow{Code: u.Code, Name: u.Name, ShortName: u.ShortName, Kind: org.Kind(u.Kind), Email: u.Email}
		if u.ParentID != nil {
			r.ParentCode = codeOf[*u.ParentID]
			if r.ParentCode == "" && u.ID == root.ID {
				if p, err := store.New(s.DB).Unit(c, *u.ParentID); err == nil {
					r.ParentCode = p.Code
				}
			}
		}
		rows = append(rows, r)
	}
	var buf bytes.Buffer
	if err := org.WriteUnitsCSV(&buf, rows); err != nil {
		respondError(c, err)
		return
	}
	c.Header("Content-Disposition", fmt.Sprintf(`attachment; filename="don-vi-%s.csv"`, root.Code))
	c.Data(http.StatusOK, "text/csv; charset=utf-8", buf.Bytes())
}

// importUnits adds the units of a CSV file (the body, or a multipart field
// "file") under parents the caller administers. The whole file is checked
// first: one bad row rejects it with every error listed by line, and
// nothing is written.
func (s *Server) importUnits(c *gin.Context) {
	data, ok := readUpload(c, org.MaxUnitsCSVBytes)
	if !ok {
		return
	}
	st := store.New(s.DB)
	var lookupErr error
	exists := func(code string) bool {
		m, err := st.UnitsByCode(c, []string{code})
		if err != nil {
			lookupErr = err
		}
		_, ok := m[code]
		return ok
	}
	rows, err := org.ParseUnitsCSV(bytes.NewReader(data), exists)
	if lookupErr != nil {
		respondError(c, lookupErr)
		return
	}
	var les org.LineErrors
	if errors.As(err, &les) {
		c.AbortWithStatusJSON(http.StatusUnprocessableEntity, gin.H{"error": gin.H{
			"code": "invalid_file", "message": fmt.Sprintf("Tệp có %d lỗi, chưa có đơn vị nào được thêm", len(les)),
			"message_en": fmt.Sprintf("the file has %d errors; no unit was added", len(les)), "lines": les}})
		return
	}
	if err != nil {
		respondError(c, fieldErrors(err))
		return
	}
	cl := who(c)
	created := make([]store.Unit, 0, len(rows))
	err = s.DB.WithTx(c, func(tx *store.Store) error {
		byCode := map[string]store.Unit{}
		var outside org.LineErrors
		for _, r := range rows {
			parent, ok := byCode[r.ParentCode]
			if !ok {
				if r.ParentCode == "" {
					outside = append(outside, org.LineError{Line: r.Line, FieldError: org.FieldError{Field: "parent_code",
						Message: "Cần mã đơn vị cấp trên", MessageEn: "a parent code is required"}})
					continue
				}
				p, err := tx.UnitByCode(c, r.ParentCode)
				if err != nil {
					return err
				}
				if cl.Can(auth.ActionManageTree, p.Path) != auth.Allow {
					outside = append(outside, org.LineError{Line: r.Line, FieldError: org.FieldError{Field: "parent_code",
						Message:   "Đơn vị cấp trên " + r.ParentCode + " ngoài phạm vi bạn quản lý",
						MessageEn: "parent " + r.ParentCode + " is outside the units you administer"}})
					continue
				}
				parent = p
			}
			u, err := tx.CreateUnit(c, store.Unit{ParentID: &parent.ID, Kind: string(r.Kind), Code: r.Code, Name: r.Name, ShortName: r.ShortName, Email: r.Email})
			if err != nil {
				return err
			}
			byCode[u.Code] = u
			created = append(created, u)
		}
		if len(outside) > 0 {
			return outsideErr(outside)
		}
		var unitID *int64
		if len(created) > 0 {
			unitID = created[0].ParentID
		}
		return tx.Audit(c, store.AuditEntry{ActorID: cl.id(), Actor: cl.User.Email, Action: "import", Entity: "org_unit",
			EntityID: "csv", After: gin.H{"created": len(created)}, RequestID: requestID(c), UnitID: unitID})
	})
	var oe outsideErr
	if errors.As(err, &oe) {
		c.AbortWithStatusJSON(http.StatusUnprocessableEntity, gin.H{"error": gin.H{
			"code": "invalid_file", "message": "Tệp có đơn vị nằm ngoài phạm vi bạn quản lý, chưa có đơn vị nào được thêm",
			"message_en": "some units are outside what you administer; no unit was added", "lines": org.LineErrors(oe)}})
		return
	}
	if err != nil {
		respondError(c, err)
		return
	}
	c.JSON(http.StatusCreated, gin.H{"created": len(created), "units": created})
}

// outsideErr rolls an import back when rows fall outside the caller's scope.
type outsideErr org.LineErrors

func (e outsideErr) Error() string { return org.LineErrors(e).Error() }

// readUpload reads a request body of at most limit bytes: a multipart
// field "file", or the raw body.
func readUpload(c *gin.Context, limit int64) ([]byte, bool) {
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, limit+64<<10)
	var r io.Reader = c.Request.Body
	if strings.HasPrefix(c.ContentType(), "multipart/") {
		fh, err := c.FormFile("file")
		if err != nil {
			e := uploadError(err)
			if e.Status == http.StatusRequestEntityTooLarge {
				respondError(c, e.withField("file", e.Message, e.MessageEn))
			} else {
				respondError(c, e.withField("file", "Chưa chọn tệp", "no file in field \"file\""))
			}
			return nil, false
		}
		f, err := fh.Open()
		if err != nil {
			respondError(c, err)
			return nil, false
		}
		defer f.Close()
		r = f
	}
	data, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		respondError(c, uploadError(err))
		return nil, false
	}
	if int64(len(data)) > limit {
		respondError(c, newError(http.StatusRequestEntityTooLarge, "too_large",
			fmt.Sprintf("Tệp quá lớn (tối đa %d MB)", limit>>20), fmt.Sprintf("file too large (at most %d MB)", limit>>20)))
		return nil, false
	}
	if len(data) == 0 {
		respondError(c, errInvalid().withField("file", "Tệp rỗng", "the file is empty"))
		return nil, false
	}
	return data, true
}

func uploadError(err error) *Error {
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		return newError(http.StatusRequestEntityTooLarge, "too_large", "Tệp quá lớn", "file too large")
	}
	return errInvalid()
}
