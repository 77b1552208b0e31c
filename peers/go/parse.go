package main

import (
	"errors"
	"math"
	"strconv"
	"strings"
)

// The reasons a value is refused, worded as ptc-run words them (core/parse.c).
var (
	errNotNumber = errors.New("not a valid non-negative number")
	errRange     = errors.New("out of range")
	errLoHi      = errors.New("LO is greater than HI")
	errTooMany   = errors.New("too many items")
)

const maxListItems = 64 // values in one comma-separated list

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// parseU64 takes a decimal integer in [lo, hi], whole: no sign, space or trailing text. A
// leading minus is "out of range" rather than "not a number", as in ptc-run.
func parseU64(s string, lo, hi uint64) (uint64, error) {
	if s == "" || !isDigit(s[0]) {
		if len(s) > 1 && s[0] == '-' && isDigit(s[1]) {
			return 0, errRange
		}
		return 0, errNotNumber
	}
	v, err := strconv.ParseUint(s, 10, 64)
	if errors.Is(err, strconv.ErrRange) {
		return 0, errRange
	}
	if err != nil {
		return 0, errNotNumber
	}
	if v < lo || v > hi {
		return 0, errRange
	}
	return v, nil
}

// parseF64 takes a non-negative decimal number such as 2.5 in [lo, hi]: no hex floats, inf or
// nan.
func parseF64(s string, lo, hi float64) (float64, error) {
	if s == "" || !(isDigit(s[0]) || s[0] == '.') {
		if s != "" && s[0] == '-' {
			return 0, errRange
		}
		return 0, errNotNumber
	}
	if strings.Trim(s, "0123456789.eE+-") != "" {
		return 0, errNotNumber
	}
	v, err := strconv.ParseFloat(s, 64)
	if errors.Is(err, strconv.ErrRange) || math.IsInf(v, 0) {
		return 0, errRange
	}
	if err != nil {
		return 0, errNotNumber
	}
	if v < lo || v > hi {
		return 0, errRange
	}
	return v, nil
}

// parseRange takes N (lo = hi = N) or LO:HI, both in [lo, hi], LO <= HI.
func parseRange(s string, lo, hi uint64) (a, b uint64, err error) {
	left, right, found := strings.Cut(s, ":")
	if a, err = parseU64(left, lo, hi); err != nil {
		return 0, 0, err
	}
	if !found {
		return a, a, nil
	}
	if b, err = parseU64(right, lo, hi); err != nil {
		return 0, 0, err
	}
	if a > b {
		return 0, 0, errLoHi
	}
	return a, b, nil
}

// splitList splits "a,b,c", refusing empty items and lists longer than maxListItems.
func splitList(s string) ([]string, error) {
	items := strings.Split(s, ",")
	for _, it := range items {
		if it == "" {
			return nil, errNotNumber
		}
	}
	if len(items) > maxListItems {
		return nil, errTooMany
	}
	return items, nil
}

// parseU64List takes "N[,N...]", each in [lo, hi].
func parseU64List(s string, lo, hi uint64) ([]uint64, error) {
	items, err := splitList(s)
	if err != nil {
		return nil, err
	}
	out := make([]uint64, len(items))
	for i, it := range items {
		if out[i], err = parseU64(it, lo, hi); err != nil {
			return nil, err
		}
	}
	return out, nil
}
