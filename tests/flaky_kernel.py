"""A kernel launcher that fails its first N starts, then starts ipykernel as usual: a real
grader failure on demand (a kernel that dies before replying), for the tests.

    python flaky_kernel.py COUNTER_FILE N -f CONNECTION_FILE
"""
import fcntl
import os
import sys

counter, failures, *kernel_args = sys.argv[1:]
with open(counter, "a+") as handle:
    fcntl.flock(handle, fcntl.LOCK_EX)  # kernels start in several processes at once
    handle.seek(0)
    starts = len(handle.read())
    handle.write("x")
if starts < int(failures):
    sys.exit(1)
os.execv(sys.executable, [sys.executable, "-m", "ipykernel_launcher", *kernel_args])
