package main

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"os"
	"path/filepath"
)

const chunkBytes = 64 * 1024 // what a copy reads and writes at once, as in workload/file.c

var errCopyDiffers = errors.New("the copy differs from its source")

// fileWork copies task i's source file to its destination in the private folder.
type fileWork struct {
	dir       string
	prefix    string // "<state>." so that the states of one grid share the folder
	seed      uint64
	fileBytes int64
	fsync     bool
	srcHash   []uint64 // FNV-1a 64 of each source
	bufs      [][]byte // each task's copy buffer, made at set-up rather than in the task
}

func (w *fileWork) path(kind byte, task int) string {
	return filepath.Join(w.dir, fmt.Sprintf("%s%c%d", w.prefix, kind, task))
}

// setUpFile writes the sources, one per task, as workload/file_source.c does.
func (st *state) setUpFile(e *env) error {
	dir, err := e.tmp.get()
	if err != nil {
		return err
	}
	fileBytes := int64(st.set.fileKiB) * 1024
	w := &fileWork{dir: dir, prefix: fmt.Sprintf("%d.", st.index), seed: st.set.seed,
		fileBytes: fileBytes, fsync: st.set.fsync, srcHash: make([]uint64, st.tasks),
		bufs: make([][]byte, st.tasks)}
	st.work = w
	st.bytesPerRun = uint64(st.tasks) * uint64(fileBytes)
	bufBytes := min(chunkBytes, int(fileBytes))
	for i := range w.bufs {
		if w.srcHash[i], err = writeSource(w.path('s', i), w.seed, i, fileBytes); err != nil {
			return err
		}
		w.bufs[i] = make([]byte, bufBytes)
	}
	return nil
}

// writeSource writes task's source: 8-byte little-endian words, word k (counted over the whole
// file) being taskRandom(seed ^ k, task, streamFile). Returns the content's FNV-1a 64.
func writeSource(path string, seed uint64, task int, fileBytes int64) (uint64, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return 0, err
	}
	h := fnv.New64a()
	buf := make([]byte, chunkBytes)
	var word uint64
	for left := fileBytes; left > 0 && err == nil; {
		n := int(min64(left, chunkBytes))
		var b [8]byte
		for i := 0; i < n; i += 8 {
			binary.LittleEndian.PutUint64(b[:], taskRandom(seed^word, task, streamFile))
			word++
			copy(buf[i:n], b[:]) // the last word is cut where the file ends
		}
		h.Write(buf[:n])
		_, err = f.Write(buf[:n])
		left -= int64(n)
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return h.Sum64(), err
}

// copiedChecksum is what a task reports: the bytes it copied, folded with its index.
func (w *fileWork) copiedChecksum(task int, bytes int64) uint64 {
	return uint64(bytes) ^ taskRandom(w.seed, task, streamFileCopy)
}

// runTask copies as cp does: no hashing here (that would add a CPU loop to an I/O task); the
// parent reads the copy back after the run.
func (w *fileWork) runTask(task int) (uint64, error) {
	in, err := os.Open(w.path('s', task))
	if err != nil {
		return 0, err
	}
	defer in.Close()
	out, err := os.OpenFile(w.path('d', task), os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return 0, err
	}
	copied, err := copyChunks(out, in, w.bufs[task])
	if err == nil && w.fsync {
		err = out.Sync()
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	return w.copiedChecksum(task, copied), err
}

// copyChunks copies in to out through buf, a chunk at a time.
func copyChunks(out io.Writer, in io.Reader, buf []byte) (int64, error) {
	var copied int64
	for {
		n, err := in.Read(buf)
		if n > 0 {
			if _, werr := out.Write(buf[:n]); werr != nil {
				return copied, werr
			}
			copied += int64(n)
		}
		if err == io.EOF {
			return copied, nil
		}
		if err != nil {
			return copied, err
		}
	}
}

func (w *fileWork) expected(task int) uint64 { return w.copiedChecksum(task, w.fileBytes) }

// check reads every copy back and compares its hash with its source's.
func (w *fileWork) check(results []taskResult) {
	buf := make([]byte, chunkBytes)
	for i := range results {
		if results[i].err != nil {
			continue
		}
		f, err := os.Open(w.path('d', i))
		if err != nil {
			results[i].err = err
			continue
		}
		h := fnv.New64a()
		_, err = io.CopyBuffer(h, struct{ io.Reader }{f}, buf)
		f.Close()
		if err == nil && h.Sum64() != w.srcHash[i] {
			err = errCopyDiffers
		}
		results[i].err = err
	}
}

// close leaves the files: the private folder goes as a whole at the end.
func (w *fileWork) close() {}

func min64(a, b int64) int64 {
	if a < b {
		return a
	}
	return b
}
