"""nbgrader configuration for the RNN course kit; run nbgrader from this directory.

Besides the course layout, it wires in the kit's grading extensions
(course_tools/grading/nbgrader_plugins.py), so that plain ``nbgrader autograde`` grades each
exercise on its own, with hidden inputs, out of reach of the learner's code, and never stops
on a broken submission.
"""
import os
import sys

from nbconvert.preprocessors import ClearMetadataPreprocessor
from nbgrader.converters import GenerateFeedback
from nbgrader.preprocessors import (AssignLatePenalties, CheckCellMetadata, ClearOutput, IgnorePattern, LimitOutput,
                                    OverwriteCells, OverwriteKernelspec, SaveAutoGrades)

ROOT = os.path.dirname(os.path.abspath(__file__))
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

from course_tools.grading.feedback_math import MathAsMathML  # noqa: E402
from course_tools.grading.nbgrader_plugins import (DropDuplicateIds, ExerciseCsvExport,  # noqa: E402
                                                   HaltingExecute, JudgeExercises, PrepareGrading,
                                                   RestoreMissingCells, TolerantNotebookExporter)

c = get_config()  # noqa: F821 (provided by nbgrader when it loads this file)

c.CourseDirectory.course_id = "rnn-step-by-step"
c.CourseDirectory.root = ROOT

# Files that never belong in a release nor in a grading copy; "instructor" is each
# assignment's declaration for the grader (its hidden cases and known mistakes).
c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", ".DS_Store", "instructor"]

# The stub left in a solution cell of the release.
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}

# Autograde: read broken files as empty work, survive copied cells, restore deleted graded
# cells, compute the hidden cases before any learner code runs, stop the kernel run at the
# first hang, and judge every exercise apart.
c.Autograde.exporter_class = TolerantNotebookExporter
c.TolerantNotebookExporter.release_root = c.RestoreMissingCells.release_root = os.path.join(ROOT, "release")
c.Autograde.sanitize_preprocessors = [ClearOutput, DropDuplicateIds, OverwriteKernelspec, OverwriteCells,
                                      RestoreMissingCells, CheckCellMetadata]
c.Autograde.autograde_preprocessors = [PrepareGrading, HaltingExecute, JudgeExercises, IgnorePattern,
                                       ClearMetadataPreprocessor, LimitOutput, SaveAutoGrades, AssignLatePenalties,
                                       CheckCellMetadata]
# each assignment's declaration is read from source/<assignment>/ (course_tools/assignment.py)
c.AssignmentPreprocessor.course_root = ROOT
c.Execute.timeout = 5  # per cell of the feedback run; a right cell here takes milliseconds
# kernels over Unix sockets in a private folder: no TCP port is picked, so parallel gradings
# cannot take each other's ports (course_tools/grading/kernels.py)
c.HaltingExecute.kernel_manager = "course_tools.grading.kernels.PrivateSocketKernelManager"
c.JudgeExercises.cell_seconds = 5  # per learner cell, when the grader loads the learner's code
c.JudgeExercises.call_seconds = 5  # per call of a learner's function on one input set

# Confinement of learner code (course_tools/grading/sandbox.py): the kernel and the judge's
# worker each run in a bubblewrap sandbox holding a copy of the one submission (helpers from
# the release), with no network, as nobody, in a PID namespace of their own. Turning it off
# (enabled = False) runs learner code with this account's files, gradebook and network.
c.Confinement.enabled = True
c.Confinement.release_root = os.path.join(ROOT, "release")
# limits of each sandboxed process; a right solution needs a small part of each
c.Confinement.memory_mb = 2048  # address space (a graded kernel uses about 1 GB of it)
c.Confinement.cpu_seconds = 300
c.Confinement.processes = 128  # processes and threads in one sandbox (a kernel has about 10)
c.Confinement.file_size_mb = 64
c.Confinement.open_files = 256
c.Confinement.scratch_mb = 128  # each writable memory file system: the home, /tmp

# Export: one column per exercise.
c.ExportApp.plugin_class = ExerciseCsvExport

# Collect: a submission counts only for the account that owns it; one made in another's name
# is refused, and the collect reports it as an error (course_tools/grading/exchange.py).
c.ExchangeFactory.collect = "course_tools.grading.exchange.OwnerCheckedCollect"

# Feedback: its math as MathML, readable without MathJax or "Trust HTML".
c.GenerateFeedback.preprocessors = [*GenerateFeedback.class_traits()["preprocessors"].default(), MathAsMathML]
