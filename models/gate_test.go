package models

import (
	"context"
	"errors"
	"slices"
	"testing"
	"testing/synctest"
)

// TestGateServesWaitersInOrder: with the one place taken, waiters that came
// one after another get it in the order they came.
func TestGateServesWaitersInOrder(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		g := newGate(1)
		if err := g.enter(context.Background()); err != nil {
			t.Fatal(err)
		}
		var order []int
		for i := range 8 {
			go func() {
				if err := g.enter(context.Background()); err != nil {
					t.Error(err)
					return
				}
				order = append(order, i)
				g.leave()
			}()
			synctest.Wait() // waiter i is blocked before i+1 starts
		}
		g.leave()
		synctest.Wait()
		if want := []int{0, 1, 2, 3, 4, 5, 6, 7}; !slices.Equal(order, want) {
			t.Errorf("served %v, want %v", order, want)
		}
	})
}

// TestGateWaitEndsWithTheContext: a waiter whose request ends leaves without
// taking a place, so the gate does not shrink.
func TestGateWaitEndsWithTheContext(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		g := newGate(2)
		for range 2 {
			if err := g.enter(context.Background()); err != nil {
				t.Fatal(err)
			}
		}
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error)
		go func() { done <- g.enter(ctx) }()
		synctest.Wait()
		cancel()
		if err := <-done; !errors.Is(err, context.Canceled) {
			t.Fatalf("enter after cancel = %v, want context.Canceled", err)
		}
		g.leave()
		g.leave()
		for range 2 {
			if err := g.enter(context.Background()); err != nil {
				t.Fatal(err)
			}
		}
		if len(g) != 2 || cap(g) != 2 {
			t.Errorf("gate holds %d of %d", len(g), cap(g))
		}
	})
}
