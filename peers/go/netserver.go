package main

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"time"
)

const (
	// The server answers a request of its own before it prints its address: the latency, then
	// some slack.
	serverStartSlack = 10 * time.Second
	// An idle server ends within milliseconds of its input's EOF; one still in its own test
	// request (a signal during set-up) would take up to the latency: killed instead, its own
	// server process dies with it (runner/aid.c).
	serverStopGrace = 300 * time.Millisecond
)

// aidServer is the C workloads' loopback server, run as `ptc-aid serve`: it serves until its
// standard input reaches EOF. That input is a pipe this process holds, so the server ends with
// this process however this one ends, even by SIGKILL.
type aidServer struct {
	cmd   *exec.Cmd
	stdin io.WriteCloser
	done  chan struct{} // closed once the server has exited
	addr  string        // "127.0.0.1:PORT"
	token string        // 16 lowercase hex digits
	once  sync.Once
}

// startServer starts the server and reads its "ADDR PORT TOKEN" line.
func startServer(bin string, latencyMs uint64) (*aidServer, error) {
	cmd := exec.Command(bin+"/ptc-aid", "serve", "--latency-ms", strconv.FormatUint(latencyMs, 10))
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("net server: %v", err)
	}
	s := &aidServer{cmd: cmd, stdin: stdin, done: make(chan struct{})}
	atExit(s.stop)
	startTimeout := time.Duration(latencyMs)*time.Millisecond + serverStartSlack
	lines := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(stdout).ReadString('\n')
		lines <- line
		io.Copy(io.Discard, stdout) // never let the server block on a full pipe
		cmd.Wait()
		close(s.done)
	}()
	select {
	case line := <-lines:
		err = s.parseReady(line)
	case <-time.After(startTimeout):
		err = fmt.Errorf("no address line within %v", startTimeout)
	}
	if err != nil {
		s.stop()
		return nil, fmt.Errorf("net server %s/ptc-aid serve: %v", bin, err)
	}
	return s, nil
}

// parseReady reads "ADDR PORT TOKEN\n", checking each part: a loopback address, a port, a token.
func (s *aidServer) parseReady(line string) error {
	f := strings.Fields(line)
	if !strings.HasSuffix(line, "\n") || len(f) != 3 {
		return fmt.Errorf("ended without its address line (got %q)", line)
	}
	ip := net.ParseIP(f[0])
	port, err := strconv.ParseUint(f[1], 10, 16)
	if ip == nil || !ip.IsLoopback() || err != nil || port == 0 || !isHexToken(f[2]) {
		return fmt.Errorf("unexpected address line %q", strings.TrimSpace(line))
	}
	s.addr = net.JoinHostPort(f[0], f[1])
	s.token = f[2]
	return nil
}

func isHexToken(s string) bool {
	if len(s) != 16 {
		return false
	}
	for _, c := range s {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}

// stop closes the server's input, which ends it, and kills it if it does not end at once.
// Idempotent.
func (s *aidServer) stop() {
	s.once.Do(func() {
		s.stdin.Close()
		select {
		case <-s.done:
		case <-time.After(serverStopGrace):
			s.cmd.Process.Kill()
			<-s.done
		}
	})
}
