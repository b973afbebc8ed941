//go:build !linux

package load

// Event loops are Linux's (epoll); elsewhere the workers send every hit.

type evLoop struct{}

func (d *dispatcher) runLoops(int) bool { return false }

func (d *dispatcher) wakeLoops() {}
