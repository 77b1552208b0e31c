package main

import (
	"hash/fnv"
	"os"
	"path/filepath"
	"testing"
)

// The expected values below were printed by a C program calling the C workloads' own functions
// (ptc_mix64, ptc_task_random, ptc_cpu_task_checksum, ptc_cpu_expected_all,
// ptc_file_write_source, ptc_net_body_byte): the Go work must be theirs, bit for bit.

func TestRandomMatchesC(t *testing.T) {
	if got := mix64(0); got != 16294208416658607535 {
		t.Errorf("mix64(0) = %d", got)
	}
	if got := taskRandom(7, 3, 2); got != 2066074519236537552 {
		t.Errorf("taskRandom(7, 3, 2) = %d", got)
	}
	if got := taskRandom(^uint64(0), 999999, 6); got != 553285500522635955 {
		t.Errorf("taskRandom(max, 999999, 6) = %d", got)
	}
}

func TestCPUChainMatchesC(t *testing.T) {
	if got := cpuChecksum(1, 3, 100000); got != 10472405390241763150 {
		t.Errorf("cpuChecksum(1, 3, 100000) = %d", got)
	}
	want := []uint64{13962702587151148151, 17105198492635756945, 6588229911323079397,
		10358325798441450906, 15308890071010312931}
	steps := []uint64{500, 20, 20, 0, 12345}
	got := cpuExpected(42, steps)
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("cpuExpected(42)[%d] = %d, want %d", i, got[i], want[i])
		}
		if one := cpuChecksum(42, i, steps[i]); one != want[i] {
			t.Errorf("cpuChecksum(42, %d) = %d, want %d", i, one, want[i])
		}
	}
}

func TestFileSourceMatchesC(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s")
	sum, err := writeSource(path, 5, 2, 67*1024)
	if err != nil {
		t.Fatal(err)
	}
	if sum != 16279545473773630872 {
		t.Errorf("source hash %d", sum)
	}
	b, err := os.ReadFile(path)
	if err != nil || len(b) != 67*1024 {
		t.Fatalf("read back %d bytes: %v", len(b), err)
	}
	h := fnv.New64a()
	h.Write(b)
	if h.Sum64() != sum {
		t.Errorf("the file's hash %d differs from the one returned, %d", h.Sum64(), sum)
	}
}

func TestNetBodyMatchesC(t *testing.T) {
	for _, c := range []struct {
		task int
		kib  int64
		want uint64
	}{{1234567, 3, 575945423242226992}, {9, 1100, 1613742111547275662}} {
		h := fnv.New64a()
		for off := int64(0); off < c.kib*1024; off += readBytes {
			h.Write(bodyWindow(c.task, off, int(min64(readBytes, c.kib*1024-off))))
		}
		if h.Sum64() != c.want {
			t.Errorf("body of task %d, %d KiB: hash %d, want %d", c.task, c.kib, h.Sum64(), c.want)
		}
	}
}

func TestDurations(t *testing.T) {
	fixed := taskDurationsNs(1, 3, 25, 25)
	for _, d := range fixed {
		if d != 25e6 {
			t.Errorf("fixed duration %d ns", d)
		}
	}
	for i, d := range taskDurationsNs(1, 100, 5, 15) {
		if d < 5e6 || d > 15e6 || d%1e6 != 0 {
			t.Errorf("task %d: %d ns out of [5, 15] ms", i, d)
		}
	}
}

func TestIdeal(t *testing.T) {
	st := &state{taskNs: []int64{10, 10, 10, 10, 10, 10}, cpuNs: make([]int64, 6)}
	pool, goroutines := findModel("go-pool"), findModel("go-goroutine")
	if got := idealNs(pool, 5, st, 2); got != 20 { // 6 equal tasks on 5 workers: two rounds
		t.Errorf("pool ideal %d", got)
	}
	if got := idealNs(goroutines, 6, st, 2); got != 10 {
		t.Errorf("goroutine ideal %d", got)
	}
	copy(st.cpuNs, st.taskNs) // all computing: 60 ns over 2 CPUs
	if got := idealNs(goroutines, 6, st, 2); got != 30 {
		t.Errorf("cpu-bound goroutine ideal %d", got)
	}
}

func TestParse(t *testing.T) {
	for _, c := range []struct {
		in   string
		want error
	}{{"7", nil}, {"0", errRange}, {"-1", errRange}, {"x", errNotNumber}, {" 1", errNotNumber},
		{"1e3", errNotNumber}, {"18446744073709551616", errRange}} {
		if _, err := parseU64(c.in, 1, 100); err != c.want {
			t.Errorf("parseU64(%q) = %v, want %v", c.in, err, c.want)
		}
	}
	if _, _, err := parseRange("9:3", 1, 100); err != errLoHi {
		t.Errorf("parseRange(9:3) = %v", err)
	}
	if _, err := parseU64List("1,,2", 1, 10); err != errNotNumber {
		t.Errorf("empty item: %v", err)
	}
	for _, s := range []string{"inf", "nan", "0x1p-2", "-0.5", "1.5"} {
		if _, err := parseF64(s, 0, 1); err == nil {
			t.Errorf("parseF64(%q) accepted", s)
		}
	}
}

func TestCSVField(t *testing.T) {
	for in, want := range map[string]string{"a b": "a b", "a,b": `"a,b"`, ` a`: `" a"`,
		`say "x"`: `"say ""x"""`, "": ""} {
		if got := csvField(in, false); got != want {
			t.Errorf("csvField(%q) = %s, want %s", in, got, want)
		}
	}
}
