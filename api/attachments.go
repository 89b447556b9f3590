package api

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"cascade/auth"
	"cascade/store"
)

// maxAttachment is the largest file a report or task may carry.
const maxAttachment = 20 << 20

// sniffType names a file's type from its content, not its name: PDF, PNG,
// JPEG, Word (.docx), Excel (.xlsx), OpenDocument text (.odt) or plain UTF-8
// text; "" for anything else.
func sniffType(data []byte) string {
	switch ct := http.DetectContentType(data); {
	case ct == "application/pdf", ct == "image/png", ct == "image/jpeg":
		return ct
	case ct == "application/zip":
		zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			return ""
		}
		names := map[string]*zip.File{}
		for _, f := range zr.File {
			names[f.Name] = f
		}
		if names["[Content_Types].xml"] != nil && names["word/document.xml"] != nil {
			return docxType
		}
		if names["[Content_Types].xml"] != nil && names["xl/workbook.xml"] != nil {
			return xlsxType
		}
		if f := names["mimetype"]; f != nil {
			rc, err := f.Open()
			if err != nil {
				return ""
			}
			defer rc.Close()
			b, _ := io.ReadAll(io.LimitReader(rc, 100))
			if string(b) == "application/vnd.oasis.opendocument.text" {
				return string(b)
			}
		}
	case strings.HasPrefix(ct, "text/plain") && utf8.Valid(data):
		return "text/plain; charset=utf-8"
	}
	return ""
}

func (s *Server) dataDir() string {
	if s.DataDir != "" {
		return s.DataDir
	}
	return "./data"
}

// uploadAttachment stores a file for a report or a unit's task in the
// caller's scope, under DATA_DIR by its SHA-256.
func (s *Server) uploadAttachment(c *gin.Context) {
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, maxAttachment+1<<20)
	kind := c.PostForm("owner_kind")
	ownerID, err := strconv.ParseInt(c.PostForm("owner_id"), 10, 64)
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) || errors.As(c.Request.Context().Err(), &tooLarge) {
		respondError(c, tooLargeError())
		return
	}
	e := errUnprocessable()
	if kind != "report" && kind != "unit_task" {
		e.withField("owner_kind", "Chỉ nhận report hoặc unit_task", "must be report or unit_task")
	}
	if err != nil || ownerID <= 0 {
		e.withField("owner_id", "Phải là một mã số dương", "must be a positive id")
	}
	fh, ferr := c.FormFile("file")
	if ferr != nil {
		if errors.As(ferr, &tooLarge) {
			respondError(c, tooLargeError())
			return
		}
		e.withField("file", "Chưa chọn tệp", "a file is required")
	}
	if len(e.Fields) > 0 {
		respondError(c, e)
		return
	}
	st := store.New(s.DB)
	unit, err := st.AttachmentOwnerUnit(c, kind, ownerID)
	if err != nil {
		respondError(c, err)
		return
	}
	if !allow(c, auth.ActionSubmitReport, unit.Path) {
		return
	}
	if fh.Size > maxAttachment {
		respondError(c, tooLargeError())
		return
	}
	f, err := fh.Open()
	if err != nil {
		respondError(c, errInvalid().withField("file", "Không đọc được tệp", "the file cannot be read"))
		return
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxAttachment+1))
	if err != nil {
		respondError(c, errInvalid().withField("file", "Không đọc được tệp", "the file cannot be read"))
		return
	}
	if len(data) > maxAttachment {
		respondError(c, tooLargeError())
		return
	}
	ct := sniffType(data)
	if ct == "" {
		respondError(c, newError(http.StatusUnsupportedMediaType, "unsupported_type",
			"Chỉ nhận tệp PDF, PNG, JPEG, Word (.docx), Excel (.xlsx), ODT hoặc văn bản", "only PDF, PNG, JPEG, .docx, .xlsx, .odt or text files").
			withField("file", "Loại tệp không được hỗ trợ (kiểm tra theo nội dung)", "file type not accepted (checked by content)"))
		return
	}
	sum := sha256.Sum256(data)
	digest := hex.EncodeToString(sum[:])
	rel := filepath.Join("attachments", digest[:2], digest)
	if err := writeOnce(filepath.Join(s.dataDir(), rel), data); err != nil {
		respondError(c, fmt.Errorf("store attachment: %w", err))
		return
	}
	name := filepath.Base(strings.ReplaceAll(fh.Filename, "\\", "/"))
	if name == "." || name == "/" || name == "" {
		name = "tep-dinh-kem"
	}
	var a store.Attachment
	err = s.DB.WithTx(c, func(tx *store.Store) error {
		var err error
		a, err = tx.CreateAttachment(c, store.Attachment{OwnerKind: kind, OwnerID: ownerID, Filename: truncate(name, 255), ContentType: ct,
			SizeBytes: int64(len(data)), SHA256: digest, StoragePath: rel, UploadedBy: who(c).id()})
		if err != nil {
			return err
		}
		return tx.Audit(c, store.AuditEntry{ActorID: who(c).id(), Actor: who(c).User.Email, Action: "upload", Entity: "attachment",
			EntityID: fmt.Sprint(a.ID), After: a, UnitID: &unit.ID, RequestID: requestID(c)})
	})
	if err != nil {
		respondError(c, err)
		return
	}
	c.JSON(http.StatusCreated, a)
}

func tooLargeError() *Error {
	return newError(http.StatusRequestEntityTooLarge, "too_large", "Tệp quá lớn (tối đa 20 MB)", "file too large (at most 20 MiB)").
		withField("file", "Tệp quá lớn (tối đa 20 MB)", "file too large (at most 20 MiB)")
}

// writeOnce writes a content-addressed file unless it is there already.
func writeOnce(path string, data []byte) error {
	if _, err := os.Stat(path); err == nil {
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".upload-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// attachmentFor loads the attachment of :id and checks the caller may do
// action on its owner's unit.
func (s *Server) attachmentFor(c *gin.Context, action auth.Action) (store.Attachment, store.Unit, bool) {
	id, ok := pathID(c, "id")
	if !ok {
		return store.Attachment{}, store.Unit{}, false
	}
	st := store.New(s.DB)
	a, err := st.AttachmentByID(c, id)
	if err != nil {
		respondError(c, err)
		return store.Attachment{}, store.Unit{}, false
	}
	unit, err := st.AttachmentOwnerUnit(c, a.OwnerKind, a.OwnerID)
	if err != nil {
		respondError(c, err)
		return store.Attachment{}, store.Unit{}, false
	}
	if !allow(c, action, unit.Path) {
		return store.Attachment{}, store.Unit{}, false
	}
	return a, unit, true
}

func (s *Server) getAttachment(c *gin.Context) {
	a, _, ok := s.attachmentFor(c, auth.ActionView)
	if !ok {
		return
	}
	data, err := os.ReadFile(filepath.Join(s.dataDir(), a.StoragePath))
	if err != nil {
		respondError(c, fmt.Errorf("read attachment %d: %w", a.ID, err))
		return
	}
	attachment(c, a.Filename, a.ContentType, data)
}

// deleteAttachment removes an attachment: its uploader, or a leader of the
// owner's unit.
func (s *Server) deleteAttachment(c *gin.Context) {
	a, unit, ok := s.attachmentFor(c, auth.ActionView)
	if !ok {
		return
	}
	own := a.UploadedBy != nil && *a.UploadedBy == who(c).User.ID && who(c).Can(auth.ActionSubmitReport, unit.Path) == auth.Allow
	if !own && !allow(c, auth.ActionApprove, unit.Path) {
		return
	}
	var stillUsed bool
	err := s.DB.WithTx(c, func(tx *store.Store) error {
		var err error
		if stillUsed, err = tx.DeleteAttachment(c, a.ID); err != nil {
			return err
		}
		return tx.Audit(c, store.AuditEntry{ActorID: who(c).id(), Actor: who(c).User.Email, Action: "delete", Entity: "attachment",
			EntityID: fmt.Sprint(a.ID), Before: a, UnitID: &unit.ID, RequestID: requestID(c)})
	})
	if err != nil {
		respondError(c, err)
		return
	}
	if !stillUsed {
		_ = os.Remove(filepath.Join(s.dataDir(), a.StoragePath))
	}
	c.Status(http.StatusNoContent)
}
