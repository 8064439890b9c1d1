"""The code that runs inside the grading sandbox beside the learner's: the judge's worker and
the codec it shares with the grader. Mounted read-only in the sandbox as the top-level package
``sandboxed``; it imports nothing else of the kit, and holds nothing a learner may not read."""
