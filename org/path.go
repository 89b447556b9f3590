package org

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// A unit's materialised path lists the IDs from the root down to the unit
// itself, each followed by a slash: the province is "/1/", a district under it
// "/1/5/", a commune of that district "/1/5/23/". A subtree is then every path
// with the subtree root's path as prefix, which the store answers with one
// indexed prefix scan. The trailing slash is what keeps "/1/5/" from matching
// "/1/50/".

// ChildPath returns the path of unit id placed under the unit at parentPath;
// an empty parentPath makes it a root. parentPath must be empty or valid and
// id positive (see ValidPath); ChildPath does not check.
func ChildPath(parentPath string, id int64) string {
	if parentPath == "" {
		parentPath = "/"
	}
	return parentPath + strconv.FormatInt(id, 10) + "/"
}

// ValidPath reports whether p is a well-formed materialised path: at least one
// positive decimal ID without leading zeros, each enclosed in slashes.
func ValidPath(p string) bool {
	_, ok := PathIDs(p)
	return ok
}

// PathIDs returns the unit IDs of p from the root down, or false when p is not
// a valid path.
func PathIDs(p string) ([]int64, bool) {
	if len(p) < 3 || p[0] != '/' || p[len(p)-1] != '/' {
		return nil, false
	}
	segs := strings.Split(p[1:len(p)-1], "/")
	ids := make([]int64, len(segs))
	for i, s := range segs {
		if s == "" || s[0] == '0' || s[0] == '+' || s[0] == '-' {
			return nil, false
		}
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return nil, false
		}
		ids[i] = id
	}
	return ids, true
}

// IsWithin reports whether the unit at path lies in the subtree rooted at
// ancestorPath; a unit is within its own subtree. Invalid paths are never
// within anything, so an empty or malformed scope grants nothing.
func IsWithin(path, ancestorPath string) bool {
	return ValidPath(path) && ValidPath(ancestorPath) && strings.HasPrefix(path, ancestorPath)
}

// Depth returns how many ancestors the unit at path has: 0 for a root, 1 for
// its children, and so on. It returns -1 for an invalid path.
func Depth(path string) int {
	if !ValidPath(path) {
		return -1
	}
	return strings.Count(path, "/") - 2
}

// Parent returns the path of the parent of the unit at path, and false when
// the unit is a root or the path is invalid.
func Parent(path string) (string, bool) {
	if Depth(path) < 1 {
		return "", false
	}
	i := strings.LastIndexByte(path[:len(path)-1], '/')
	return path[:i+1], true
}

// UnitIDOf returns the ID of the unit a path belongs to (its last ID), and
// false for an invalid path.
func UnitIDOf(path string) (int64, bool) {
	ids, ok := PathIDs(path)
	if !ok {
		return 0, false
	}
	return ids[len(ids)-1], true
}

// Rebase moves path from under oldPrefix to under newPrefix. To move unit U to
// a new parent P, rebase U's path and every path in its subtree with
// oldPrefix = U's path and newPrefix = ChildPath(P's path, U's ID); check the
// move with ValidateMove first.
func Rebase(path, oldPrefix, newPrefix string) (string, error) {
	if !ValidPath(newPrefix) {
		return "", fmt.Errorf("rebase %q: invalid new prefix %q", path, newPrefix)
	}
	if !IsWithin(path, oldPrefix) {
		return "", fmt.Errorf("rebase %q: not within %q", path, oldPrefix)
	}
	return newPrefix + path[len(oldPrefix):], nil
}

// ValidateMove checks that the unit at unitPath may be placed under the unit
// at newParentPath: a unit cannot become its own parent or sit inside its own
// subtree, which would cut the subtree off the tree in a cycle. It returns a
// FieldError on field "parent_code" for that case, and a plain error when a
// path is malformed (a bug, not a user mistake).
func ValidateMove(unitPath, newParentPath string) error {
	if !ValidPath(unitPath) || !ValidPath(newParentPath) {
		return errors.New("validate move: invalid path")
	}
	if IsWithin(newParentPath, unitPath) {
		return &FieldError{
			Field:     "parent_code",
			Message:   "Không thể chuyển đơn vị vào chính nó hoặc vào một đơn vị cấp dưới của nó.",
			MessageEn: "A unit cannot be moved under itself or one of its own sub-units.",
		}
	}
	return nil
}

// Scopes intersects the subtrees at paths with the one at under (empty:
// no limit) and drops every path inside another, so the subtrees returned
// are disjoint and each can be read as one index range.
func Scopes(paths []string, under string) []string {
	var ps []string
	for _, p := range paths {
		switch {
		case under == "" || strings.HasPrefix(p, under):
			ps = append(ps, p)
		case strings.HasPrefix(under, p):
			ps = append(ps, under)
		}
	}
	slices.Sort(ps)
	var out []string
	for _, p := range ps {
		if len(out) == 0 || !strings.HasPrefix(p, out[len(out)-1]) {
			out = append(out, p)
		}
	}
	return out
}
