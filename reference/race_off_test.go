//go:build !race

package reference

// raceDetector is true when the tests run under the race detector (see skipBcryptBound).
const raceDetector = false
