package main

import (
	"bytes"
	"fmt"
	"io"
	"net"
	"os"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

const (
	patternBytes = 1 << 20 // the period of every body (workload/net_body.h)
	// A request's limit, as the C client's: 5 x the latency + 4 s.
	requestTimeoutFactor = 5
	requestTimeoutSlack  = 4 * time.Second
	readBytes            = 4096
)

var (
	patternOnce sync.Once
	// pattern holds the 1 MiB pattern twice in a row, so that any window of up to one period
	// is one contiguous slice.
	pattern []byte
)

// bodyPattern makes the pattern as workload/net_body.c does: splitmix64 words from
// 0x6a09e667f3bcc908, little-endian.
func bodyPattern() []byte {
	patternOnce.Do(func() {
		pattern = make([]byte, 2*patternBytes)
		x := uint64(0x6a09e667f3bcc908)
		for i := 0; i < patternBytes; i += 8 {
			z := mix64(x)
			x += splitmixGamma
			for b := 0; b < 8; b++ {
				pattern[i+b] = byte(z >> (8 * b))
				pattern[patternBytes+i+b] = byte(z >> (8 * b))
			}
		}
	})
	return pattern
}

// bodyStart is where task's body starts in the pattern: an odd multiplier, so tasks below the
// period start at distinct offsets (32-bit arithmetic, as in C).
func bodyStart(task int) int {
	return int(uint32(task)*2654435761) % patternBytes
}

// bodyWindow is the expected bytes of task's body from offset on, at least n of them when
// n <= patternBytes.
func bodyWindow(task int, offset int64, n int) []byte {
	pos := (int64(bodyStart(task)) + offset) % patternBytes
	return bodyPattern()[pos : pos+int64(n)]
}

// netWork fetches one body per task from the server.
type netWork struct {
	srv     *aidServer
	kib     uint64
	timeout time.Duration
}

// setUpNet starts the state's server; every task's duration, for the ideal, is the latency.
func (st *state) setUpNet(bin string) error {
	raiseNofileLimit()
	bodyPattern()
	srv, err := startServer(bin, st.set.netLatencyMs)
	if err != nil {
		return err
	}
	latency := time.Duration(st.set.netLatencyMs) * time.Millisecond
	st.work = &netWork{srv: srv, kib: st.set.netKiB,
		timeout: requestTimeoutFactor*latency + requestTimeoutSlack}
	for i := range st.taskNs {
		st.taskNs[i] = latency.Nanoseconds()
	}
	st.bytesPerRun = uint64(st.tasks) * st.set.netKiB * 1024
	return nil
}

// runTask sends "GET <task> <kib> <token>\n" and checks the body byte by byte as it arrives
// (nothing to keep until the run ends). Its checksum is the bytes received.
func (w *netWork) runTask(task int) (uint64, error) {
	conn, err := net.DialTimeout("tcp", w.srv.addr, w.timeout)
	if err != nil {
		return 0, err
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(w.timeout))
	if _, err := fmt.Fprintf(conn, "GET %d %d %s\n", task, w.kib, w.srv.token); err != nil {
		return 0, err
	}
	want := int64(w.kib) * 1024
	var got int64
	buf := make([]byte, readBytes)
	for {
		n, err := conn.Read(buf)
		if got+int64(n) > want {
			return uint64(got), fmt.Errorf("a body longer than the %d bytes asked for", want)
		}
		if at := firstDifference(buf[:n], bodyWindow(task, got, n)); at >= 0 {
			return uint64(got), fmt.Errorf("body byte %d differs from the pattern", got+int64(at))
		}
		got += int64(n)
		if err == io.EOF {
			break
		}
		if err != nil {
			return uint64(got), err
		}
	}
	if got != want {
		return uint64(got), fmt.Errorf("a body of %d bytes, %d expected", got, want)
	}
	return uint64(got), nil
}

// firstDifference is the index of the first byte where a and b differ, -1 when they are equal.
func firstDifference(a, b []byte) int {
	if bytes.Equal(a, b) {
		return -1
	}
	i := 0
	for i < len(a) && a[i] == b[i] {
		i++
	}
	return i
}

func (w *netWork) expected(int) uint64 { return w.kib * 1024 }

func (w *netWork) check([]taskResult) {}

func (w *netWork) close() { w.srv.stop() }

// raiseNofileLimit lifts the soft limit of descriptors to the hard one: thousands of
// connections at once need them (best effort: fewer only means fewer connections).
func raiseNofileLimit() {
	var rl syscall.Rlimit
	if syscall.Getrlimit(syscall.RLIMIT_NOFILE, &rl) != nil {
		return
	}
	target := rl.Max
	if target == ^uint64(0) { // RLIM_INFINITY
		// The kernel refuses an unlimited soft limit: fs.nr_open is the real ceiling.
		target = 1 << 20
		if b, err := os.ReadFile("/proc/sys/fs/nr_open"); err == nil {
			if v, err := strconv.ParseUint(strings.TrimSpace(string(b)), 10, 64); err == nil {
				target = v
			}
		}
	}
	if rl.Cur < target {
		rl.Cur = target
		syscall.Setrlimit(syscall.RLIMIT_NOFILE, &rl)
	}
}
