package models

import (
	"context"
	"errors"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"
)

// maxUsernameBytes bounds what a failed login stores of an arbitrary
// username (the column holds 255 characters).
const maxUsernameBytes = 255

// RecordLogin records a successful login of u from ip on u's agency chain.
func (s *Store) RecordLogin(ctx context.Context, u *User, ip string, at time.Time) error {
	e := agencyEvent(u.AgencyID, u.AuditActor(), ActionLogin, at, map[string]any{"ip": ip})
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		return s.appendLocked(tx, e)
	})
	return translate(err, "单位")
}

// RecordLoginFailure counts a failed login for username from ip. When the
// username belongs to a user, login_failed is also appended to that user's
// agency chain in the same transaction. An unknown username is only counted:
// it has no agency chain, and writing guessed names into some chain would let
// anyone grow the audit log; login_failures keeps the attempt and its ip.
func (s *Store) RecordLoginFailure(ctx context.Context, username, ip string, at time.Time) error {
	username = truncateUTF8(username, maxUsernameBytes)
	at = stamp(at)
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var u User
		err := tx.Select("id", "agency_id", "username").Where("username = ?", username).Take(&u).Error
		if err != nil && !errors.Is(err, gorm.ErrRecordNotFound) {
			return err
		}
		if err == nil {
			actor := AuditActor{ID: u.ID, Username: u.Username}
			e := agencyEvent(u.AgencyID, actor, ActionLoginFailed, at, map[string]any{"ip": ip})
			if err := s.appendLocked(tx, e); err != nil {
				return err
			}
		}
		return tx.Create(&LoginFailure{Username: username, At: at, IP: truncateUTF8(ip, 64)}).Error
	})
	return translate(err, "登录记录")
}

// CountLoginFailures returns the failed logins of username at or after since.
func (s *Store) CountLoginFailures(ctx context.Context, username string, since time.Time) (int64, error) {
	var n int64
	err := s.db.WithContext(ctx).Model(&LoginFailure{}).
		Where("username = ? AND at >= ?", truncateUTF8(username, maxUsernameBytes), stamp(since)).Count(&n).Error
	return n, translate(err, "登录记录")
}

// DeleteLoginFailures forgets the failures of username (after a successful
// login) and returns how many there were.
func (s *Store) DeleteLoginFailures(ctx context.Context, username string) (int64, error) {
	res := s.db.WithContext(ctx).Where("username = ?", truncateUTF8(username, maxUsernameBytes)).Delete(&LoginFailure{})
	return res.RowsAffected, translate(res.Error, "登录记录")
}

// truncateUTF8 cuts s to at most n bytes without splitting a character.
func truncateUTF8(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
