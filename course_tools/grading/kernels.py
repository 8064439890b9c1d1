"""The kernel manager grading uses: kernels over Unix domain sockets in a private folder.

jupyter_client's default TCP transport picks each port by binding to port 0 and closing the
socket; the kernel binds the port later, and another process starting a kernel meanwhile can
take it ("Address already in use", "Kernel died before replying to kernel_info"). Its guard
against reuse works within one process only, and grading starts kernels from several at once.
With the ``ipc`` transport no port is picked at all: the kernel's five channels are socket
files ``<folder>/kernel-1`` … ``kernel-5`` beside its connection file, in a folder made for
that kernel (mode 0700) and removed when the kernel is shut down; a folder whose manager was
killed before it could remove it is removed by the next kernel started.

The kernel runs confined (``sandbox.py``): in a sandbox of its own whose working directory is
a copy of the submission, with its socket folder bound in.

Selected in ``nbgrader_config.py`` (``HaltingExecute.kernel_manager``), so plain ``nbgrader
autograde``, the formgrader and grade-class (whose forked kernels subclass it) all use it.
"""
import os
import shutil
import tempfile

from jupyter_client.manager import AsyncKernelManager
from traitlets import default

from course_tools.grading.sandbox import Confinement, Sandbox, remove_orphaned_folders

SOCKET_FOLDER_PREFIX = "rnn-kernel-"


class PrivateSocketKernelManager(AsyncKernelManager):
    """An AsyncKernelManager whose kernel listens on Unix sockets in a folder of its own, and
    runs confined in a copy of the folder it is started in."""

    socket_folder = None  # made when the kernel starts
    sandbox = None  # likewise

    @default("transport")
    def _default_transport(self):
        return "ipc"

    async def start_kernel(self, **kwargs):
        if self.socket_folder is None:  # a restart keeps its folder and connection file
            remove_orphaned_folders(SOCKET_FOLDER_PREFIX)
            self.socket_folder = tempfile.mkdtemp(prefix=f"{SOCKET_FOLDER_PREFIX}{os.getpid()}-")  # 0700
            self.connection_file = os.path.join(self.socket_folder, "connection.json")
            self.ip = os.path.join(self.socket_folder, "kernel")
            self.sandbox = Sandbox(Confinement(parent=self), kwargs.get("cwd") or os.getcwd(), [self.socket_folder])
            # a signal sent to the sandbox's process group would reach bwrap, not the kernel in
            # its PID namespace: interrupt by message (ipykernel then signals itself)
            self.kernel_spec.interrupt_mode = "message"
        try:
            return await super().start_kernel(**kwargs)
        except BaseException:  # nbclient cleans up after a kernel that started, not one that failed to
            self.remove_private_folders()
            raise

    def format_kernel_cmd(self, extra_arguments=None):
        """The kernel spec's command, confined; called once the connection file is written."""
        return self.confined(super().format_kernel_cmd(extra_arguments))

    def confined(self, cmd):
        """``cmd`` as it runs in this kernel's sandbox."""
        self.sandbox.give_to_learner(self.connection_file)
        return self.sandbox.command(cmd, env=self.sandbox.environment(self._launch_args.get("env")))

    async def shutdown_kernel(self, now=False, restart=False):
        try:
            await super().shutdown_kernel(now=now, restart=restart)
        finally:
            if not restart:
                self.remove_private_folders()

    async def cleanup_resources(self, restart=False):
        """Called by nbclient after every run, even when the kernel died or never started."""
        try:
            await super().cleanup_resources(restart=restart)
        finally:
            if not restart:
                self.remove_private_folders()

    def remove_private_folders(self):
        """Remove the kernel's socket folder and its sandbox's scratch folder."""
        if self.socket_folder is not None:
            shutil.rmtree(self.socket_folder, ignore_errors=True)
            self.socket_folder = None
        if self.sandbox is not None:
            self.sandbox.remove()
            self.sandbox = None
