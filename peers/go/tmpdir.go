package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
)

const tmpStem = "ptc-go." // the folder is <base>/ptc-go.<pid>.<random>

// privateDir is the program's temporary folder: made once, mode 0700, removed at the end,
// after a failure and on SIGINT or SIGTERM.
type privateDir struct {
	base string
	once sync.Once
	path string
	err  error
}

// tmpBase is where the folder goes, and the option that chose it (for messages).
func tmpBase(dir string) (base, flag string) {
	if dir != "" {
		return dir, "--tmp-dir"
	}
	if env := os.Getenv("TMPDIR"); env != "" {
		return env, "TMPDIR"
	}
	return "/tmp", "TMPDIR"
}

// get makes the folder on first use.
func (d *privateDir) get() (string, error) {
	d.once.Do(func() {
		removeLeftovers(d.base)
		path, err := os.MkdirTemp(d.base, fmt.Sprintf("%s%d.", tmpStem, os.Getpid()))
		if err != nil {
			d.err = fmt.Errorf("cannot make a folder in %s: %v", d.base, unwrapPathError(err))
			return
		}
		d.path = path
		atExit(d.remove)
	})
	return d.path, d.err
}

func (d *privateDir) remove() {
	if d.path != "" {
		os.RemoveAll(d.path)
	}
}

// removeLeftovers removes the folders of earlier runs that were killed (SIGKILL leaves them):
// ptc-go.<pid>.* of this user whose pid is no more, as ptc-run does with its own.
func removeLeftovers(base string) {
	entries, err := os.ReadDir(base)
	if err != nil {
		return
	}
	for _, e := range entries {
		pid, ok := leftoverPid(e.Name())
		if !ok || !e.IsDir() || !processGone(pid) || !ownedByMe(filepath.Join(base, e.Name())) {
			continue
		}
		if os.RemoveAll(filepath.Join(base, e.Name())) == nil {
			fmt.Fprintf(os.Stderr, "%s: removed leftover %s/%s of a killed run (pid %d)\n",
				program, base, e.Name(), pid)
		}
	}
}

// leftoverPid is the pid in "ptc-go.<pid>.<random>".
func leftoverPid(name string) (int, bool) {
	rest, ok := cutPrefix(name, tmpStem)
	if !ok {
		return 0, false
	}
	digits, random, ok := strings.Cut(rest, ".")
	pid, err := strconv.Atoi(digits)
	return pid, ok && err == nil && pid > 0 && random != ""
}

func processGone(pid int) bool {
	return pid != os.Getpid() && syscall.Kill(pid, 0) == syscall.ESRCH
}

func ownedByMe(path string) bool {
	var st syscall.Stat_t
	return syscall.Lstat(path, &st) == nil && int(st.Uid) == os.Geteuid()
}
