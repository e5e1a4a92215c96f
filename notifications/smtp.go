package notifications

import (
	"context"
	"crypto/tls"
	"fmt"
	"net/mail"
	"time"

	gomail "github.com/wneessen/go-mail"
)

// SMTPConfig is the smtp.* configuration.
type SMTPConfig struct {
	Host     string
	Port     int    // 0: 587 for starttls, 465 for tls, 25 for none
	Username string // "" sends without authentication
	Password string
	From     string // "签发系统 <noreply@example.gov.cn>" or a bare address
	TLS      string // "starttls" (default), "tls" or "none"
	Timeout  time.Duration
	// TLSConfig replaces the system roots and server name check, e.g. for a private
	// CA; nil uses the defaults.
	TLSConfig *tls.Config
}

// SMTPSender sends through an SMTP server with go-mail.
type SMTPSender struct {
	cfg  SMTPConfig
	from *mail.Address
}

// NewSMTPSender checks the configuration; it does not connect.
func NewSMTPSender(cfg SMTPConfig) (*SMTPSender, error) {
	if cfg.Host == "" {
		return nil, fmt.Errorf("notifications: smtp.host is empty")
	}
	from, err := mail.ParseAddress(cfg.From)
	if err != nil {
		return nil, fmt.Errorf("notifications: smtp.from %q: %w", cfg.From, err)
	}
	if cfg.TLS == "" {
		cfg.TLS = "starttls"
	}
	if _, ok := defaultPorts[cfg.TLS]; !ok {
		return nil, fmt.Errorf("notifications: smtp.tls %q is not starttls, tls or none", cfg.TLS)
	}
	if cfg.Port == 0 {
		cfg.Port = defaultPorts[cfg.TLS]
	}
	if cfg.Timeout == 0 {
		cfg.Timeout = 30 * time.Second
	}
	return &SMTPSender{cfg: cfg, from: from}, nil
}

var defaultPorts = map[string]int{"starttls": 587, "tls": 465, "none": 25}

// Send delivers m over one SMTP connection, with the Message-ID set explicitly.
func (s *SMTPSender) Send(ctx context.Context, m Message) error {
	msg, err := s.message(m)
	if err != nil {
		return err
	}
	client, err := gomail.NewClient(s.cfg.Host, s.options()...)
	if err != nil {
		return fmt.Errorf("notifications: smtp client: %w", err)
	}
	if err := client.DialAndSendWithContext(ctx, msg); err != nil {
		return fmt.Errorf("notifications: send %s: %w", m.MessageID, err)
	}
	return nil
}

func (s *SMTPSender) options() []gomail.Option {
	opts := []gomail.Option{gomail.WithPort(s.cfg.Port), gomail.WithTimeout(s.cfg.Timeout)}
	switch s.cfg.TLS {
	case "tls":
		opts = append(opts, gomail.WithSSL())
	case "none":
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	default:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	}
	if s.cfg.TLSConfig != nil {
		opts = append(opts, gomail.WithTLSConfig(s.cfg.TLSConfig))
	}
	if s.cfg.Username != "" {
		// PLAIN is refused by go-mail on an unencrypted connection except to
		// localhost, so "none" with a password only works with a local relay.
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthPlain),
			gomail.WithUsername(s.cfg.Username), gomail.WithPassword(s.cfg.Password))
	}
	return opts
}

func (s *SMTPSender) message(m Message) (*gomail.Msg, error) {
	msg := gomail.NewMsg()
	if err := msg.FromFormat(s.from.Name, s.from.Address); err != nil {
		return nil, fmt.Errorf("notifications: from: %w", err)
	}
	if err := msg.AddToFormat(oneLine(m.To.Name), m.To.Email); err != nil {
		return nil, fmt.Errorf("notifications: to %q: %w", m.To.Email, err)
	}
	msg.Subject(oneLine(m.Subject))
	msg.SetMessageIDWithValue(m.MessageID)
	msg.SetDate()
	msg.SetGenHeader(gomail.Header("Auto-Submitted"), "auto-generated")
	msg.SetBodyString(gomail.TypeTextPlain, m.Text)
	msg.AddAlternativeString(gomail.TypeTextHTML, m.HTML)
	return msg, nil
}
