package main

import (
	"context"
	"database/sql"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"qianfa/models"
)

// floorRequest is the body of a floor step: the version the client saw and
// the state to move to.
type floorRequest struct {
	Version int64  `json:"version"`
	State   string `json:"state"`
}

// floorHandler is the floor of performance.md over HTTP: Echo, one JSON body,
// and in one transaction one guarded UPDATE of the report row and one INSERT
// of an audit row, through database/sql on the store's own pool (same DSN,
// same pool settings). Nothing else: no authentication, no reads, no GORM.
func floorHandler(store *models.Store) http.Handler {
	db := store.SQLDB()
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.POST("/floor/:id", func(c echo.Context) error {
		id, err := strconv.ParseInt(c.Param("id"), 10, 64)
		if err != nil {
			return echo.ErrNotFound
		}
		var req floorRequest
		if err := c.Bind(&req); err != nil {
			return err
		}
		ok, err := floorStep(c, db, id, req)
		if err != nil {
			return err
		}
		if !ok {
			// Each phase starts from the stored versions (storedVersions), so this
			// answers only a client that sent a wrong one: tell it the current version.
			var v int64
			_ = db.QueryRowContext(c.Request().Context(), "SELECT version FROM reports WHERE id = ?", id).Scan(&v)
			return c.JSON(http.StatusConflict, map[string]any{"version": v, "error": map[string]string{"code": "stale_version"}})
		}
		return c.JSON(http.StatusOK, map[string]int64{"id": id, "version": req.Version + 1})
	})
	return e
}

func floorStep(c echo.Context, db *sql.DB, id int64, req floorRequest) (bool, error) {
	ctx := c.Request().Context()
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return false, err
	}
	defer func() { _ = tx.Rollback() }()
	now := time.Now().UTC().Truncate(time.Microsecond)
	res, err := tx.ExecContext(ctx, "UPDATE reports SET state = ?, version = ?, updated_at = ? WHERE id = ? AND version = ?",
		req.State, req.Version+1, now, id, req.Version)
	if err != nil {
		return false, err
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		return false, err
	}
	_, err = tx.ExecContext(ctx, "INSERT INTO audit_events (chain, pos, at, action, report_id, from_state, to_state, comment, data, hash) "+
		"VALUES (?, ?, ?, 'floor', ?, '', ?, '', '', 'h')", "floor:"+strconv.FormatInt(id, 10), req.Version+1, now, id, req.State)
	if err != nil {
		return false, err
	}
	return true, tx.Commit()
}

// storedVersions reads the version of each report row in ids, in order.
func storedVersions(ctx context.Context, store *models.Store, ids []int64) ([]int64, error) {
	out := make([]int64, len(ids))
	for i, id := range ids {
		err := store.SQLDB().QueryRowContext(ctx, "SELECT version FROM reports WHERE id = ?", id).Scan(&out[i])
		if err != nil {
			return nil, fmt.Errorf("floor row %d: %w", id, err)
		}
	}
	return out, nil
}
