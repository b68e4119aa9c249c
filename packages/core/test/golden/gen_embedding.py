"""Golden values for Embedding / EmbeddingBag from real PyTorch.

Run with Debian's torch (apt-get install python3-torch):
    /usr/bin/python3 packages/core/test/golden/gen_embedding.py
Writes embedding.json beside this file. The TypeScript tests replay each case
(same weights, indices, offsets, per-sample weights and output gradient) and compare
forward outputs, weights after max_norm renormalisation, the weight gradient (sparse
gradients are densified) and the per-sample-weights gradient within 1e-5 relative.

"checks" records what torch does with two combinations that Quiver refuses (see
torch_checks() below); the tests cite these records next to Quiver's errors. They run after
every case and draw from their own generator, so they change none of the cases' values.
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


def torch_checks():
    """What torch does with the two EmbeddingBag combinations that Quiver refuses."""
    gen = torch.Generator().manual_seed(4321)  # own stream: the cases above keep their values
    checks = []

    # 1. include_last_offset=True with 2-D input (B, N) and no offsets. F.embedding_bag turns
    # the input into offsets arange(0, B*N, N) = [0, N, ..., (B-1)N] (B entries) without
    # looking at include_last_offset, and the kernel then reads the last of them as the end of
    # the last bag: B-1 bags, the last row dropped. nn.EmbeddingBag.forward only calls
    # F.embedding_bag, so the module does the same. Only the forward of 'sum' and 'mean' is
    # run here; the rest is undefined behaviour in torch 1.13 (CPU), seen by hand:
    # - 'max' writes outside its buffers already in forward (even under no_grad): the process
    #   aborts in some runs ("free(): invalid next size (fast)", "invalid fastbin entry
    #   (free)"), so this script does not call it;
    # - backward: the map from index to bag still sends the dropped row's indices to bag B-1,
    #   which the (B-1)-row output gradient does not have, so 'sum' and 'mean' give those
    #   rows gradients read from outside the buffer (0 in some runs, 1.1e-43 or 137.07 in
    #   others) and 'max' corrupts the heap.
    num, dim, B = 10, 3, 3  # B = 3 rows of N = 3 indices
    weight = torch.randn(num, dim, generator=gen)
    idx = torch.tensor([[1, 2, 4], [4, 3, 2], [0, 5, 6]], dtype=torch.long)
    results = []
    for mode in ("sum", "mean"):
        module = torch.nn.EmbeddingBag(num, dim, mode=mode, include_last_offset=True,
                                       _weight=weight.clone())
        with torch.no_grad():
            out = module(idx)
            fout = F.embedding_bag(idx, weight, mode=mode, include_last_offset=True)
            plain = F.embedding_bag(idx, weight, mode=mode)  # one bag per row, B bags
            single = F.embedding_bag(idx[:1], weight, mode=mode, include_last_offset=True)
        results.append({
            "mode": mode,
            "outputShape": list(out.shape),
            "output": flat(out),
            "functionalOutputShape": list(fout.shape),
            "moduleEqualsFunctional": bool(torch.equal(out, fout)),
            "equalsFirstRowsWithoutIncludeLastOffset": bool(torch.equal(out, plain[:B - 1])),
            "singleRowOutputShape": list(single.shape),
        })
    checks.append({
        "name": "2-D input with include_last_offset",
        "num": num, "dim": dim, "weight": flat(weight),
        "indices": flat(idx), "indicesShape": list(idx.shape),
        "results": results,
        "note": ("B-1 bags (rows 0..B-2); in mode 'mean' the last of them is divided by the "
                 "number of indices from its start to the end of the input (2N), not by N. "
                 "Mode 'max' (forward) and every backward are undefined behaviour: out-of-bounds "
                 "reads and writes, sometimes aborting the process (see gen_embedding.py)."),
    })

    # 2. mode='max' with scale_grad_by_freq=True: the module is built without complaint;
    # F.embedding_bag raises before any computation, whatever the input, grad mode or sparse.
    x = torch.tensor([1, 1, 2, 3], dtype=torch.long)
    off = torch.tensor([0, 2], dtype=torch.long)
    weight = torch.randn(num, dim, generator=gen)

    def raised(fn):
        try:
            fn()
        except Exception as e:  # noqa: BLE001 - the class is what we record
            return {"type": type(e).__name__, "message": str(e)}
        return None

    built = raised(lambda: torch.nn.EmbeddingBag(num, dim, mode="max", scale_grad_by_freq=True))
    module = torch.nn.EmbeddingBag(num, dim, mode="max", scale_grad_by_freq=True, _weight=weight.clone())
    before = module.weight.detach().clone()

    def no_grad_forward():
        with torch.no_grad():
            module(x, off)

    checks.append({
        "name": "max with scale_grad_by_freq",
        "constructorRaises": built,
        "forwardRaises": raised(lambda: module(x, off)),
        "forward2dRaises": raised(lambda: module(x.reshape(2, 2))),
        "noGradForwardRaises": raised(no_grad_forward),
        "functionalRaises": raised(lambda: F.embedding_bag(x, weight, off, mode="max", scale_grad_by_freq=True)),
        "sparseForwardRaises": raised(lambda: F.embedding_bag(x, weight, off, mode="max",
                                                              scale_grad_by_freq=True, sparse=True)),
        "maxNormWeightUnchanged": (raised(lambda: F.embedding_bag(x, module.weight, off, max_norm=0.1, mode="max",
                                                                  scale_grad_by_freq=True)) is not None
                                   and bool(torch.equal(module.weight.detach(), before))),
    })
    return checks


checks = torch_checks()
out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "embedding.json")
with open(out, "w") as f:
    json.dump({"torch": torch.__version__, "cases": cases, "checks": checks}, f, indent=1)
print(f"wrote {len(cases)} cases and {len(checks)} checks to {out}")
