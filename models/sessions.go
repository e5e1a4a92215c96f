package models

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"time"

	"qianfa/workflow"
)

// lastSeenEvery is how stale last_seen_at may get before a request refreshes
// it, so that not every authenticated request writes to the database.
const lastSeenEvery = time.Minute

// CreateSession starts a session of userID lasting ttl. It returns the bearer
// token and the CSRF token; only the token's SHA-256 is stored.
func (s *Store) CreateSession(ctx context.Context, userID int64, ttl time.Duration) (token, csrf string, err error) {
	token, csrf = randomToken(), randomToken()
	now := s.clock()
	sess := Session{
		TokenHash: TokenHash(token), UserID: userID, CSRFToken: csrf,
		CreatedAt: now, ExpiresAt: stamp(now.Add(ttl)), LastSeenAt: now,
	}
	if err := s.db.WithContext(ctx).Create(&sess).Error; err != nil {
		return "", "", translate(err, "用户")
	}
	return token, csrf, nil
}

// SessionByToken returns the session of token and its user. A missing or
// expired session, or an inactive user, is KindUnauthenticated.
func (s *Store) SessionByToken(ctx context.Context, token string) (*Session, *User, error) {
	// One statement for both: a session without its user is no session.
	sess, u, err := s.sessionWithUser(ctx, TokenHash(token))
	if err != nil {
		return nil, nil, unauthenticated(err)
	}
	return s.liveSession(ctx, sess, u)
}

// SessionAndReport is SessionByToken that also reads report reportID (content
// included) and its agency in the same statement, for the requests about one
// report: one round trip instead of two. The report is nil when there is no
// such report; it is only read, never shown: the caller still checks that
// the session's user may see it.
func (s *Store) SessionAndReport(ctx context.Context, token string, reportID int64) (*Session, *User, *Report, *Agency, error) {
	var (
		sess Session
		u    User
		r    Report
		a    Agency
	)
	dest := append(append(append(sessionDest(&sess), userDest(&u)...), reportDest(&r, true)...), agencyDest(&a)...)
	err := s.readRow(ctx, sessionAndReportSQL, []any{reportID, TokenHash(token)}, dest...)
	if errors.Is(err, sql.ErrNoRows) { // no such session, or no such report
		sess, u, err := s.SessionByToken(ctx, token)
		return sess, u, nil, nil, err
	}
	if err != nil {
		return nil, nil, nil, nil, translate(err, "会话")
	}
	sess.utc()
	u.CreatedAt, u.UpdatedAt = u.CreatedAt.UTC(), u.UpdatedAt.UTC()
	r.utc()
	a.utc()
	live, user, err := s.liveSession(ctx, &sess, &u)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	return live, user, &r, &a, nil
}

// liveSession refuses an expired session or an inactive user and refreshes
// last_seen_at when it is stale.
func (s *Store) liveSession(ctx context.Context, sess *Session, u *User) (*Session, *User, error) {
	now := s.clock()
	if !now.Before(sess.ExpiresAt) || !u.Active {
		return nil, nil, workflow.ErrUnauthenticated()
	}
	if now.Sub(sess.LastSeenAt) >= lastSeenEvery {
		sess.LastSeenAt = now
		err := s.db.WithContext(ctx).Model(sess).Update("last_seen_at", now).Error
		if err != nil {
			return nil, nil, translate(err, "会话")
		}
	}
	return sess, u, nil
}

// DeleteSession ends the session of token (logout); an unknown token is not
// an error.
func (s *Store) DeleteSession(ctx context.Context, token string) error {
	err := s.db.WithContext(ctx).Where("token_hash = ?", TokenHash(token)).Delete(&Session{}).Error
	return translate(err, "会话")
}

// DeleteUserSessions ends every session of userID.
func (s *Store) DeleteUserSessions(ctx context.Context, userID int64) error {
	return translate(s.db.WithContext(ctx).Where("user_id = ?", userID).Delete(&Session{}).Error, "会话")
}

// DeleteExpiredSessions removes sessions that expired before now and returns
// how many; run it now and then.
func (s *Store) DeleteExpiredSessions(ctx context.Context) (int64, error) {
	res := s.db.WithContext(ctx).Where("expires_at <= ?", s.clock()).Delete(&Session{})
	return res.RowsAffected, translate(res.Error, "会话")
}

// TokenHash is the stored form of a session token: SHA-256, hex.
func TokenHash(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// randomToken returns 32 random bytes, base64url without padding.
func randomToken() string {
	var b [32]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails (Go 1.24+)
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// unauthenticated maps a missing session or user to KindUnauthenticated and
// keeps other errors (database down) as they are.
func unauthenticated(err error) error {
	err = translate(err, "会话")
	if workflow.KindOf(err) == workflow.KindNotFound {
		return workflow.ErrUnauthenticated().WithCause(err)
	}
	return err
}
