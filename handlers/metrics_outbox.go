package handlers

import (
	"context"
	"math"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"qianfa/models"
)

// RegisterOutbox adds qianfa_outbox_failed_messages, the outbox rows that ran
// out of attempts, read by failed at every scrape.
func (m *Metrics) RegisterOutbox(failed func() float64) {
	m.Registry.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "qianfa_outbox_failed_messages",
		Help: "Outbox messages that were not delivered after every attempt (see the 发件箱 page).",
	}, failed))
}

// failedOutbox counts the failed outbox rows; NaN when the database does not answer.
func (s *Server) failedOutbox() float64 {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	counts, err := s.store.OutboxCounts(ctx)
	if err != nil {
		return math.NaN()
	}
	return float64(counts[models.OutboxFailed])
}
