package notifications

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/url"
)

// Message is one e-mail as a Sender sends it.
type Message struct {
	MessageID string // without angle brackets
	To        Recipient
	Subject   string
	Text      string
	HTML      string
}

// MessageOf is the message of a planned notification.
func MessageOf(n Notification) Message {
	return Message{MessageID: n.MessageID, To: n.Recipient, Subject: n.Subject, Text: n.Text, HTML: n.HTML}
}

// Sender delivers a message. An error means it was not delivered and may be retried.
type Sender interface {
	Send(ctx context.Context, m Message) error
}

// ErrKept is returned by OutboxOnly: the message stays in the outbox, unsent.
var ErrKept = errors.New("notifications: no SMTP server configured, message kept in the outbox")

// OutboxOnly is the Sender used when no SMTP server is configured (the default):
// it sends nothing, and the Dispatcher marks the message kept, for the 发件箱 page.
type OutboxOnly struct{}

// Send returns ErrKept.
func (OutboxOnly) Send(context.Context, Message) error { return ErrKept }

// MessageID derives the Message-ID of a dedupe key: the SHA-256 of the key at the
// host of baseURL ("qianfa" without one). It reveals nothing of the key and stays
// the same when a message is sent again after a crash, so receivers can drop it.
func MessageID(dedupeKey, baseURL string) string {
	host := "qianfa"
	if u, err := url.Parse(baseURL); err == nil && u.Hostname() != "" {
		host = u.Hostname()
	}
	sum := sha256.Sum256([]byte(dedupeKey))
	return hex.EncodeToString(sum[:]) + "@" + host
}
