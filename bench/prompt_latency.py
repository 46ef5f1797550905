#!/usr/bin/env python3
"""Time from starting pipeq on a terminal to its prompt appearing (median of runs).

Usage: prompt_latency.py PIPEQ STORE [RUNS]. Uses a pseudo-terminal, as a person would.
"""
import os
import pty
import select
import statistics
import sys
import time


def start_on_terminal(binary, store):
    """pipeq on STORE on a pseudo-terminal, as a person starts it: (pid, terminal fd)."""
    pid, fd = pty.fork()
    if pid == 0:
        os.environ["NO_COLOR"] = "1"
        os.environ["XDG_STATE_HOME"] = "/tmp/pipeq-bench-state"
        os.execv(binary, [binary, "--db", store])
    return pid, fd


def time_to_prompt(binary, store):
    started = time.perf_counter()
    pid, fd = start_on_terminal(binary, store)
    seen = b""
    elapsed = None
    deadline = started + 10
    while time.perf_counter() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.01)
        if ready:
            try:
                seen += os.read(fd, 4096)
            except OSError:
                break
            if b"pipeq> " in seen:
                elapsed = time.perf_counter() - started
                break
    # Leave with Ctrl-D; if pipeq is not at its prompt, stop it.
    try:
        os.write(fd, b"\x04")
    except OSError:
        pass
    stop = time.perf_counter() + 2
    while time.perf_counter() < stop:
        done, _ = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        try:
            # Read only what is there: a blocking read here waited forever once, when
            # pipeq had not yet seen the Ctrl-D; the kill below needs the loop to go on.
            ready, _, _ = select.select([fd], [], [], 0.05)
            if ready:
                os.read(fd, 4096)
        except OSError:
            pass
    else:
        os.kill(pid, 9)
        os.waitpid(pid, 0)
    os.close(fd)
    return elapsed


def main():
    binary, store = sys.argv[1], sys.argv[2]
    runs = int(sys.argv[3]) if len(sys.argv) > 3 else 7
    times = [time_to_prompt(binary, store) for _ in range(runs + 1)][1:]
    times = [t for t in times if t is not None]
    print(f"{statistics.median(times) * 1000:.1f}")


if __name__ == "__main__":
    main()
