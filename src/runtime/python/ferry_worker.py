# Ferry's Python worker: serves one MLflow python_function model to the Ferry process that
# started it, over the SOCK_SEQPACKET socket on file descriptor 3 (docs/PYTHON_WORKER.md).
# Embedded in the ferry binary and run as `python3 -s -B -c <this file> 3`. Standard library,
# numpy and (for DataFrames) pandas; mlflow only when it is importable and allowed.
import gc
import importlib
import importlib.util
import os
import socket
import struct
import sys
import time
import traceback
import types
import warnings

import numpy as np

MAGIC = 0x4B575246
VERSION = 1
LOAD, PREDICT, PING, SHUTDOWN, RESULT, ERROR = 1, 2, 3, 4, 5, 6
HEADER = struct.Struct("<IHHQQQII")
U32 = struct.Struct("<I")
U64 = struct.Struct("<Q")
PACKET = 65536
BYTES_CODE = 13
# Wire datatype codes (1..14) to numpy dtypes; BYTES (13) and BF16 (14) are special.
CODE_TO_DTYPE = {1: "?", 2: "<u1", 3: "<u2", 4: "<u4", 5: "<u8", 6: "<i1", 7: "<i2",
                 8: "<i4", 9: "<i8", 10: "<f2", 11: "<f4", 12: "<f8"}
KIND_TO_CODE = {("b", 1): 1, ("u", 1): 2, ("u", 2): 3, ("u", 4): 4, ("u", 8): 5,
                ("i", 1): 6, ("i", 2): 7, ("i", 4): 8, ("i", 8): 9,
                ("f", 2): 10, ("f", 4): 11, ("f", 8): 12}


class FrameError(Exception):
    pass


ARENA_FLAG = 0x80


class Arena:
    """Ferry's memfd for bulk request tensors, mapped read-only; re-mapped when it grew."""

    def __init__(self, fd):
        self.fd = fd
        self.view = memoryview(b"")

    def ensure(self, size):
        if size > len(self.view):
            import mmap
            # The old mapping stays alive while arrays over it do; Ferry only grows the file.
            self.view = memoryview(mmap.mmap(self.fd, size, prot=mmap.PROT_READ))

    def slice(self, offset, size):
        if offset + size > len(self.view):
            raise FrameError("arena reference [%d, +%d) past its %d bytes"
                             % (offset, size, len(self.view)))
        return self.view[offset:offset + size]


ARENA = Arena(-1)


# ---------------------------------------------------------------- frames


def recv_frame(sock):
    first = sock.recv(PACKET)
    if not first:
        sys.exit(0)  # Ferry closed its end: nothing left to serve
    if len(first) < HEADER.size:
        raise FrameError("truncated header")
    magic, version, ftype, rid, deadline, total, n_params, n_tensors = HEADER.unpack_from(first)
    if magic != MAGIC or version != VERSION:
        raise FrameError("bad magic or version")
    parts, got = [first], len(first)
    while got < total:
        part = sock.recv(PACKET)
        if not part:
            sys.exit(0)
        parts.append(part)
        got += len(part)
    buf = memoryview(first if len(parts) == 1 else b"".join(parts))
    pos = HEADER.size
    params = {}
    for _ in range(n_params):
        key, pos = read_str(buf, pos)
        value, pos = read_str(buf, pos)
        params[key.decode()] = value.decode()
    if "arena_size" in params:
        ARENA.ensure(int(params["arena_size"]))
    tensors = []
    for _ in range(n_tensors):
        tensor, pos = read_tensor(buf, pos)
        tensors.append(tensor)
    return ftype, rid, deadline, params, tensors


def read_str(buf, pos):
    (n,) = U32.unpack_from(buf, pos)
    return bytes(buf[pos + 4:pos + 4 + n]), pos + 4 + n


def read_tensor(buf, pos):
    name, pos = read_str(buf, pos)
    code, rank = buf[pos], buf[pos + 1]
    shape = struct.unpack_from("<%dq" % rank, buf, pos + 2)
    pos += 2 + 8 * rank
    (size,) = U64.unpack_from(buf, pos)
    pos += 8
    if code & ARENA_FLAG:
        code &= ~ARENA_FLAG
        (offset,) = U64.unpack_from(buf, pos)
        pos += 8
        data = ARENA.slice(offset, size)
    else:
        pos += (8 - pos % 8) % 8
        data = buf[pos:pos + size]
        pos += size
    count = 1
    for d in shape:
        count *= d
    if code == BYTES_CODE:
        arr = np.empty(count, dtype=object)
        at = 0
        for i in range(count):
            (n,) = U32.unpack_from(data, at)
            raw = bytes(data[at + 4:at + 4 + n])
            at += 4 + n
            try:
                arr[i] = raw.decode("utf-8")
            except UnicodeDecodeError:
                arr[i] = raw
        return (name.decode(), arr.reshape(shape)), pos
    if code not in CODE_TO_DTYPE:
        raise FrameError("datatype code %d is not supported by the Python worker" % code)
    arr = np.frombuffer(data, dtype=CODE_TO_DTYPE[code], count=count).reshape(shape)
    return (name.decode(), arr), pos


def encode_tensor(name, arr, out):
    arr = np.asarray(arr)
    if arr.dtype.kind in "OUSM":
        code, elements = BYTES_CODE, [to_bytes(x) for x in arr.reshape(-1)]
        size = sum(4 + len(e) for e in elements)
    else:
        code = KIND_TO_CODE.get((arr.dtype.kind, arr.dtype.itemsize))
        if code is None:
            raise TypeError("output %r has dtype %s, which Ferry cannot carry" % (name, arr.dtype))
        arr = np.ascontiguousarray(arr, dtype=arr.dtype.newbyteorder("<"))
        size = arr.nbytes
    raw = name.encode()
    out.append(U32.pack(len(raw)) + raw + bytes([code, arr.ndim]))
    out.append(struct.pack("<%dq" % arr.ndim, *arr.shape) + U64.pack(size))
    length = sum(len(p) for p in out)
    out.append(b"\0" * ((8 - length % 8) % 8))
    if code == BYTES_CODE:
        out.extend(U32.pack(len(e)) + e for e in elements)
    else:
        out.append(memoryview(arr).cast("B"))


def to_bytes(x):
    if isinstance(x, bytes):
        return x
    if x is None:
        return b""
    return str(x).encode("utf-8")


def send_frame(sock, ftype, rid, params=(), tensors=()):
    out = [b"\0" * HEADER.size]
    for key, value in params:
        for s in (key.encode(), str(value).encode()):
            out.append(U32.pack(len(s)) + s)
    for name, arr in tensors:
        encode_tensor(name, arr, out)
    total = sum(len(p) for p in out)
    out[0] = HEADER.pack(MAGIC, VERSION, ftype, rid, 0, total, len(params), len(tensors))
    body = memoryview(b"".join(out))
    for at in range(0, total, PACKET):
        sock.send(body[at:at + PACKET])


# ---------------------------------------------------------------- loading


def mlflow_importable():
    try:
        return importlib.util.find_spec("mlflow") is not None
    except (ImportError, ValueError):
        return False


def install_pyfunc_shim():
    """mlflow.pyfunc.model.PythonModel and PythonModelContext, for custom-model pickles."""

    class PythonModel:
        def load_context(self, context):
            pass

        def predict(self, context, model_input, params=None):
            raise NotImplementedError("PythonModel.predict")

    class PythonModelContext:
        def __init__(self, artifacts, model_config=None):
            self._artifacts = artifacts
            self._model_config = model_config or {}

        @property
        def artifacts(self):
            return self._artifacts

        @property
        def model_config(self):
            return self._model_config

    root = types.ModuleType("mlflow")
    pyfunc = types.ModuleType("mlflow.pyfunc")
    model = types.ModuleType("mlflow.pyfunc.model")
    for cls in (PythonModel, PythonModelContext):
        cls.__module__ = "mlflow.pyfunc.model"
        setattr(model, cls.__name__, cls)
        setattr(pyfunc, cls.__name__, cls)
    root.pyfunc, pyfunc.model = pyfunc, model
    sys.modules.update({"mlflow": root, "mlflow.pyfunc": pyfunc, "mlflow.pyfunc.model": model})
    return PythonModelContext


def load_pickle(path):
    try:
        import cloudpickle as pickler  # reads plain pickles too
    except ImportError:
        import pickle as pickler
    with open(path, "rb") as f:
        return pickler.load(f)


def versions():
    """The versions an MLmodel records, as this interpreter has them ("" when absent)."""
    out = {"python_version": "%d.%d.%d" % sys.version_info[:3]}
    for key, module in (("sklearn_version", "sklearn"), ("cloudpickle_version", "cloudpickle"),
                        ("mlflow_version", "mlflow")):
        m = sys.modules.get(module)
        out[key] = str(getattr(m, "__version__", "")) if m is not None else ""
    return out


class Model:
    """What the worker calls: predict(columns) -> result, and whether it may take numpy."""

    def __init__(self, fn, may_use_numpy, loader="ferry"):
        self.fn = fn
        self.may_use_numpy = may_use_numpy
        self.loader = loader  # "mlflow": mlflow.pyfunc.load_model; "ferry": this file's loaders


def load_model(cfg):
    model_dir = cfg["model_dir"]
    if cfg.get("code"):
        sys.path.insert(0, os.path.join(model_dir, cfg["code"]))
    loader = cfg.get("loader_module", "")
    if cfg.get("allow_mlflow") == "1" and mlflow_importable():
        import mlflow.pyfunc
        return Model(mlflow.pyfunc.load_model(model_dir).predict, False, "mlflow")
    if loader == "mlflow.sklearn":
        sk = load_pickle(os.path.join(model_dir, cfg.get("data") or "model.pkl"))
        return Model(getattr(sk, cfg.get("predict_fn") or "predict"), True)
    if loader == "mlflow.pyfunc.model":
        return load_custom(cfg, model_dir)
    if loader.startswith("mlflow."):
        raise ImportError("loader_module %s needs the mlflow package, which %s cannot import"
                          % (loader, sys.executable))
    data = os.path.join(model_dir, cfg["data"]) if cfg.get("data") else model_dir
    return Model(importlib.import_module(loader)._load_pyfunc(data).predict, False)


def load_custom(cfg, model_dir):
    if mlflow_importable():
        from mlflow.pyfunc.model import PythonModelContext
    else:
        PythonModelContext = install_pyfunc_shim()
    python_model = load_pickle(os.path.join(model_dir, cfg["python_model"]))
    artifacts = {k[len("artifact."):]: os.path.abspath(os.path.join(model_dir, v))
                 for k, v in cfg.items() if k.startswith("artifact.")}
    context = PythonModelContext(artifacts, {})
    python_model.load_context(context)
    import inspect
    takes_params = "params" in inspect.signature(python_model.predict).parameters
    if takes_params:
        return Model(lambda x: python_model.predict(context, x, params=None), False)
    return Model(lambda x: python_model.predict(context, x), False)


# ---------------------------------------------------------------- predicting


class Server:
    def __init__(self, sock):
        self.sock = sock
        self.model = None
        self.form = "dataframe"  # or "tensor"
        self.numpy_key = None  # the columns (names, dtypes) for which numpy gives the same answer

    def inputs(self, tensors):
        if self.form == "tensor":
            return tensors[0][1] if len(tensors) == 1 else dict(tensors)
        if self.numpy_key is not None and self.numpy_key == self.key(tensors):
            return np.column_stack([arr for _, arr in tensors])
        return self.dataframe(tensors)

    @staticmethod
    def key(tensors):
        return tuple((name, arr.dtype.str) for name, arr in tensors)

    @staticmethod
    def dataframe(tensors):
        import pandas as pd
        return pd.DataFrame(dict(tensors), columns=[n for n, _ in tensors], copy=False)

    def load(self, params, tensors):
        self.form = params.get("input_form", "dataframe")
        if self.form == "dataframe":
            import pandas  # noqa: F401  (now, not in the first request's time)
        self.model = load_model(params)
        info = {"loader": self.model.loader, "mode": "dataframe"}
        info.update(versions())
        if not tensors:
            return info, []
        result = self.model.fn(self.inputs(tensors))
        mode = "dataframe"
        if self.form == "dataframe" and self.model.may_use_numpy and self.same_on_numpy(
                tensors, result):
            self.numpy_key = self.key(tensors)
            warnings.filterwarnings("ignore", message="X does not have valid feature names")
            mode = "numpy"
        kind, outputs = self.outputs(result)
        info.update(kind=kind, mode=mode)
        return info, outputs

    def same_on_numpy(self, tensors, expected):
        if any(arr.dtype == object for _, arr in tensors):
            return False
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                got = self.model.fn(np.column_stack([arr for _, arr in tensors]))
        except Exception:
            return False
        return (type(got) is type(expected) and isinstance(got, np.ndarray)
                and got.dtype == expected.dtype and np.array_equal(got, expected))

    @staticmethod
    def outputs(result):
        import sys as _sys
        pd = _sys.modules.get("pandas")
        if pd is not None and isinstance(result, pd.DataFrame):
            return "dataframe", [(str(c), result[c].to_numpy()) for c in result.columns]
        if pd is not None and isinstance(result, pd.Series):
            return "series", [("" if result.name is None else str(result.name), result.to_numpy())]
        if isinstance(result, np.ndarray):
            return "ndarray", [("predictions", result)]
        if isinstance(result, (list, tuple)):
            return "list", [("predictions", np.asarray(result))]
        if isinstance(result, dict):
            return "dict", [(str(k), np.asarray(v)) for k, v in result.items()]
        return "scalar", [("predictions", np.asarray([result]))]

    def handle(self, ftype, params, tensors):
        if ftype == PING:
            return {}, []
        if ftype == LOAD:
            return self.load(params, tensors)
        if ftype == PREDICT:
            if self.model is None:
                raise RuntimeError("PREDICT before LOAD")
            kind, outputs = self.outputs(self.model.fn(self.inputs(tensors)))
            return {"kind": kind}, outputs
        raise FrameError("unexpected frame type %d" % ftype)

    def serve(self):
        while True:
            try:
                ftype, rid, _deadline, params, tensors = recv_frame(self.sock)
            except FrameError as e:
                send_frame(self.sock, ERROR, 0, [("type", "FrameError"), ("message", str(e))])
                continue
            if ftype == SHUTDOWN:
                # atexit handlers still run; the final collection over everything a model's
                # imports made (mlflow, pandas, sklearn: half a second and more) is skipped,
                # so the worker exits within Ferry's grace instead of being killed.
                gc.freeze()
                return
            start = time.perf_counter()
            try:
                out_params, outputs = self.handle(ftype, params, tensors)
                out_params["py_us"] = int((time.perf_counter() - start) * 1e6)
                send_frame(self.sock, RESULT, rid, list(out_params.items()), outputs)
            except Exception as e:  # any failure of the model goes back as an ERROR frame
                tb = traceback.format_exc()[-4000:]
                send_frame(self.sock, ERROR, rid, [("type", type(e).__name__),
                                                   ("message", str(e)), ("traceback", tb)])


def main():
    if sys.path and sys.path[0] in ("", "."):
        del sys.path[0]  # -c put the working directory first
    fd = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    if len(sys.argv) > 2:
        ARENA.fd = int(sys.argv[2])
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET, fileno=fd)
    Server(sock).serve()


main()
