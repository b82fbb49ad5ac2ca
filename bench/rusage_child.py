"""Run one command; write its wall time and resource usage, measured from a small process.

Linux keeps a process's memory high-water mark across ``exec``: a command forked (or vforked)
straight from the benchmark process, which holds the corpus inventory, would report the
benchmark's own RSS as its peak. So ``bench/run.py`` starts this helper first, small
(``python -S -I``, nothing imported beyond ``os``/``sys``/``time``); it spawns the measured
command, waits for it with ``wait4`` and writes one line to RESULT_FILE:

    wall_seconds maxrss_kib user_seconds system_seconds exit_code

``wait4`` reports that one child and the descendants it waited for: a fresh measurement per
process, with no delta arithmetic. The wall time excludes this helper's own start-up.

usage: python -S -I rusage_child.py RESULT_FILE COMMAND [ARG...]
"""

import os
import sys
import time


def main() -> int:
    result_file, command = sys.argv[1], sys.argv[2:]
    start = time.perf_counter()
    try:
        pid = os.posix_spawnp(command[0], command, os.environ)
    except OSError as exc:
        with open(result_file, "w") as out:
            out.write(f"error {exc}\n")
        return 127
    _, status, usage = os.wait4(pid, 0)
    wall = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    with open(result_file, "w") as out:
        out.write(f"{wall!r} {usage.ru_maxrss} {usage.ru_utime!r} {usage.ru_stime!r} {code}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
