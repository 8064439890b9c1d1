"""nbgrader extensions that make ``nbgrader autograde`` grade every submission right.

Wired in by ``nbgrader_config.py``:

- :class:`TolerantNotebookExporter` reads a notebook file that is empty or corrupt as the
  untouched release plus a note, so the submission is graded (zero) instead of lost.
- :class:`DropDuplicateIds` (sanitizing) keeps one cell per grade_id and strips the nbgrader
  metadata of copies and of foreign metadata, instead of leaving the empty metadata that makes
  nbgrader stop the whole run; :class:`RestoreMissingCells` puts deleted locked cells back.
- :class:`PrepareGrading` refuses to grade where no sandbox can start and computes the hidden
  cases before any learner code runs.
- :class:`HaltingExecute` runs the notebook for the learner's feedback, but stops at the first
  cell that times out or kills the kernel: one timeout, not one per later cell. Its kernel
  talks over Unix sockets (``kernels.py``), and one that fails before its first cell is
  started again.
- :class:`JudgeExercises` grades every exercise apart from the kernel (``judge.py``), on the
  visible and hidden inputs, and makes each grade cell's outputs say so: an error with the
  reason when the exercise fails, no error and no stderr when it passes.
- :class:`ExerciseCsvExport` writes one row per learner with the score of every exercise.
"""
import csv
from pathlib import Path

import nbformat
from jupyter_client.manager import KernelManager
from nbclient.exceptions import DeadKernelError
from nbconvert.exporters import NotebookExporter
from nbformat import NotebookNode
from nbgrader.plugins import ExportPlugin
from nbgrader.preprocessors import DeduplicateIds, Execute, NbGraderPreprocessor
from traitlets import Float, Integer, Type, Unicode

from course_tools.assignment import load_assignment
from course_tools.grading.faults import GraderTrouble
from course_tools.grading.hidden import warm_up
from course_tools.grading.judge import judge_notebook
from course_tools.grading.kernels import PrivateSocketKernelManager
from course_tools.grading.sandbox import Confinement
from course_tools.journal import Journal
from course_tools.scores import scores_in, ungraded_rows_in, why_not_graded

SCHEMA_VERSION = 3


def _stream(text, name="stdout"):
    return NotebookNode(output_type="stream", name=name, text=text)


def _error(assignment, ename, message, named=True):
    """An error output. Its traceback, what the feedback page and validate show, is the
    message in short lines (laid out by the assignment's checks, as a check in the notebook
    lays out its own), after the error's name if ``named``."""
    return NotebookNode(output_type="error", ename=ename, evalue=message,
                        traceback=assignment.checks.report_lines(f"{ename}: {message}" if named else message))


class TolerantNotebookExporter(NotebookExporter):
    """Read an unreadable notebook as the release notebook with a note saying why."""

    release_root = Unicode("", help="The course's release directory (release/).").tag(config=True)

    def from_filename(self, filename, resources=None, **kw):
        try:
            nbformat.validate(nbformat.read(filename, as_version=4))
        except Exception as error:  # empty file, broken JSON, not a notebook
            return self._from_placeholder(filename, error, resources, **kw)
        return super().from_filename(filename, resources, **kw)

    def _from_placeholder(self, filename, error, resources, **kw):
        path = Path(filename)
        self.log.error("Could not read %s (%s); grading it as the untouched release", filename, error)
        release_nb = Path(self.release_root) / path.parent.name / path.name
        nb = nbformat.read(str(release_nb), as_version=4)
        note = (f"**This notebook file could not be read** ({type(error).__name__}: {error}). "
                f"It was graded as the untouched assignment. Ask your instructor; your file was kept as it is.")
        nb.cells.insert(0, nbformat.v4.new_markdown_cell(note))
        resources = resources if resources is not None else {}
        resources.setdefault("metadata", {}).update(name=path.stem, path=str(path.parent))
        return self.from_notebook_node(nb, resources, **kw)


class DropDuplicateIds(DeduplicateIds):
    """Keep the last cell of each grade_id; make copies, and cells carrying nbgrader metadata of
    another version, plain cells (their code still runs; only their grading role goes)."""

    def preprocess_cell(self, cell, resources, cell_index):
        meta = cell.metadata.get("nbgrader")
        if meta is None:
            return cell, resources
        grade_id = meta.get("grade_id")
        if meta.get("schema_version") != SCHEMA_VERSION or not grade_id or grade_id in self.grade_ids:
            self.log.warning("Cell %r lost its nbgrader metadata (copy or foreign metadata)", grade_id)
            del cell.metadata["nbgrader"]
        elif meta.get("grade") or meta.get("solution") or meta.get("locked"):
            self.grade_ids.add(grade_id)
        return cell, resources


class RestoreMissingCells(NbGraderPreprocessor):
    """Put back, from the release, every locked or graded cell a learner deleted (nbgrader's
    own add_missing_cells fails when the cell before a missing one is not a grade cell)."""

    release_root = Unicode("", help="The course's release directory (release/).").tag(config=True)

    def preprocess(self, nb, resources):
        info = resources["nbgrader"]
        release_nb = nbformat.read(str(Path(self.release_root) / info["assignment"] / f"{info['notebook']}.ipynb"),
                                   as_version=4)
        present = {c.metadata["nbgrader"]["grade_id"]: c for c in nb.cells if "nbgrader" in c.metadata}
        anchor = None  # the cell the next restored cell goes after; None means the top
        for cell in release_nb.cells:
            meta = cell.metadata.get("nbgrader")
            if not meta:
                continue
            if meta["grade_id"] in present:
                anchor = present[meta["grade_id"]]
            elif meta.get("locked") or meta.get("grade"):
                self.log.warning("Cell %s was deleted; restoring it", meta["grade_id"])
                restored = nbformat.from_dict(cell)
                position = next(i + 1 for i, c in enumerate(nb.cells) if c is anchor) if anchor is not None else 0
                nb.cells.insert(position, restored)
                anchor = present[meta["grade_id"]] = restored
        return nb, resources


class AssignmentPreprocessor(NbGraderPreprocessor):
    """A preprocessor that needs the graded assignment's declaration (course_tools/assignment.py).
    An assignment whose folder cannot be loaded is the grader's trouble, never the learner's."""

    course_root = Unicode("", help="The course directory (holding source/).").tag(config=True)

    def assignment(self, resources):
        assignment_id = resources["nbgrader"]["assignment"]
        try:
            assignment = load_assignment(assignment_id, self.course_root)
            assignment.load_packages()
        except Exception as error:
            raise GraderTrouble(f"the assignment {assignment_id!r} could not be loaded from its folder "
                                f"({type(error).__name__}: {error})") from error
        return assignment

    @staticmethod
    def is_main_notebook(resources):
        """Whether this is the assignment's notebook (``<id>.ipynb``), the only one it grades."""
        return resources["nbgrader"]["notebook"] == resources["nbgrader"]["assignment"]


class PrepareGrading(AssignmentPreprocessor):
    """Before any learner code runs: refuse to grade where no sandbox can start (unless
    confinement is turned off), and compute the hidden cases, once per process, from the
    instructor's files (which no learner code can reach)."""

    def preprocess(self, nb, resources):
        Confinement(parent=self).check()
        warm_up(self.assignment(resources))
        return nb, resources


class HaltingExecute(Execute, AssignmentPreprocessor):
    """Execute the notebook, but after a cell times out or the kernel dies, run nothing more:
    the later cells get a note instead (the grades come from JudgeExercises anyway).

    A kernel that fails before the first cell runs is the grader's trouble, never the
    learner's: it is started again, up to ``kernel_start_attempts`` times in all, and then
    the grading fails with :class:`GraderTrouble` (so it is retried, not scored)."""

    kernel_start_attempts = Integer(3, min=1, help="How often to start a kernel that fails before its first "
                                                   "cell.").tag(config=True)
    kernel_manager = Type(PrivateSocketKernelManager, klass=KernelManager, help=(
        "The kernel manager of the feedback run. nbgrader's Execute passes its own as an argument, "
        "which wins over a configured kernel_manager_class; this option is applied after it.")).tag(config=True)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.kernel_manager_class = self.kernel_manager

    def preprocess(self, nb, resources=None, km=None):
        self._assignment = self.assignment(resources)
        for attempt in range(1, self.kernel_start_attempts + 1):
            self._halted, self._cells_started = None, False
            try:
                return super().preprocess(nb, resources, km)
            except Exception as error:
                if self._cells_started:
                    raise
                self.log.warning("The kernel failed before its first cell (try %d of %d): %s: %s", attempt,
                                 self.kernel_start_attempts, type(error).__name__, error)
                failure = error
        raise GraderTrouble(f"the kernel did not start, {self.kernel_start_attempts} tries "
                            f"({type(failure).__name__}: {failure})")

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type != "code":
            return cell, resources
        self._cells_started = True
        if self._halted:
            cell.outputs = [_stream(f"(Not run: {self._halted}.)\n")]
            return cell, resources
        try:
            cell, resources = super().preprocess_cell(cell, resources, index)
        except DeadKernelError:
            self._halted = "the kernel stopped in an earlier cell"
            cell.outputs.append(_error(self._assignment, "DeadKernelError",
                                       "The Python kernel stopped while running this cell."))
            return cell, resources
        except Exception as error:  # e.g. a kernel that cannot even be interrupted
            self._halted = "an earlier cell could not be stopped"
            cell.outputs.append(_error(self._assignment, type(error).__name__,
                                       str(error) or "The kernel did not respond."))
            return cell, resources
        if any(o.output_type == "error" and o.get("ename") == "CellTimeoutError" for o in cell.outputs):
            self._halted = f"an earlier cell did not finish within {self.timeout} s"
        return cell, resources


class JudgeExercises(AssignmentPreprocessor):
    """Grade each exercise in a separate process and set its grade cell's outcome."""

    cell_seconds = Float(10.0, help="Time limit for running each learner code cell.").tag(config=True)
    call_seconds = Float(10.0, help="Time limit for each call of a learner's function.").tag(config=True)

    def preprocess(self, nb, resources):
        if not self.is_main_notebook(resources):
            return nb, resources
        assignment = self.assignment(resources)
        verdicts = judge_notebook(nb, resources["metadata"]["path"], assignment, Confinement(parent=self),
                                  self.cell_seconds, self.call_seconds)
        for cell in nb.cells:
            exercise = assignment.exercise_of_grade_cell(cell) if cell.cell_type == "code" else None
            if exercise in verdicts:
                self._apply(assignment, cell, verdicts[exercise])
        return nb, resources

    @staticmethod
    def _apply(assignment, cell, verdict):
        if verdict.passed:
            # the exercise is right: nothing the kernel run printed (a warning, an error from a
            # check that was tampered with or cut short) may take its points away
            kept = [o for o in cell.outputs if o.output_type != "error"]
            for output in kept:
                if output.output_type == "stream":
                    output.name = "stdout"
            cell.outputs = kept + [_stream(f"Graded: {verdict.message}\n")]
        else:
            cell.outputs = [o for o in cell.outputs if o.output_type != "error"]
            cell.outputs.append(_error(assignment, "CheckFailure", f"Graded: {verdict.message}", named=False))


class ExerciseCsvExport(ExportPlugin):
    """CSV for an LMS: one row per learner and assignment, a column per exercise, the totals,
    and a status: "graded", or "not graded: WHY" with the score columns left blank (a learner
    nobody graded never reads as 0)."""

    def export(self, gradebook):
        destination = self.to or "grades.csv"
        course_root = self.parent.coursedir.root if hasattr(self.parent, "coursedir") else "."
        exported = []
        for assignment in gradebook.assignments:
            if self.assignment and assignment.name not in self.assignment:
                continue
            try:
                exported.append((assignment, load_assignment(assignment.name, course_root)))
            except (LookupError, ValueError) as error:
                self.log.warning("Not exported: %s (%s)", assignment.name, error)
        exercises = list(dict.fromkeys(name for _, declared in exported for name in declared.exercises))
        fields = ["assignment", "student_id", "last_name", "first_name", "email", *exercises, "score", "max_score",
                  "status"]
        with open(destination, "w", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=fields)
            writer.writeheader()
            for assignment, declared in exported:
                table, empty_rows = scores_in(gradebook, declared), ungraded_rows_in(gradebook, assignment.name)
                journal = Journal(course_root, assignment.name)
                for student in gradebook.students:
                    if self.student and student.id not in self.student:
                        continue
                    row = {"assignment": assignment.name, "student_id": student.id,
                           "last_name": student.last_name or "", "first_name": student.first_name or "",
                           "email": student.email or "", "max_score": assignment.max_score}
                    if student.id in table:
                        scores = table[student.id]
                        row.update({name: scores[name][0] for name in declared.exercises}, status="graded",
                                   score=sum(score for score, _ in scores.values()))
                    else:
                        why = why_not_graded(course_root, assignment.name, student.id, student.id in empty_rows,
                                             journal)
                        row["status"] = why if why == "no submission" else f"not graded: {why}"
                    writer.writerow(row)
        self.log.info("Exported scores per exercise to %s", destination)
