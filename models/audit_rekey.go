package models

import (
	"context"
	"strings"

	"gorm.io/gorm"

	"qianfa/audit"
	"qianfa/workflow"
)

// rekeyBatch is how many events RekeyAudit re-signs per query.
const rekeyBatch = 2000

// RekeyAudit rotates the audit key: it verifies the whole log with oldKey, then, in one
// transaction that holds every chain owner's row, signs every event again with newKey
// (same positions, same links) and stores the new chain heads. A log that does not verify
// under oldKey is refused: re-signing it would hide the tampering. The store signs new
// events with newKey afterwards. Run it with the servers stopped.
func (s *Store) RekeyAudit(ctx context.Context, oldKey, newKey []byte) (audit.Result, error) {
	res, err := s.VerifyAudit(ctx, oldKey)
	if err != nil {
		return res, err
	}
	if !res.OK {
		return res, workflow.Errorf(workflow.KindConflict, "audit_tampered",
			"审计日志校验未通过（seq=%d：%s），不能更换密钥", res.FirstBadSeq, res.Reason)
	}
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		// Holding every owner row keeps writers out while the chains are re-signed.
		var ids []int64
		for _, table := range []string{"agencies", "reports"} {
			if err := s.lock(tx.Table(table)).Pluck("id", &ids).Error; err != nil {
				return err
			}
		}
		heads, err := s.resign(tx, newKey)
		if err != nil {
			return err
		}
		return storeHeads(tx, heads)
	})
	if err != nil {
		return res, translate(err, "审计链")
	}
	s.auditKey = append([]byte(nil), newKey...)
	return s.VerifyAudit(ctx, newKey)
}

// resign signs every event again with key, in seq order, and returns the chain heads.
func (s *Store) resign(tx *gorm.DB, key []byte) (map[string]audit.Head, error) {
	heads := map[string]audit.Head{}
	var after int64
	for {
		var rows []auditRow
		if err := tx.Where("id > ?", after).Order("id").Limit(rekeyBatch).Find(&rows).Error; err != nil {
			return nil, err
		}
		for _, r := range rows {
			e := r.event()
			heads[e.Chain] = audit.Next(key, heads[e.Chain], &e)
			if err := tx.Exec("UPDATE audit_events SET prev_hash = ?, hash = ? WHERE id = ?", e.PrevHash, e.Hash, e.Seq).Error; err != nil {
				return nil, err
			}
			after = r.ID
		}
		if len(rows) < rekeyBatch {
			return heads, nil
		}
	}
}

func storeHeads(tx *gorm.DB, heads map[string]audit.Head) error {
	for chain, h := range heads {
		table, id, ok := strings.Cut(chain, ":")
		if !ok || (table != "agency" && table != "report") {
			continue
		}
		owner := map[string]string{"agency": "agencies", "report": "reports"}[table]
		err := tx.Exec("UPDATE "+owner+" SET audit_head = ? WHERE id = ? AND audit_count = ?", h.Hash, id, h.Count).Error
		if err != nil {
			return err
		}
	}
	return nil
}
