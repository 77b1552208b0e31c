package main

import (
	"fmt"
	"os"
	"syscall"
	"time"
	"unsafe"
)

// progress is the "[k/n] ..." line on stderr, on a terminal only: a log file should not fill
// with carriage returns.
type progress struct{ on bool }

func newProgress(wanted bool) progress {
	return progress{on: wanted && isTerminal(os.Stderr)}
}

func (p progress) show(done, total int, started time.Time, c *config, warm bool) {
	if !p.on {
		return
	}
	elapsed := time.Since(started)
	left := "?"
	if done > 0 {
		left = (elapsed / time.Duration(done) * time.Duration(total-done)).Round(time.Millisecond).String()
	}
	phase := "run"
	if warm {
		phase = "warm-up"
	}
	fmt.Fprintf(os.Stderr, "\r\033[K[%d/%d] %s %s  elapsed %v, ~%s left", done+1, total, phase,
		c.name(), elapsed.Round(time.Millisecond), left)
}

func (p progress) clear() {
	if p.on {
		fmt.Fprint(os.Stderr, "\r\033[K")
	}
}

// isTerminal is isatty(3): the TCGETS ioctl succeeds on a terminal only.
func isTerminal(f *os.File) bool {
	var t syscall.Termios
	_, _, errno := syscall.Syscall(syscall.SYS_IOCTL, f.Fd(), syscall.TCGETS,
		uintptr(unsafe.Pointer(&t)))
	return errno == 0
}
