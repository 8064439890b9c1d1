"""Values passed between the grader and a worker, as JSON without pickle.

Arrays travel as their raw bytes with dtype and shape (exact; numeric and boolean dtypes
only), containers keep their kind (tuple, list, dict), and anything else becomes a marker
naming its type, so a learner's odd return value is reported rather than executed.
"""
import base64
import json

import numpy as np

MAX_MESSAGE_BYTES = 256 * 1024 * 1024
ARRAY_KINDS = "biufc"  # boolean, integer, unsigned, float, complex: plain bytes, nothing to run


def encode(value):
    if isinstance(value, np.ndarray):
        if value.dtype.kind not in ARRAY_KINDS:
            return {"type": "unsupported", "name": f"numpy array of dtype {value.dtype}"}
        return {"type": "array", "dtype": value.dtype.str, "shape": list(value.shape),
                "data": base64.b64encode(np.ascontiguousarray(value).tobytes()).decode("ascii")}
    if isinstance(value, np.generic):
        return encode(np.asarray(value))
    if isinstance(value, bool) or value is None:
        return {"type": "scalar", "value": value}
    if isinstance(value, (int, float)):
        return {"type": "scalar", "value": value if np.isfinite(value) else repr(value)}
    if isinstance(value, str):
        return {"type": "scalar", "value": value}
    if isinstance(value, (tuple, list)):
        return {"type": type(value).__name__, "items": [encode(item) for item in value]}
    if isinstance(value, dict):
        return {"type": "dict", "items": [[encode(key), encode(item)] for key, item in value.items()]}
    return {"type": "unsupported", "name": type(value).__name__}


def _unsupported(name):
    """An opaque stand-in for a value that does not travel; its type carries the original
    type's name, so messages still say what the learner returned."""
    return type(name, (), {"__repr__": lambda self: f"<{name}>"})()


def decode(data):
    kind = data["type"]
    if kind == "array":
        return _decode_array(data)
    if kind == "scalar":
        return data["value"]
    if kind == "tuple":
        return tuple(decode(item) for item in data["items"])
    if kind == "list":
        return [decode(item) for item in data["items"]]
    if kind == "dict":
        return {_hashable(decode(key)): decode(item) for key, item in data["items"]}
    return _unsupported(str(data.get("name", "object")))


def _decode_array(data):
    try:
        dtype = np.dtype(data["dtype"])
        if dtype.kind not in ARRAY_KINDS:
            return _unsupported(f"numpy array of dtype {dtype}")
        return np.frombuffer(base64.b64decode(data["data"]), dtype=dtype).reshape(data["shape"]).copy()
    except (TypeError, ValueError, KeyError):  # a message the codec did not write
        return _unsupported("malformed array")


def _hashable(key):
    return key if isinstance(key, (str, int, float, bool, type(None), tuple)) else repr(key)


def dumps(message):
    return (json.dumps(message) + "\n").encode("utf-8")


def loads(line):
    return json.loads(line.decode("utf-8"))
