"""Run commands interleaved (A B C, A B C, …) after one warm-up round and print the median wall
time of each, so that a drifting machine or server affects every side alike.

    interleave.py ROUNDS NAME=COMMAND...    (a COMMAND starting with "floor:" is a script that
                                             prints its own in-process seconds first)
Prints one line per command: NAME MEDIAN_SECONDS PEAK_RSS_KIB."""
import shlex
import statistics
import subprocess
import sys
import time

rounds = int(sys.argv[1])
commands = [arg.split("=", 1) for arg in sys.argv[2:]]


def run(cmd):
    if cmd.startswith("floor:"):
        out = subprocess.run(shlex.split(cmd[6:]), capture_output=True, text=True, check=True)
        return float(out.stdout.split()[0])
    start = time.perf_counter()
    subprocess.run(shlex.split(cmd), stdout=subprocess.DEVNULL, check=True)
    return time.perf_counter() - start


def peak_rss(cmd):
    if cmd.startswith("floor:"):
        return "-"
    out = subprocess.run(["/usr/bin/time", "-f", "%M", *shlex.split(cmd)], stdout=subprocess.DEVNULL,
                         stderr=subprocess.PIPE, text=True, check=True)
    return out.stderr.strip().splitlines()[-1]


times = {name: [] for name, _ in commands}
for i in range(rounds + 1):
    for name, cmd in commands:
        t = run(cmd)
        if i:
            times[name].append(t)
for name, cmd in commands:
    print(name, f"{statistics.median(times[name]):.4f}", peak_rss(cmd))
