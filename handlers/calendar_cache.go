package handlers

import (
	"context"
	"sync"
	"time"

	"qianfa/calendar"
)

// calendarTTL is how long a replica keeps the admin's holiday overrides before reading
// them again, so a change made on one replica reaches every page within a minute.
const calendarTTL = time.Minute

// calendarCache holds the working-day calendar with the database overrides applied. It
// caches configuration for display (deadlines, working days left); no decision is taken
// from it.
type calendarCache struct {
	mu     sync.Mutex
	cal    *calendar.Calendar
	loaded time.Time
}

// workdays is the calendar pages and the API count working days with: the built-in
// holidays, the override file, and the overrides in the database. If the database cannot
// be read, the last calendar (or the one without database overrides) is used.
func (s *Server) workdays() *calendar.Calendar {
	s.calCache.mu.Lock()
	defer s.calCache.mu.Unlock()
	now := time.Now()
	if s.calCache.cal != nil && now.Sub(s.calCache.loaded) < calendarTTL {
		return s.calCache.cal
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	cal, err := s.calendarWithOverrides(ctx)
	if err != nil {
		if s.calCache.cal != nil {
			return s.calCache.cal
		}
		return s.cal
	}
	s.calCache.cal, s.calCache.loaded = cal, now
	return cal
}

// forgetCalendar makes the next workdays call read the overrides again (after an edit).
func (s *Server) forgetCalendar() {
	s.calCache.mu.Lock()
	s.calCache.cal = nil
	s.calCache.mu.Unlock()
}
