"""Free TCP ports on loopback for the servers the tests start, and a listener there that
records whoever connects (hostile submissions try to reach it from their sandbox)."""
import contextlib
import http.server
import socket
import threading


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Listener:
    """An HTTP server on a free loopback port, in a thread of this process: ``connections``
    holds the address of every connection it accepted, ``paths`` every request's path."""

    def __init__(self):
        connections, paths = self.connections, self.paths = [], []

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                paths.append(self.path)
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args):
                pass

        class Server(http.server.ThreadingHTTPServer):
            daemon_threads = True

            def verify_request(self, request, client_address):
                connections.append(client_address)
                return True

        self.server = Server(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


_LISTENING = []  # the listener this process runs, for the builders of hostile submissions


@contextlib.contextmanager
def listening():
    """Run a Listener while the block runs; meanwhile listener_port() gives its port."""
    listener = Listener()
    _LISTENING.append(listener)
    try:
        yield listener
    finally:
        _LISTENING.remove(listener)
        listener.close()


def listener_port():
    """The port of the listener this process runs, or 0 (none: nothing to reach)."""
    return _LISTENING[-1].port if _LISTENING else 0
