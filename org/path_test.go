package org_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"cascade/org"
)

func TestValidPath(t *testing.T) {
	t.Parallel()
	for p, want := range map[string]bool{
		"/1/":                   true,
		"/1/5/23/":              true,
		"/9223372036854775807/": true,
		"":                      false,
		"/":                     false,
		"//":                    false,
		"1/5/":                  false,
		"/1/5":                  false,
		"/1//5/":                false,
		"/01/":                  false,
		"/0/":                   false,
		"/-1/":                  false,
		"/+1/":                  false,
		"/a/":                   false,
		"/9223372036854775808/": false,
	} {
		require.Equal(t, want, org.ValidPath(p), "path %q", p)
	}
}

func TestChildPathBuildsFromRoot(t *testing.T) {
	t.Parallel()
	root := org.ChildPath("", 1)
	require.Equal(t, "/1/", root)
	require.Equal(t, "/1/5/", org.ChildPath(root, 5))
	ids, ok := org.PathIDs("/1/5/23/")
	require.True(t, ok)
	require.Equal(t, []int64{1, 5, 23}, ids)
}

func TestIsWithin_SubtreeIncludesItselfButNotSiblingsWithSharedDigits(t *testing.T) {
	t.Parallel()
	require.True(t, org.IsWithin("/1/5/", "/1/5/"))
	require.True(t, org.IsWithin("/1/5/23/", "/1/5/"))
	require.True(t, org.IsWithin("/1/5/23/", "/1/"))
	require.False(t, org.IsWithin("/1/50/", "/1/5/"))
	require.False(t, org.IsWithin("/1/", "/1/5/"))
	require.False(t, org.IsWithin("/2/5/", "/1/"))
	require.False(t, org.IsWithin("/1/5/", ""), "an empty scope grants nothing")
	require.False(t, org.IsWithin("/1/5/", "/"))
	require.False(t, org.IsWithin("", "/1/"))
}

func TestDepthParentAndUnitID(t *testing.T) {
	t.Parallel()
	require.Equal(t, 0, org.Depth("/1/"))
	require.Equal(t, 2, org.Depth("/1/5/23/"))
	require.Equal(t, -1, org.Depth("bad"))

	p, ok := org.Parent("/1/5/23/")
	require.True(t, ok)
	require.Equal(t, "/1/5/", p)
	_, ok = org.Parent("/1/")
	require.False(t, ok, "a root has no parent")
	_, ok = org.Parent("/1/5")
	require.False(t, ok)

	id, ok := org.UnitIDOf("/1/5/23/")
	require.True(t, ok)
	require.EqualValues(t, 23, id)
}

func TestRebase_MovesASubtreeUnderANewParent(t *testing.T) {
	t.Parallel()
	// Commune 23 with branch 40 moves from district 5 to district 7.
	oldPrefix := "/1/5/23/"
	newPrefix := org.ChildPath("/1/7/", 23)
	for path, want := range map[string]string{
		"/1/5/23/":    "/1/7/23/",
		"/1/5/23/40/": "/1/7/23/40/",
	} {
		got, err := org.Rebase(path, oldPrefix, newPrefix)
		require.NoError(t, err)
		require.Equal(t, want, got)
	}

	_, err := org.Rebase("/1/5/24/", oldPrefix, newPrefix)
	require.Error(t, err, "a path outside the moved subtree")
	_, err = org.Rebase("/1/5/23/", oldPrefix, "")
	require.Error(t, err)
}

func TestValidateMove_RejectsMovingAUnitIntoItsOwnSubtree(t *testing.T) {
	t.Parallel()
	require.NoError(t, org.ValidateMove("/1/5/23/", "/1/7/"))
	require.NoError(t, org.ValidateMove("/1/5/23/", "/1/"))

	for _, newParent := range []string{"/1/5/23/", "/1/5/23/40/"} {
		err := org.ValidateMove("/1/5/23/", newParent)
		var fe *org.FieldError
		require.ErrorAs(t, err, &fe, "new parent %s", newParent)
		require.Equal(t, "parent_code", fe.Field)
		require.NotEmpty(t, fe.Message)
		require.NotEmpty(t, fe.MessageEn)
	}

	require.Error(t, org.ValidateMove("", "/1/"))
}
