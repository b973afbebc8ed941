package delivery

import (
	"context"
	"time"
)

// Later is a Sender that hands each message to Sender After its Send returns, in the
// background, as a mail queue or an SMS gateway does: the documents say a code is sent, not
// when it arrives, so a target that answers first and delivers a moment later conforms.
// conform's tests use it to show that specs wait for such a code. A failed delivery goes to
// Logf (nil drops it).
type Later struct {
	Sender Sender
	After  time.Duration
	Logf   func(format string, args ...any)
}

var _ Sender = Later{}

// Send queues m and returns at once; it is sent After from now, even if ctx ends first.
func (l Later) Send(ctx context.Context, m Message) error {
	ctx = context.WithoutCancel(ctx)
	time.AfterFunc(l.After, func() {
		if err := l.Sender.Send(ctx, m); err != nil && l.Logf != nil {
			l.Logf("%v", err)
		}
	})
	return nil
}
