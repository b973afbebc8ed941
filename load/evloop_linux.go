//go:build linux

package load

import (
	"runtime"
	"sync"
	"syscall"
	"time"
	"unsafe"
)

// Why event loops: with a goroutine per connection, each answer wakes its goroutine through
// the runtime's poller and scheduler, and on a machine where the generator and the server
// share the cores that hand-off left about an eighth of the CPU idle between them and cost
// the server more per answer (measured against a bare handler on 2 cores: wrk 0.95 of the
// CPU busy, conform 0.88; the server 9.3 µs per answer under wrk, 10.4 under conform). wrk
// runs one epoll loop per thread, each answering every connection that is ready in one
// wake-up. So does conform when every hit goes over the fast transport on Linux: a loop per
// processor, locked to its thread, each with its share of the connections, taking hits from
// the same schedule as the workers would and judging every answer with the same reader.
//
// What stays as the workers have it: a hit is taken only when a connection is free for it
// (one idle, or one more may be opened), waits until it is due, and is timed from then; a
// connection is dialed (and its TLS handshake made) on its own goroutine, for the hit that
// asked for it, with the same dialer, TLS configuration and session cache; a request bounded
// by the timeout from its start to its answer's last byte; a request on a kept-alive
// connection the server had closed sent once more on a new one; the same error texts.

// runLoops sends the hits from event loops when every target goes over the fast transport,
// and reports whether it did; otherwise the workers send them.
func (d *dispatcher) runLoops(workers int) bool {
	if d.fast == nil || d.workersOnly {
		return false
	}
	for i := range d.targets {
		if d.targets[i].wire == nil {
			return false
		}
	}
	conns := min(workers, cap(d.fast.slots))
	// A loop per processor, each with four connections at least.
	n := max(1, min(runtime.GOMAXPROCS(0), conns/4))
	loops := make([]*evLoop, 0, n)
	for i := range n {
		l, err := newEvLoop(d, conns/n+btoi(i < conns%n))
		if err != nil {
			for _, l := range loops {
				l.close()
			}
			return false // no epoll here: the workers send
		}
		loops = append(loops, l)
	}
	// The pool's connections (the setup's logins) are not the loops': close them, so that no
	// more than Connections are open.
	d.fast.CloseIdleConnections()
	d.loopsMu.Lock()
	d.loops = loops
	stopped := d.stopped()
	d.loopsMu.Unlock()
	if stopped {
		d.wakeLoops()
	}
	var wg sync.WaitGroup
	for _, l := range loops {
		wg.Go(l.run)
	}
	wg.Wait()
	return true
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// wakeLoops wakes every loop from its wait, to see that Stop came.
func (d *dispatcher) wakeLoops() {
	d.loopsMu.Lock()
	defer d.loopsMu.Unlock()
	for _, l := range d.loops {
		l.poke()
	}
}

// evLoop is one event loop: its connections, the hit it holds until it is due, the hits
// waiting for a connection being dialed for them, and the answers in flight.
type evLoop struct {
	d      *dispatcher
	ep     int // epoll
	wake   int // eventfd: a dial finished, or Stop
	max    int // connections it may have open or being dialed
	open   int
	byFD   []*evConn
	idle   []*evConn
	flight deadlines
	events []syscall.EpollEvent

	pend     hit
	havePend bool
	pendDue  time.Duration
	drained  bool  // no more hits to take
	dialing  []hit // one per dial under way, in the order started

	noPwait2 bool // the kernel has no epoll_pwait2

	mu     sync.Mutex // guards inbox, closed and writing to wake, against the dialing goroutines and Stop
	inbox  []dialed
	closed bool
}

// dialed is what a dial gives the loop.
type dialed struct {
	c   *evConn
	err error
}

func newEvLoop(d *dispatcher, max int) (*evLoop, error) {
	ep, err := syscall.EpollCreate1(syscall.EPOLL_CLOEXEC)
	if err != nil {
		return nil, err
	}
	wake, _, errno := syscall.RawSyscall(syscall.SYS_EVENTFD2, 0, syscall.O_NONBLOCK|syscall.O_CLOEXEC, 0)
	if errno != 0 {
		syscall.Close(ep)
		return nil, errno
	}
	l := &evLoop{d: d, ep: ep, wake: int(wake), max: max, events: make([]syscall.EpollEvent, 128)}
	if err := syscall.EpollCtl(ep, syscall.EPOLL_CTL_ADD, l.wake, &syscall.EpollEvent{Events: syscall.EPOLLIN, Fd: int32(l.wake)}); err != nil {
		l.close()
		return nil, err
	}
	return l, nil
}

// poke wakes the loop from its wait; once the loop closed, its eventfd's number may be
// another file's, so nothing is written.
func (l *evLoop) poke() {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.closed {
		one := uint64(1)
		syscall.Write(l.wake, (*[8]byte)(unsafe.Pointer(&one))[:])
	}
}

// close closes the loop's connections and its own descriptors; a dial that finishes later
// closes its connection itself.
func (l *evLoop) close() {
	l.mu.Lock()
	l.closed = true
	syscall.Close(l.wake)
	l.mu.Unlock()
	for _, c := range l.byFD {
		if c != nil {
			c.close()
		}
	}
	syscall.Close(l.ep)
}

func (l *evLoop) run() {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	// The kernel may end a wait up to the thread's timer slack late (50 µs by default): a
	// hit is due at its time, so this thread asks for none.
	syscall.RawSyscall(syscall.SYS_PRCTL, syscall.PR_SET_TIMERSLACK, 1, 0)
	defer l.close()
	for {
		now := time.Now()
		l.take(now)
		if l.drained && !l.havePend && len(l.dialing) == 0 && l.flight.busy == 0 {
			return
		}
		n := l.wait(l.timeout(now))
		for _, ev := range l.events[:n] {
			if int(ev.Fd) == l.wake {
				l.drainWake()
				continue
			}
			if c := l.conn(int(ev.Fd)); c != nil {
				l.ready(c, ev.Events)
			}
		}
		l.expire(time.Now())
	}
}

// take takes hits while a connection is free for them, and sends those due.
func (l *evLoop) take(now time.Time) {
	d := l.d
	for {
		if d.stopped() {
			// A hit taken and due before Stop still goes out, as the workers do.
			if l.havePend && l.pendDue > time.Duration(d.stopAt.Load()) {
				l.havePend = false
			}
			l.drained = true
		}
		if !l.havePend {
			if l.drained || (len(l.idle) == 0 && l.open >= l.max) {
				return
			}
			seq := d.next.Add(1) - 1
			due := d.sched.due(seq)
			if due > d.du {
				l.drained = true
				return
			}
			l.pend, l.havePend, l.pendDue = hit{seq: seq, target: int(seq % uint64(len(d.targets)))}, true, due
		}
		if now.Sub(d.start) < l.pendDue {
			return // not due yet: the wait ends when it is
		}
		if now.Sub(d.start) > d.bound {
			l.havePend, l.drained = false, true
			return
		}
		l.pend.sent = now
		l.havePend = false
		if n := len(l.idle); n > 0 {
			c := l.idle[n-1]
			l.idle = l.idle[:n-1]
			l.send(c, l.pend, false)
		} else {
			l.dial(l.pend)
		}
		now = time.Now()
	}
}

// dial opens a connection for h on a goroutine of its own.
func (l *evLoop) dial(h hit) {
	l.open++
	l.dialing = append(l.dialing, h)
	deadline := h.sent.Add(l.d.fast.timeout)
	go func() {
		c, err := l.d.fast.dialLoop(deadline)
		l.mu.Lock()
		if l.closed {
			l.mu.Unlock()
			if c != nil {
				c.close()
			}
			return
		}
		l.inbox = append(l.inbox, dialed{c, err})
		l.mu.Unlock()
		l.poke()
	}()
}

// drainWake takes what the dials gave: each connection goes to the hit that asked for it.
func (l *evLoop) drainWake() {
	var b [8]byte
	syscall.Read(l.wake, b[:])
	l.mu.Lock()
	got := l.inbox
	l.inbox = nil
	l.mu.Unlock()
	for _, r := range got {
		h := l.dialing[0]
		l.dialing = l.dialing[1:]
		if r.err != nil {
			l.open--
			h.latency = time.Since(h.sent)
			h.err = l.urlError(&h, r.err)
			l.d.handle(&h)
			continue
		}
		if err := l.add(r.c); err != nil {
			r.c.close()
			l.open--
			h.latency = time.Since(h.sent)
			h.err = l.urlError(&h, err)
			l.d.handle(&h)
			continue
		}
		l.send(r.c, h, h.retried)
	}
}

// add registers c with the loop.
func (l *evLoop) add(c *evConn) error {
	if err := syscall.EpollCtl(l.ep, syscall.EPOLL_CTL_ADD, c.fd, &syscall.EpollEvent{Events: syscall.EPOLLIN | syscall.EPOLLRDHUP, Fd: int32(c.fd)}); err != nil {
		return err
	}
	for c.fd >= len(l.byFD) {
		l.byFD = append(l.byFD, nil)
	}
	l.byFD[c.fd] = c
	return nil
}

func (l *evLoop) conn(fd int) *evConn {
	if fd < 0 || fd >= len(l.byFD) {
		return nil
	}
	return l.byFD[fd]
}

// discard closes c and forgets it.
func (l *evLoop) discard(c *evConn) {
	if c.busy {
		c.busy = false
		l.flight.busy--
	}
	if i := indexOf(l.idle, c); i >= 0 {
		l.idle = append(l.idle[:i], l.idle[i+1:]...)
	}
	syscall.EpollCtl(l.ep, syscall.EPOLL_CTL_DEL, c.fd, nil)
	l.byFD[c.fd] = nil
	c.close()
	l.open--
}

func indexOf(cs []*evConn, c *evConn) int {
	for i, x := range cs {
		if x == c {
			return i
		}
	}
	return -1
}

// timeout is how long the loop may wait: until the hit it holds is due, or the first answer
// in flight runs out of time; -1 for as long as it takes.
func (l *evLoop) timeout(now time.Time) time.Duration {
	t := time.Duration(-1)
	if l.havePend {
		t = max(0, l.pendDue-now.Sub(l.d.start))
	}
	if dl, ok := l.flight.first(); ok {
		if w := max(0, dl.Sub(now)); t < 0 || w < t {
			t = w
		}
	}
	return t
}

// wait waits on epoll up to t, to the nanosecond where the kernel has epoll_pwait2 (else
// rounded up to the millisecond); t < 0 waits for as long as it takes.
func (l *evLoop) wait(t time.Duration) int {
	for {
		var (
			n     uintptr
			errno syscall.Errno
		)
		ev := uintptr(unsafe.Pointer(&l.events[0]))
		switch {
		case t == 0: // a look, not a wait: no need to tell the scheduler
			n, _, errno = syscall.RawSyscall6(syscall.SYS_EPOLL_PWAIT, uintptr(l.ep), ev, uintptr(len(l.events)), 0, 0, 0)
		case t > 0 && !l.noPwait2:
			ts := syscall.NsecToTimespec(int64(t))
			n, _, errno = syscall.Syscall6(sysEpollPwait2, uintptr(l.ep), ev, uintptr(len(l.events)), uintptr(unsafe.Pointer(&ts)), 0, 0)
			if errno == syscall.ENOSYS {
				l.noPwait2 = true
				continue
			}
		default:
			ms := -1
			if t > 0 {
				ms = int((t + time.Millisecond - 1) / time.Millisecond)
			}
			n, _, errno = syscall.Syscall6(syscall.SYS_EPOLL_PWAIT, uintptr(l.ep), ev, uintptr(len(l.events)), uintptr(ms), 0, 0)
		}
		switch errno {
		case 0:
			return int(n)
		case syscall.EINTR:
			continue
		}
		return 0
	}
}

// expire fails the answers in flight whose time ran out.
func (l *evLoop) expire(now time.Time) {
	for {
		c, ok := l.flight.expired(now)
		if !ok {
			return
		}
		op := "read"
		if c.pending() {
			op = "write"
		}
		l.fail(c, c.opError(op, errDeadline))
	}
}
