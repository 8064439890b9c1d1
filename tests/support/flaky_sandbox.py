"""A bwrap that fails its first N kernel starts, then confines as the real one: a real grader
failure on demand (the kernel's sandbox does not start, so the kernel dies before replying),
for the tests. Other sandboxes (the start-up check, the judge's worker, the zygote) start as
usual.

    python flaky_sandbox.py COUNTER_FILE N REAL_BWRAP THIS_WRAPPER ARGS...

ARGS are bwrap's; where they name THIS_WRAPPER (the sandbox started again inside, when grading
as root), the real bwrap is named instead.
"""
import fcntl
import os
import sys

counter, failures, real_bwrap, wrapper, *args = sys.argv[1:]
if "ipykernel_launcher" in args:
    with open(counter, "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)  # kernels start in several processes at once
        handle.seek(0)
        starts = len(handle.read())
        handle.write("x")
    if starts < int(failures):
        sys.exit(1)
os.execv(real_bwrap, [real_bwrap, *[real_bwrap if arg == wrapper else arg for arg in args]])
