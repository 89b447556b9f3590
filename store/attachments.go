package store

import (
	"context"
	"fmt"
	"time"
)

// Attachment is a file attached to a report or a unit's task. The file
// lives under DATA_DIR at StoragePath, named by its SHA-256.
type Attachment struct {
	ID          int64     `db:"id" json:"id"`
	OwnerKind   string    `db:"owner_kind" json:"-"`
	OwnerID     int64     `db:"owner_id" json:"-"`
	Filename    string    `db:"filename" json:"filename"`
	ContentType string    `db:"content_type" json:"content_type"`
	SizeBytes   int64     `db:"size_bytes" json:"size_bytes"`
	SHA256      string    `db:"sha256" json:"sha256"`
	StoragePath string    `db:"storage_path" json:"-"`
	UploadedBy  *int64    `db:"uploaded_by" json:"-"`
	CreatedAt   time.Time `db:"created_at" json:"created_at"`
}

const attachmentColumns = `id, owner_kind, owner_id, filename, content_type, size_bytes, sha256, storage_path, uploaded_by, created_at`

// CreateAttachment records an attachment whose file is already stored.
func (s *Store) CreateAttachment(ctx context.Context, a Attachment) (Attachment, error) {
	const q = `INSERT INTO attachments (owner_kind, owner_id, filename, content_type, size_bytes, sha256, storage_path, uploaded_by)
VALUES (:owner_kind, :owner_id, :filename, :content_type, :size_bytes, :sha256, :storage_path, :uploaded_by)
RETURNING ` + attachmentColumns
	rows, err := namedQuery(ctx, s, q, a)
	if err != nil {
		return Attachment{}, fmt.Errorf("insert attachment: %w", translate(err))
	}
	return scanOne[Attachment](rows)
}

// AttachmentByID returns one attachment.
func (s *Store) AttachmentByID(ctx context.Context, id int64) (Attachment, error) {
	var a Attachment
	if err := getContext(ctx, s, &a, `SELECT `+attachmentColumns+` FROM attachments WHERE id = $1`, id); err != nil {
		return Attachment{}, fmt.Errorf("get attachment %d: %w", id, translate(err))
	}
	return a, nil
}

// AttachmentsOf lists an owner's attachments, oldest first.
func (s *Store) AttachmentsOf(ctx context.Context, kind string, ownerID int64) ([]Attachment, error) {
	var as []Attachment
	if err := selectContext(ctx, s, &as, `SELECT `+attachmentColumns+` FROM attachments WHERE owner_kind = $1 AND owner_id = $2 ORDER BY created_at, id`, kind, ownerID); err != nil {
		return nil, fmt.Errorf("list attachments: %w", translate(err))
	}
	return as, nil
}

// DeleteAttachment removes an attachment's row; it says whether another
// row still uses the same stored file.
func (s *Store) DeleteAttachment(ctx context.Context, id int64) (stillUsed bool, err error) {
	const q = `WITH d AS (DELETE FROM attachments WHERE id = $1 RETURNING storage_path)
SELECT EXISTS (SELECT 1 FROM attachments a, d WHERE a.storage_path = d.storage_path AND a.id <> $1)`
	if err := getContext(ctx, s, &stillUsed, q, id); err != nil {
		return false, fmt.Errorf("delete attachment: %w", translate(err))
	}
	return stillUsed, nil
}

// AttachmentOwnerUnit returns the unit an attachment's owner belongs to:
// the report's or the unit task's unit.
func (s *Store) AttachmentOwnerUnit(ctx context.Context, kind string, ownerID int64) (Unit, error) {
	var q string
	switch kind {
	case "report":
		q = `SELECT ` + unitColumns + ` FROM org_units WHERE id = (SELECT unit_id FROM reports WHERE id = $1)`
	case "unit_task":
		q = `SELECT ` + unitColumns + ` FROM org_units WHERE id = (SELECT unit_id FROM unit_tasks WHERE id = $1)`
	default:
		return Unit{}, ErrNotFound
	}
	var u Unit
	if err := getContext(ctx, s, &u, q, ownerID); err != nil {
		return Unit{}, fmt.Errorf("owner of attachment: %w", translate(err))
	}
	return u, nil
}
