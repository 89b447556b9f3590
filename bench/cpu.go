package main

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
)

// cpuMeter measures CPU use over a window: of one process (user+system
// ticks from /proc/<pid>/stat) and of the whole machine (/proc/stat), so a
// figure says whether the machine was saturated or waiting.
type cpuMeter struct {
	pid               int
	began             time.Time
	proc0             float64
	busy0, total0     float64
	procOK, machineOK bool
}

const clkTck = 100 // USER_HZ on Linux

func startCPU(pid int) *cpuMeter {
	m := &cpuMeter{pid: pid, began: time.Now()}
	m.proc0, m.procOK = procCPU(pid)
	m.busy0, m.total0, m.machineOK = machineCPU()
	return m
}

// String is e.g. "cpu: cascade 1.21 cores, machine 1.87/2 cores busy".
func (m *cpuMeter) String() string {
	wall := time.Since(m.began).Seconds()
	var parts []string
	if p, ok := procCPU(m.pid); ok && m.procOK && wall > 0 {
		parts = append(parts, fmt.Sprintf("this process %.2f cores", (p-m.proc0)/wall))
	}
	if b, t, ok := machineCPU(); ok && m.machineOK && t > m.total0 {
		n := numCPU()
		parts = append(parts, fmt.Sprintf("machine %.2f/%d cores busy", (b-m.busy0)/(t-m.total0)*float64(n), n))
	}
	if len(parts) == 0 {
		return "cpu: n/a"
	}
	return "cpu: " + strings.Join(parts, ", ")
}

// procCPU is a process's user+system CPU seconds.
func procCPU(pid int) (float64, bool) {
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, false
	}
	// The command name may hold spaces: fields start after its ')'.
	s := string(raw)
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return 0, false
	}
	f := strings.Fields(s[i+1:])
	if len(f) < 13 {
		return 0, false
	}
	ut, err1 := strconv.ParseFloat(f[11], 64) // field 14, utime
	st, err2 := strconv.ParseFloat(f[12], 64) // field 15, stime
	if err1 != nil || err2 != nil {
		return 0, false
	}
	return (ut + st) / clkTck, true
}

// machineCPU is busy and total jiffies of all CPUs.
func machineCPU() (busy, total float64, ok bool) {
	raw, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0, 0, false
	}
	line, _, _ := strings.Cut(string(raw), "\n")
	f := strings.Fields(line)
	if len(f) < 5 || f[0] != "cpu" {
		return 0, 0, false
	}
	for i, v := range f[1:] {
		n, err := strconv.ParseFloat(v, 64)
		if err != nil {
			return 0, 0, false
		}
		if i == 8 || i == 9 { // guest time is already in user
			continue
		}
		total += n
		if i != 3 && i != 4 { // idle, iowait
			busy += n
		}
	}
	return busy, total, true
}
