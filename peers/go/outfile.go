package main

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
)

// outFile is --out: a temporary file beside the target, renamed over it at the end, so that a
// failed or interrupted run leaves no file (or its previous version); '-' is stdout.
type outFile struct {
	path string
	tmp  string // "" when writing stdout or a device in place
	f    *os.File
	w    *bufio.Writer
	once sync.Once
}

// openOut opens path for writing and registers the temporary file's removal.
func openOut(path string) (*outFile, error) {
	if path == "-" {
		return &outFile{path: path, f: os.Stdout, w: bufio.NewWriter(os.Stdout)}, nil
	}
	if st, err := os.Stat(path); err == nil && st.IsDir() {
		return nil, fmt.Errorf("is a folder")
	} else if err == nil && !st.Mode().IsRegular() {
		// Renaming over /dev/null would replace the device: write to it instead.
		f, err := os.OpenFile(path, os.O_WRONLY, 0)
		if err != nil {
			return nil, unwrapPathError(err)
		}
		return &outFile{path: path, f: f, w: bufio.NewWriter(f)}, nil
	}
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, fmt.Sprintf("%s.tmp.%d.", base, os.Getpid()))
	if err != nil {
		return nil, unwrapPathError(err)
	}
	f.Chmod(0o644)
	o := &outFile{path: path, tmp: f.Name(), f: f, w: bufio.NewWriter(f)}
	atExit(o.abort)
	return o, nil
}

var errAborted = errors.New("the output was abandoned")

// commit writes everything out and puts the file in place.
func (o *outFile) commit() (err error) {
	err = errAborted // unless this is the first of commit and abort
	o.once.Do(func() {
		err = o.w.Flush()
		if o.f == os.Stdout {
			return
		}
		if cerr := o.f.Close(); err == nil {
			err = cerr
		}
		if err == nil && o.tmp != "" {
			err = os.Rename(o.tmp, o.path)
		}
		if err != nil && o.tmp != "" {
			os.Remove(o.tmp)
		}
	})
	return err
}

// abort removes the temporary file (nothing after a commit).
func (o *outFile) abort() {
	o.once.Do(func() {
		if o.f != os.Stdout {
			o.f.Close()
		}
		if o.tmp != "" {
			os.Remove(o.tmp)
		}
	})
}
