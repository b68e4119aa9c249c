"""Golden values for Embedding / EmbeddingBag from real PyTorch.

Run with Debian's torch (apt-get install python3-torch):
    /usr/bin/python3 packages/core/test/golden/gen_embedding.py
Writes embedding.json beside this file. The TypeScript tests replay each case
(same weights, indices, offsets, per-sample weights and output gradient) and compare
forward outputs, weights after max_norm renormalisation, the weight gradient (sparse
gradients are densified) and the per-sample-weights gradient within 1e-5 relative.
"""
import json
import os

import torch
import torch.nn.functional as F

torch.manual_seed(1234)
cases = []


def flat(t):
    return [float(x) for x in t.detach().reshape(-1).tolist()]


def emb_case(name, num, dim, idx, **opts):
    weight = torch.randn(num, dim)
    pad = opts.get("padding_idx")
    if pad is not None:
        weight[pad] = 0  # as the module's reset_parameters does
    w = torch.nn.Parameter(weight.clone())
    indices = torch.tensor(idx, dtype=torch.long)
    out = F.embedding(indices, w, padding_idx=pad, max_norm=opts.get("max_norm"),
                      norm_type=opts.get("norm_type", 2.0),
                      scale_grad_by_freq=opts.get("scale_grad_by_freq", False),
                      sparse=opts.get("sparse", False))
    g = torch.randn(out.shape)
    out.backward(g)
    grad = w.grad.to_dense() if w.grad.is_sparse else w.grad
    cases.append({
        "name": name, "kind": "embedding", "num": num, "dim": dim,
        "options": {k: v for k, v in opts.items()},
        "weight": flat(weight), "indices": flat(indices), "indicesShape": list(indices.shape),
        "gradOutput": flat(g), "output": flat(out), "outputShape": list(out.shape),
        "weightAfter": flat(w), "grad": flat(grad),
    })


def bag_case(name, num, dim, idx, offsets=None, psw=None, **opts):
    weight = torch.randn(num, dim)
    pad = opts.get("padding_idx")
    if pad is not None:
        weight[pad] = 0
    w = torch.nn.Parameter(weight.clone())
    indices = torch.tensor(idx, dtype=torch.long)
    off = None if offsets is None else torch.tensor(offsets, dtype=torch.long)
    ps = None
    if psw is not None:
        ps = torch.tensor(psw, dtype=torch.float32, requires_grad=True)
    out = F.embedding_bag(indices, w, off, max_norm=opts.get("max_norm"),
                          norm_type=opts.get("norm_type", 2.0),
                          scale_grad_by_freq=opts.get("scale_grad_by_freq", False),
                          mode=opts.get("mode", "mean"), sparse=opts.get("sparse", False),
                          per_sample_weights=ps,
                          include_last_offset=opts.get("include_last_offset", False),
                          padding_idx=pad)
    g = torch.randn(out.shape)
    out.backward(g)
    grad = w.grad.to_dense() if w.grad.is_sparse else w.grad
    note = None
    if opts.get("scale_grad_by_freq"):
        # torch's CPU embedding_bag backward divides by the count of the wrong index when
        # scale_grad_by_freq is set (pytorch/pytorch#190063, present in 1.13). Take the
        # reference gradient from F.embedding (whose scaling is correct) followed by the same
        # per-bag reduction, which is what the documented semantics say.
        assert offsets is not None and opts.get("mode") in ("sum", "mean")
        w2 = torch.nn.Parameter(weight.clone())
        rows = F.embedding(indices, w2, scale_grad_by_freq=True)
        ends = list(offsets) + [len(idx)]
        outs = []
        for b in range(len(offsets)):
            seg = rows[ends[b]:ends[b + 1]]
            outs.append(seg.sum(0) if opts["mode"] == "sum" else seg.mean(0))
        torch.stack(outs).backward(g)
        grad = w2.grad
        note = "reference gradient from F.embedding(scale_grad_by_freq) + per-bag reduction; see pytorch#190063"
    case = {
        "name": name, "kind": "bag", "num": num, "dim": dim, "options": opts,
        "weight": flat(weight), "indices": flat(indices), "indicesShape": list(indices.shape),
        "offsets": offsets, "perSampleWeights": psw,
        "gradOutput": flat(g), "output": flat(out), "outputShape": list(out.shape),
        "weightAfter": flat(w), "grad": flat(grad),
    }
    if note:
        case["note"] = note
    if ps is not None:
        case["perSampleWeightsGrad"] = flat(ps.grad)
    cases.append(case)


# Embedding
emb_case("1-D lookup", 10, 3, [1, 2, 4, 5, 4, 3, 2, 9])
emb_case("2-D lookup", 10, 4, [[1, 2, 4, 5], [4, 3, 2, 9]])
emb_case("3-D lookup", 7, 2, [[[0, 1], [2, 3]], [[6, 6], [5, 4]]])
emb_case("padding_idx", 10, 3, [[0, 2, 0, 5]], padding_idx=0)
emb_case("negative padding_idx", 10, 3, [9, 2, 9, 5], padding_idx=9)
emb_case("max_norm", 10, 5, [1, 2, 1, 7], max_norm=1.0)
emb_case("max_norm p=1", 10, 5, [1, 2, 1, 7], max_norm=2.0, norm_type=1.0)
emb_case("max_norm p=3", 10, 5, [3, 4], max_norm=0.5, norm_type=3.0)
emb_case("scale_grad_by_freq", 10, 3, [1, 1, 1, 2, 3, 3], scale_grad_by_freq=True)
emb_case("scale_grad_by_freq + padding", 10, 3, [0, 0, 1, 1, 1, 2], scale_grad_by_freq=True, padding_idx=0)
emb_case("sparse", 10, 3, [1, 2, 4, 5, 4, 3, 2, 9], sparse=True)
emb_case("sparse + padding", 10, 3, [[1, 0], [0, 2]], sparse=True, padding_idx=0)

# EmbeddingBag
bag_case("sum 1-D offsets", 10, 3, [1, 2, 4, 5, 4, 3, 2, 9], [0, 4], mode="sum")
bag_case("mean 2-D", 10, 3, [[1, 2, 4, 5], [4, 3, 2, 9]], mode="mean")
bag_case("max 2-D", 10, 4, [[1, 2, 4, 5], [4, 3, 2, 9]], mode="max")
bag_case("max 1-D with empty bag", 10, 4, [1, 2, 4, 5, 4, 3], [0, 2, 2, 5], mode="max")
bag_case("mean with empty bag", 10, 3, [1, 2, 4, 5, 4, 3], [0, 0, 3], mode="mean")
bag_case("sum per_sample_weights", 10, 3, [1, 2, 4, 5, 4, 3, 2, 9], [0, 4],
         psw=[0.5, -1.0, 2.0, 0.25, 1.5, 1.0, -0.5, 3.0], mode="sum")
bag_case("include_last_offset", 10, 3, [1, 2, 4, 5, 4, 3, 2, 9], [0, 3, 8], mode="sum", include_last_offset=True)
bag_case("mean padding_idx", 10, 3, [1, 0, 4, 0, 0, 0, 2, 9], [0, 4, 6], mode="mean", padding_idx=0)
bag_case("sum padding_idx", 10, 3, [[1, 0, 4], [0, 0, 3]], mode="sum", padding_idx=0)
bag_case("max padding_idx", 10, 3, [[1, 0, 4], [0, 0, 0]], mode="max", padding_idx=0)
bag_case("mean sparse", 10, 3, [1, 2, 4, 5, 4, 3, 2, 9], [0, 4], mode="mean", sparse=True)
bag_case("sum sparse per_sample_weights", 10, 3, [1, 2, 2, 5], [0, 2], psw=[1.0, 2.0, -1.0, 0.5],
         mode="sum", sparse=True)
bag_case("mean scale_grad_by_freq", 10, 3, [1, 1, 2, 1, 3, 3], [0, 3], mode="mean", scale_grad_by_freq=True)
bag_case("sum scale_grad_by_freq", 10, 3, [1, 1, 3], [0], mode="sum", scale_grad_by_freq=True)
bag_case("sum max_norm", 10, 5, [1, 2, 1, 7], [0, 2], mode="sum", max_norm=1.0)
bag_case("max duplicate rows", 6, 3, [[2, 2, 1]], mode="max")

out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "embedding.json")
with open(out, "w") as f:
    json.dump({"torch": torch.__version__, "cases": cases}, f, indent=1)
print(f"wrote {len(cases)} cases to {out}")
