package models

import (
	"context"

	"gorm.io/gorm"
)

// CreateUser inserts u and records user_create on its agency's chain.
func (s *Store) CreateUser(ctx context.Context, actor AuditActor, u *User) error {
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		e := agencyEvent(u.AgencyID, actor, ActionUserCreate, s.now(), nil)
		owner, err := s.lockOwner(tx, e)
		if err != nil {
			return err
		}
		if err := tx.Create(u).Error; err != nil {
			return err
		}
		e.Data = dataJSON(map[string]any{
			"user_id": u.ID, "username": u.Username, "roles": u.Roles, "active": u.Active,
		})
		return s.appendTo(tx, owner, e)
	})
	return translate(err, "用户")
}

// UserByID returns the user with that id.
func (s *Store) UserByID(ctx context.Context, id int64) (*User, error) {
	var u User
	return &u, translate(s.db.WithContext(ctx).Take(&u, id).Error, "用户")
}

// UserByUsername returns the user with that username.
func (s *Store) UserByUsername(ctx context.Context, username string) (*User, error) {
	var u User
	return &u, translate(s.db.WithContext(ctx).Where("username = ?", username).Take(&u).Error, "用户")
}

// ListUsers returns the users of agencyID (every user when 0), by username.
func (s *Store) ListUsers(ctx context.Context, agencyID int64) ([]User, error) {
	q := s.db.WithContext(ctx).Order("username")
	if agencyID != 0 {
		q = q.Where("agency_id = ?", agencyID)
	}
	var list []User
	return list, translate(q.Find(&list).Error, "用户")
}

// UserChanges are the fields UpdateUser may change; nil leaves a field as is.
type UserChanges struct {
	Name, Email  *string
	Roles        *RoleList
	Active       *bool
	PasswordHash *string
}

// UpdateUser applies ch to user id and records user_update on the user's
// agency chain (naming the changed fields, never the hash). Deactivating a
// user ends their sessions in the same transaction.
func (s *Store) UpdateUser(ctx context.Context, actor AuditActor, id int64, ch UserChanges) (*User, error) {
	var u User
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Take(&u, id).Error; err != nil {
			return err
		}
		e := agencyEvent(u.AgencyID, actor, ActionUserUpdate, s.now(), nil)
		owner, err := s.lockOwner(tx, e)
		if err != nil {
			return err
		}
		if err := s.lock(tx).Take(&u, id).Error; err != nil {
			return err
		}
		set, data := ch.apply(&u)
		if len(set) == 0 {
			return nil
		}
		if err := tx.Model(&u).Updates(set).Error; err != nil {
			return err
		}
		if ch.Active != nil && !*ch.Active {
			if err := tx.Where("user_id = ?", id).Delete(&Session{}).Error; err != nil {
				return err
			}
		}
		data["user_id"], data["username"] = u.ID, u.Username
		e.Data = dataJSON(data)
		return s.appendTo(tx, owner, e)
	})
	return &u, translate(err, "用户")
}

// apply sets the changed fields on u and returns the columns to update and
// the audit data describing the change.
func (ch UserChanges) apply(u *User) (map[string]any, map[string]any) {
	set, data := map[string]any{}, map[string]any{}
	if ch.Name != nil {
		u.Name, set["name"], data["name"] = *ch.Name, *ch.Name, *ch.Name
	}
	if ch.Email != nil {
		u.Email, set["email"], data["email"] = *ch.Email, *ch.Email, *ch.Email
	}
	if ch.Roles != nil {
		u.Roles, set["roles"], data["roles"] = *ch.Roles, *ch.Roles, *ch.Roles
	}
	if ch.Active != nil {
		u.Active, set["active"], data["active"] = *ch.Active, *ch.Active, *ch.Active
	}
	if ch.PasswordHash != nil {
		u.PasswordHash, set["password_hash"], data["password_changed"] = *ch.PasswordHash, *ch.PasswordHash, true
	}
	return set, data
}
