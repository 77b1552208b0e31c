package main

import (
	"strings"
	"sync"
)

// model is one way of running tasks 0..tasks-1: run calls do once per task and returns when all
// have returned.
type model struct {
	name    string
	summary string
	// usesWorkers: the W of --workers is this model's pool size (else it runs once per settings).
	usesWorkers bool
	// parallelism is how many tasks may run at once.
	parallelism func(workers, tasks int) int
	run         func(tasks, workers int, do func(task int))
}

var allModels = []*model{
	{
		name:        "seq",
		summary:     "tasks one after another in the main goroutine",
		parallelism: func(_, _ int) int { return 1 },
		run:         runSeq,
	},
	{
		name:        "go-goroutine",
		summary:     "one goroutine per task, all started at once, then a sync.WaitGroup wait",
		parallelism: func(_, tasks int) int { return tasks },
		run:         runGoroutines,
	},
	{
		name:        "go-pool",
		summary:     "W goroutines taking task indices from a channel",
		usesWorkers: true,
		parallelism: func(workers, tasks int) int { return min(workers, tasks) },
		run:         runPool,
	},
}

func modelNames() []string {
	names := make([]string, len(allModels))
	for i, m := range allModels {
		names[i] = m.name
	}
	return names
}

// parseModels takes "all" or a comma-separated list of model names.
func parseModels(arg string) ([]*model, error) {
	valid := strings.Join(modelNames(), ", ")
	if arg == "all" {
		return allModels, nil
	}
	items, err := splitList(arg)
	if err != nil {
		return nil, usagef("--model: '%s' is not a comma-separated list of models (valid: %s)", arg, valid)
	}
	var out []*model
	for _, it := range items {
		m := findModel(it)
		if m == nil {
			return nil, usagef("--model: unknown model '%s' (valid: %s)", it, valid)
		}
		out = append(out, m)
	}
	return out, nil
}

func findModel(name string) *model {
	for _, m := range allModels {
		if m.name == name {
			return m
		}
	}
	return nil
}

func runSeq(tasks, _ int, do func(task int)) {
	for i := 0; i < tasks; i++ {
		do(i)
	}
}

func runGoroutines(tasks, _ int, do func(task int)) {
	var wg sync.WaitGroup
	wg.Add(tasks)
	for i := 0; i < tasks; i++ {
		go func(task int) {
			defer wg.Done()
			do(task)
		}(i)
	}
	wg.Wait()
}

// runPool starts the W workers first, then feeds them the indices in order: the usual Go
// worker pool, which holds W goroutines and a channel of W slots whatever the task count.
func runPool(tasks, workers int, do func(task int)) {
	next := make(chan int, workers)
	var wg sync.WaitGroup
	wg.Add(workers)
	for w := 0; w < workers; w++ {
		go func() {
			defer wg.Done()
			for task := range next {
				do(task)
			}
		}()
	}
	for i := 0; i < tasks; i++ {
		next <- i
	}
	close(next)
	wg.Wait()
}

func min(a, b int) int {
	if a < b {
		return a
	}
	return b
}
