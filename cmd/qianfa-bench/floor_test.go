package main

import (
	"context"
	"slices"
	"strings"
	"testing"

	"qianfa/models"
	"qianfa/models/modelstest"
)

// TestStoredVersions: each floor phase starts from the versions as stored,
// also when a request of the phase before was committed without its answer.
func TestStoredVersions(t *testing.T) {
	modelstest.ForEachDB(t, func(t *testing.T, s *models.Store) {
		ctx := context.Background()
		draft, _, err := yearContent(dueYear())
		if err != nil {
			t.Fatal(err)
		}
		ids, err := seedFloor(ctx, s, 3, draft)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.SQLDB().ExecContext(ctx, "UPDATE reports SET version = 7 WHERE id = ?", ids[1]); err != nil {
			t.Fatal(err)
		}
		got, err := storedVersions(ctx, s, ids)
		if err != nil {
			t.Fatal(err)
		}
		if want := []int64{1, 7, 1}; !slices.Equal(got, want) {
			t.Fatalf("versions %v, want %v", got, want)
		}
		_, err = storedVersions(ctx, s, []int64{ids[0], 999999})
		if err == nil || !strings.Contains(err.Error(), "floor row 999999") {
			t.Fatalf("missing row: error %v", err)
		}
	})
}
