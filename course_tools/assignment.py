"""An assignment as the grading engine sees it, found from the id nbgrader passes in.

Everything the engine knows about an assignment is read from its folder ``source/<id>/``:

- the source notebook ``<id>.ipynb``: the exercises, in notebook order, are its solution cells
  that have grade cells (grade_id ``<exercise>`` for the solution, ``<exercise>_...`` for
  its grade cells, ``<exercise>_demo`` for the cell that shows it at work), with their points;
  the setup cell (grade_id ``setup``) gives the namespace the solutions run in;
- ``public_tests/`` (ships to learners): one check per exercise, in ``EXERCISES``;
- ``instructor/`` (kept out of the release and of every grading copy by
  ``CourseDirectory.ignore``): the inputs of the further cases and of the hidden ones, the
  reference outputs a check compares against, and the known mistakes.

No module of the engine imports an assignment: each is loaded here, by path, under a name of
its own (``course_assignment_<id>_<digest of its folder>.public_tests``), so two assignments'
checks, or two courses' copies of one, never collide. While its code runs in the engine (its
packages load, its setup cell runs), the assignment's folder comes first on ``sys.path`` and
``public_tests`` names its own checks (``importable``), so the notebook's imports work as
they do in a learner's kernel. A helper package stays imported under the name the notebook
uses: give each assignment's helpers a name of their own.

An assignment has one notebook, ``<id>.ipynb``, and each of its grade cells belongs to an
exercise (a grade cell outside the exercises would be scored by the learner's own kernel run);
loading refuses an assignment that breaks these rules.
"""
import contextlib
import hashlib
import importlib
import importlib.util
import re
import sys
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent  # the kit's own course directory
INSTRUCTOR_PACKAGE = "instructor"  # in source/<id>/; never released (nbgrader_config.py)
CHECKS_PACKAGE = "public_tests"


def assignment_ids(course_root=ROOT):
    """The ids of every assignment of a course: the folders of source/ holding <id>.ipynb."""
    source = Path(course_root) / "source"
    return sorted(folder.name for folder in source.iterdir() if (folder / f"{folder.name}.ipynb").is_file())


def load_assignment(assignment_id, course_root=ROOT):
    """The assignment ``assignment_id`` of the course at ``course_root`` (loaded once per
    course folder, however the folder is written)."""
    if not str(course_root):
        raise ValueError("no course directory given (configure course_root)")
    return _load_assignment(assignment_id, Path(course_root).resolve())


@lru_cache(maxsize=None)
def _load_assignment(assignment_id, course_root):
    folder = course_root / "source" / assignment_id
    if not (folder / f"{assignment_id}.ipynb").is_file():
        raise LookupError(f"no assignment {assignment_id!r}: {folder / (assignment_id + '.ipynb')} does not exist")
    return Assignment(assignment_id, folder)


def _grade_meta(cell):
    return cell.metadata.get("nbgrader", {})


@dataclass(frozen=True, eq=False)
class Assignment:
    id: str
    source_dir: Path

    @property
    def course_root(self):
        return self.source_dir.parent.parent

    @property
    def notebook_path(self):
        return self.source_dir / f"{self.id}.ipynb"

    @property
    def release_dir(self):
        return self.course_root / "release" / self.id

    @property
    def check_data_path(self):
        return self.source_dir / CHECKS_PACKAGE / "check_data.npz"

    @cached_property
    def source_notebook(self):
        import nbformat  # here, so that deploy/setup_server.py (system Python) can import ROOT

        return nbformat.read(str(self.notebook_path), as_version=4)

    @cached_property
    def exercises(self):
        """The exercises' names in notebook order: the solution cells whose grade_id starts
        some grade cell's grade_id. Every graded code cell must belong to one."""
        cells = [(cell.cell_type, _grade_meta(cell)) for cell in self.source_notebook.cells]
        graded = [meta["grade_id"] for _, meta in cells if meta.get("grade")]
        names = [meta["grade_id"] for _, meta in cells if meta.get("solution") and not meta.get("grade")]
        exercises = tuple(name for name in names if any(grade.startswith(name + "_") for grade in graded))
        strays = [meta["grade_id"] for kind, meta in cells if kind == "code" and meta.get("grade")
                  and not any(meta["grade_id"].startswith(name + "_") for name in exercises)]
        if strays:
            raise ValueError(f"{self.notebook_path}: the grade cells {strays} belong to no exercise (a grade cell's "
                             "grade_id starts with its exercise's name and '_')")
        return exercises

    def exercise_of(self, grade_id):
        """The exercise a grade cell belongs to (the longest exercise name its grade_id is or
        starts with, then "_"), or None for cells outside the exercises."""
        matches = [name for name in self.exercises if grade_id == name or grade_id.startswith(name + "_")]
        return max(matches, key=len) if matches else None

    def exercise_of_grade_cell(self, cell):
        """The exercise a notebook cell is graded for, or None for a cell that is not a grade
        cell or belongs to no exercise."""
        meta = _grade_meta(cell)
        return self.exercise_of(meta.get("grade_id", "")) if meta.get("grade") else None

    @cached_property
    def points(self):
        """``{exercise: points}``, summed over each exercise's grade cells."""
        points = dict.fromkeys(self.exercises, 0.0)
        for cell in self.source_notebook.cells:
            exercise = self.exercise_of_grade_cell(cell)
            if exercise is not None:
                points[exercise] += float(_grade_meta(cell).get("points", 0))
        return points

    def cell_source(self, grade_id):
        """The source of the source notebook's cell with this grade_id."""
        for cell in self.source_notebook.cells:
            if _grade_meta(cell).get("grade_id") == grade_id:
                return cell.source
        raise LookupError(f"{self.notebook_path}: no cell with grade_id {grade_id!r}")

    def solution_sources(self):
        """``{exercise: source of its solution cell}``."""
        return {name: self.cell_source(name) for name in self.exercises}

    @cached_property
    def checks(self):
        """The assignment's ``public_tests`` package; its ``EXERCISES`` maps each exercise to
        its check, in the notebook's order."""
        package = self._load(CHECKS_PACKAGE)
        if tuple(package.EXERCISES) != self.exercises:
            raise ValueError(f"{self.id}: the checks cover {tuple(package.EXERCISES)}, the notebook's exercises "
                             f"are {self.exercises}")
        return package

    @cached_property
    def instructor(self):
        """The assignment's ``instructor`` package (cases, reference outputs, known mistakes)."""
        return self._load(INSTRUCTOR_PACKAGE)

    def has_instructor_module(self, name):
        return (self.source_dir / INSTRUCTOR_PACKAGE / f"{name}.py").is_file()

    def instructor_module(self, name):
        """A module of the instructor package not imported by its ``__init__`` (e.g. ``figures``)."""
        return importlib.import_module(f"{self.instructor.__name__}.{name}")

    def load_packages(self):
        """Load the checks and the instructor package now; each raises if the folder is broken."""
        return self.checks, self.instructor

    @contextlib.contextmanager
    def importable(self):
        """While it lasts, this assignment's folder is first on ``sys.path`` and
        ``public_tests`` (and its modules) are this assignment's checks, as in a learner's
        kernel started in the assignment's folder."""
        sys.path.insert(0, str(self.source_dir))
        own = f"{self._namespace}.{CHECKS_PACKAGE}"
        mapped = {CHECKS_PACKAGE + name[len(own):]: module for name, module in list(sys.modules.items())
                  if name == own or name.startswith(own + ".")}
        before = {name: sys.modules.get(name) for name in mapped}
        sys.modules.update(mapped)
        try:
            yield
        finally:
            sys.path.remove(str(self.source_dir))
            for name, module in before.items():
                if module is None:
                    sys.modules.pop(name, None)
                else:
                    sys.modules[name] = module

    @property
    def _namespace(self):
        digest = hashlib.sha1(str(self.source_dir).encode()).hexdigest()[:8]
        name = re.sub(r"\W", "_", self.id)  # a module name, whatever the id holds
        return f"course_assignment_{name}_{digest}"

    def _load(self, package):
        parent = self._namespace
        name = f"{parent}.{package}"
        if name in sys.modules:
            return sys.modules[name]
        init = self.source_dir / package / "__init__.py"
        if not init.is_file():
            raise LookupError(f"assignment {self.id!r} has no {package} package ({init} does not exist)")
        if parent not in sys.modules:  # a namespace for the assignment's two packages
            sys.modules[parent] = importlib.util.module_from_spec(importlib.machinery.ModuleSpec(parent, None))
        spec = importlib.util.spec_from_file_location(name, init, submodule_search_locations=[str(init.parent)])
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        try:
            with self.importable():  # the instructor package imports the helpers by their names
                spec.loader.exec_module(module)
        except BaseException:
            del sys.modules[name]
            raise
        return module
