#!/usr/bin/python3
"""Golden fixtures and interop check for @quiver/core's weight files (.npy, safetensors).

Generate the fixtures (committed under test/golden/io/; the TS tests never need python):

    cd packages/core && /usr/bin/python3 test/golden/gen_io.py

(lib.safetensors is rewritten only when the `safetensors` package is importable, e.g. with
PYTHONPATH pointing at an unpacked safetensors 0.8.0 wheel; otherwise the committed one is kept.)

Verify files written by OUR encoder with numpy / torch / the safetensors library:

    cd packages/core && QUIVER_IO_VERIFY=1 npx vitest run src/io/interop-verify.test.ts

That test writes .npy / .safetensors files plus a manifest.json into a temporary directory
and runs `/usr/bin/python3 test/golden/gen_io.py --verify DIR` on it, which checks for every
file: values and shape with np.load / torch.frombuffer, byte-identity with np.save of the
same array, and (when the `safetensors` python package is importable, e.g. via
PYTHONPATH=<dir where its wheel was unpacked>) loading with safetensors.torch.load_file and
byte-identity with safetensors.torch.save of the same tensors. Exit status 0 = all good.

The safetensors fixtures are written by hand from the spec (8-byte LE header length, JSON
header, byte buffer) so that generation does not need the safetensors package; one is written
with a deliberately different but valid layout (spaced JSON, offsets not in name order,
header not padded to 8 bytes) to exercise the decoder's general path.
"""
import io
import json
import os
import struct
import sys

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "io")


def flat(a):
    """Values as float64 numbers (exact for float32) for the expected JSON."""
    return [float(x) for x in np.asarray(a).reshape(-1)]


def write_npy_fixtures(expected):
    rng = np.random.default_rng(20240611)

    def save(name, arr, version=None, expect=None):
        path = os.path.join(OUT, name)
        if version is None:
            np.save(path, arr)
        else:
            with open(path, "wb") as f:
                np.lib.format.write_array(f, arr, version=version)
        if expect is not None:
            expected[name] = {"shape": list(arr.shape), "values": flat(expect)}

    f2 = rng.standard_normal((3, 4)).astype(np.float32)
    save("f32_2d.npy", f2, expect=f2)
    f3 = rng.standard_normal((2, 3, 2)).astype(np.float32)
    save("f32_3d.npy", f3, expect=f3)
    f1 = rng.standard_normal(5).astype(np.float32)
    save("f32_1d.npy", f1, expect=f1)
    f0 = np.array(3.25, dtype=np.float32)
    save("f32_0d.npy", f0, expect=f0)
    e1 = np.zeros((0,), dtype=np.float32)
    save("f32_empty.npy", e1, expect=e1)
    e2 = np.zeros((2, 0), dtype=np.float32)
    save("f32_empty_2x0.npy", e2, expect=e2)
    save("f32_v2.npy", f2, version=(2, 0), expect=f2)
    save("f32_v3.npy", f2, version=(3, 0), expect=f2)
    # float64 with values that are not float32-exact: expected is numpy's own astype.
    f64 = rng.standard_normal((2, 3)) * 1e3
    save("f64.npy", f64, expect=f64.astype(np.float32))
    f16 = np.array([1.0, -2.5, 6.1e-5, 65504.0, 5.96e-8, 0.0], dtype=np.float16)
    save("f16.npy", f16, expect=f16.astype(np.float32))
    i8 = np.array([[0, -1, 7], [123456, -2147483648, 2147483647]], dtype=np.int64)
    save("i8.npy", i8, expect=i8.astype(np.float32))
    expected["i8.npy"]["ints"] = [int(x) for x in i8.reshape(-1)]
    i4 = np.array([[3, -4], [5, 2**24 + 1]], dtype=np.int32)
    save("i4.npy", i4, expect=i4.astype(np.float32))
    expected["i4.npy"]["ints"] = [int(x) for x in i4.reshape(-1)]
    i8_big = np.array([1, 2**40, 3], dtype=np.int64)
    save("i8_big.npy", i8_big)  # int32 narrowing must refuse 2**40
    save("be_f4.npy", f2.astype(">f4"))  # big-endian: refused
    save("fortran.npy", np.asfortranarray(f2))  # fortran_order True: refused


def safetensors_bytes(header, chunks, pad=True, indent=None):
    """Hand-written safetensors file: u64 LE length, JSON header, then the byte buffer."""
    text = json.dumps(header, indent=indent, separators=None if indent else (",", ":")).encode("utf-8")
    if pad:
        text += b" " * (-len(text) % 8)
    return struct.pack("<Q", len(text)) + text + b"".join(chunks)


def write_safetensors_fixtures(expected):
    g = torch.Generator().manual_seed(7)
    users = torch.randn(4, 3, generator=g)
    items = torch.randn(5, 3, generator=g)
    bias = torch.randn(4, generator=g)

    # 1. model.safetensors: what a torch user saves (F32, padded, metadata), laid out by name.
    named = [("item_embedding.weight", items), ("user_bias", bias), ("user_embedding.weight", users)]
    header, chunks, off = {"__metadata__": {"format": "pt", "epoch": "3"}}, [], 0
    for name, t in named:
        raw = t.numpy().astype("<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [off, off + len(raw)]}
        chunks.append(raw)
        off += len(raw)
    with open(os.path.join(OUT, "model.safetensors"), "wb") as f:
        f.write(safetensors_bytes(header, chunks))
    expected["model.safetensors"] = {
        "metadata": {"format": "pt", "epoch": "3"},
        "tensors": {n: {"shape": list(t.shape), "values": flat(t.numpy())} for n, t in named},
    }

    # 2. layout.safetensors: valid but unusual: spaced JSON, unpadded header (data not 4-byte
    #    aligned, so the decoder must copy), buffer order differing from name order, an empty tensor.
    a = torch.randn(2, 2, generator=g)
    b = torch.randn(3, generator=g)
    empty = torch.zeros(0, 4)
    order = [("b", b), ("empty", empty), ("a", a)]
    header, chunks, off = {}, [], 0
    for name, t in order:
        raw = t.numpy().astype("<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [off, off + len(raw)]}
        chunks.append(raw)
        off += len(raw)
    data = safetensors_bytes(header, chunks, pad=False, indent=1)
    assert (8 + struct.unpack("<Q", data[:8])[0]) % 4 != 0, "layout fixture must be unaligned"
    with open(os.path.join(OUT, "layout.safetensors"), "wb") as f:
        f.write(data)
    expected["layout.safetensors"] = {
        "metadata": {},
        "tensors": {n: {"shape": list(t.shape), "values": flat(t.numpy())} for n, t in order},
    }

    # 3. dtypes.safetensors: every convertible dtype; expected = torch's .to(torch.float32).
    src = {
        "f64": torch.tensor([[1.0 / 3.0, -1e10], [2.5, 1e-40]], dtype=torch.float64),
        "f16": torch.tensor([1.0, -2.5, 6.1e-5, 65504.0, 5.96e-8, -0.0], dtype=torch.float16),
        "bf16": torch.tensor([1.0, -3.140625, 1e30, -1e-30, 0.0], dtype=torch.bfloat16),
        "i32": torch.tensor([7, -8, 2**24 + 1], dtype=torch.int32),
        "i64": torch.tensor([[-(2**40) - 1, 5], [2**53 + 1, -3]], dtype=torch.int64),
    }
    dt = {torch.float64: "F64", torch.float16: "F16", torch.bfloat16: "BF16", torch.int32: "I32", torch.int64: "I64"}
    header, chunks, off = {}, [], 0
    for name, t in src.items():
        # torch 1.13 cannot .numpy() a bfloat16 tensor: reinterpret its bits as int16.
        raw = (t.view(torch.int16) if t.dtype == torch.bfloat16 else t).numpy().tobytes()
        header[name] = {"dtype": dt[t.dtype], "shape": list(t.shape), "data_offsets": [off, off + len(raw)]}
        chunks.append(raw)
        off += len(raw)
    with open(os.path.join(OUT, "dtypes.safetensors"), "wb") as f:
        f.write(safetensors_bytes(header, chunks))
    expected["dtypes.safetensors"] = {
        "metadata": {},
        "tensors": {
            n: {"shape": list(t.shape), "values": flat(t.to(torch.float32).numpy())} for n, t in src.items()
        },
    }


def write_library_fixture(expected):
    """lib.safetensors, written by the real safetensors library (0.8.0) when it is importable.

    Without it, the committed file and its expected entry are kept as they are.
    """
    name = "lib.safetensors"
    try:
        import safetensors.torch as st
    except ImportError:
        print(f"note: safetensors not importable; keeping the committed {name}")
        with open(os.path.join(OUT, "expected.json")) as f:
            expected[name] = json.load(f)[name]
        return
    g = torch.Generator().manual_seed(11)
    src = {
        "user_embedding.weight": torch.randn(3, 2, generator=g),
        "item_embedding.weight": torch.randn(2, 2, generator=g).to(torch.bfloat16),
        "item_bias": torch.randn(2, generator=g, dtype=torch.float64),
        "count": torch.tensor([3, -4], dtype=torch.int64),
    }
    st.save_file(src, os.path.join(OUT, name), metadata={"format": "pt"})
    expected[name] = {
        "metadata": {"format": "pt"},
        "tensors": {n: {"shape": list(t.shape), "values": flat(t.to(torch.float32).numpy())} for n, t in src.items()},
    }


def generate():
    os.makedirs(OUT, exist_ok=True)
    expected = {}
    write_npy_fixtures(expected)
    write_safetensors_fixtures(expected)
    write_library_fixture(expected)
    with open(os.path.join(OUT, "expected.json"), "w") as f:
        json.dump(expected, f, indent=1, sort_keys=True)
        f.write("\n")
    total = sum(os.path.getsize(os.path.join(OUT, n)) for n in os.listdir(OUT))
    print(f"wrote {len(os.listdir(OUT))} files, {total} bytes, to {OUT}")


def read_safetensors_by_hand(path):
    """Spec-level reader: returns ({name: torch.Tensor}, metadata), with the spec's checks."""
    with open(path, "rb") as f:
        data = f.read()
    (n,) = struct.unpack("<Q", data[:8])
    assert 8 + n <= len(data), "header past end of file"
    header = json.loads(data[8 : 8 + n].decode("utf-8"))
    metadata = header.pop("__metadata__", {})
    buf = data[8 + n :]
    spans = sorted((info["data_offsets"], name) for name, info in header.items())
    pos = 0
    tensors = {}
    for (begin, end), name in spans:
        assert begin == pos, f"{name}: hole or overlap at {begin} (expected {pos})"
        info = header[name]
        assert info["dtype"] == "F32", f"{name}: dtype {info['dtype']}"
        numel = int(np.prod(info["shape"], dtype=np.int64))
        assert end - begin == 4 * numel, f"{name}: span {end - begin} != 4 * {numel}"
        chunk = bytearray(buf[begin:end])
        t = torch.frombuffer(chunk, dtype=torch.float32) if numel else torch.zeros(0)
        tensors[name] = t.reshape(info["shape"])
        pos = end
    assert pos == len(buf), f"{len(buf) - pos} trailing bytes"
    return tensors, metadata


def verify(directory):
    """Checks files our TS encoder wrote (see the module docstring). Returns the failure count."""
    with open(os.path.join(directory, "manifest.json")) as f:
        manifest = json.load(f)
    try:
        import safetensors.torch as st
    except ImportError:
        st = None
        print("note: safetensors package not importable; checking safetensors files by hand only")
    failures = 0

    def check(ok, what):
        nonlocal failures
        print(("ok   " if ok else "FAIL ") + what)
        failures += 0 if ok else 1

    for name, spec in sorted(manifest.items()):
        path = os.path.join(directory, name)
        raw = open(path, "rb").read()
        if name.endswith(".npy"):
            arr = np.load(path)
            want = np.array(spec["values"], dtype=spec["dtype"]).reshape(spec["shape"])
            check(arr.dtype == np.dtype(spec["dtype"]), f"{name}: dtype {arr.dtype}")
            check(list(arr.shape) == spec["shape"], f"{name}: shape {arr.shape}")
            check(np.array_equal(arr, want), f"{name}: values equal")
            buf = io.BytesIO()
            np.save(buf, want)
            check(buf.getvalue() == raw, f"{name}: bytes identical to np.save ({len(raw)} bytes)")
        else:
            tensors, metadata = read_safetensors_by_hand(path)
            check(metadata == spec["metadata"], f"{name}: metadata {metadata}")
            check(sorted(tensors) == sorted(spec["tensors"]), f"{name}: names {sorted(tensors)}")
            want = {
                k: torch.tensor(v["values"], dtype=torch.float32).reshape(v["shape"]) for k, v in spec["tensors"].items()
            }
            for k, t in want.items():
                check(k in tensors and torch.equal(tensors[k], t), f"{name}: {k} {list(t.shape)} equal (by hand)")
            if st is not None:
                loaded = st.load_file(path)
                for k, t in want.items():
                    check(k in loaded and torch.equal(loaded[k], t), f"{name}: {k} equal (safetensors.torch.load_file)")
                ref = st.save(want, metadata=spec["metadata"] or None)
                if len(spec["metadata"]) <= 1:
                    check(ref == raw, f"{name}: bytes identical to safetensors.torch.save ({len(raw)} bytes)")
                else:
                    # The Rust writer keeps __metadata__ in a HashMap, so its key order varies
                    # from run to run; compare the parsed headers and the data bytes instead.
                    (n_ref,), (n_raw,) = struct.unpack("<Q", ref[:8]), struct.unpack("<Q", raw[:8])
                    same = n_ref == n_raw and ref[8 + n_ref :] == raw[8 + n_raw :]
                    same = same and json.loads(ref[8 : 8 + n_ref]) == json.loads(raw[8 : 8 + n_raw])
                    check(same, f"{name}: same header (as JSON), length and data bytes as safetensors.torch.save")
    print(f"{failures} failed")
    return failures


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--verify":
        sys.exit(1 if verify(sys.argv[2]) else 0)
    elif len(sys.argv) == 1:
        generate()
    else:
        sys.exit("usage: gen_io.py            (write fixtures)\n       gen_io.py --verify DIR")
