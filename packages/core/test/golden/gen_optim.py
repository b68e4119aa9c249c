"""Golden fixtures for @quiver/core optimizers and LR schedules, from real PyTorch 1.13.

Run:  /usr/bin/python3 packages/core/test/golden/gen_optim.py
Writes optim.json beside this file. For each case: the optimizer and its options (camelCase,
as in Quiver), the initial weights of each parameter, and per step the gradient fed to each
parameter (dense values, or row-sparse `rows` + `values` exactly as nn.Embedding(sparse=True)
produces them, duplicates included) and the weights after optimizer.step().
Schedule cases record get_last_lr() after construction and after each scheduler.step().

RowWiseAdagrad has no torch.optim counterpart: its reference is FBGEMM's rowwise_adagrad
formula written here with torch tensor ops (an independent implementation).
"""
import json
import math
import os

import torch

torch.manual_seed(1234)
assert torch.__version__.startswith("1.13"), torch.__version__


def flat(t):
    return [float(x) for x in t.detach().reshape(-1).tolist()]


def dense_case(name, make_opt, opts, shapes, steps, opt_name, groups=None):
    params = [torch.nn.Parameter(torch.randn(*s)) for s in shapes]
    init = [flat(p) for p in params]
    if groups is None:
        opt = make_opt(params)
    else:
        opt = make_opt([dict(params=[params[i] for i in g["params"]], **g["overrides"]) for g in groups])
    recs = []
    for _ in range(steps):
        opt.zero_grad()
        grads = []
        for p in params:
            g = torch.randn_like(p)
            p.grad = g.clone()
            grads.append({"dense": flat(g)})
        opt.step()
        recs.append({"grads": grads, "weights": [flat(p) for p in params]})
    return {
        "name": name,
        "optimizer": opt_name,
        "options": opts,
        "groups": groups,
        "shapes": [list(s) for s in shapes],
        "init": init,
        "steps": recs,
    }


def sparse_case(name, make_opt, opts, num, dim, steps, opt_name, batch=6):
    emb = torch.nn.Embedding(num, dim, sparse=True)
    init = [flat(emb.weight)]
    opt = make_opt([emb.weight])
    recs = []
    for s in range(steps):
        opt.zero_grad()
        idx = torch.randint(0, num, (batch,))
        idx[1] = idx[0]  # always a repeated index
        up = torch.randn(batch, dim)
        (emb(idx) * up).sum().backward()
        g = emb.weight.grad
        assert g.is_sparse
        rows = g._indices()[0].tolist()
        vals = flat(g._values())
        opt.step()
        recs.append({"grads": [{"rows": [int(r) for r in rows], "values": vals}], "weights": [flat(emb.weight)]})
    return {
        "name": name,
        "optimizer": opt_name,
        "options": opts,
        "groups": None,
        "shapes": [[num, dim]],
        "init": init,
        "steps": recs,
    }


def rowwise_case(name, lr, lr_decay, wd, init_acc, eps, num, dim, steps, sparse):
    """FBGEMM rowwise_adagrad (L2 weight decay): sum[r] += mean(g^2); w_r -= clr/(sqrt(sum[r])+eps) * g."""
    w = torch.randn(num, dim)
    acc = torch.full((num,), float(init_acc))
    init = [flat(w)]
    recs = []
    for step in range(1, steps + 1):
        clr = lr / (1 + (step - 1) * lr_decay)
        if sparse:
            idx = torch.randint(0, num, (5,))
            idx[1] = idx[0]
            vals = torch.randn(5, dim)
            grad_rec = {"rows": [int(r) for r in idx.tolist()], "values": flat(vals)}
            dense = torch.zeros(num, dim).index_add_(0, idx, vals)
            rows = torch.unique(idx)
        else:
            dense = torch.randn(num, dim)
            grad_rec = {"dense": flat(dense)}
            rows = torch.arange(num)
        g = dense[rows] + wd * w[rows]
        acc[rows] += (g * g).mean(dim=1)
        mult = clr / (acc[rows].sqrt() + eps)
        w[rows] = w[rows] - mult[:, None] * g
        recs.append({"grads": [grad_rec], "weights": [flat(w)]})
    return {
        "name": name,
        "optimizer": "RowWiseAdagrad",
        "options": {"lr": lr, "lrDecay": lr_decay, "weightDecay": wd, "initialAccumulatorValue": init_acc, "eps": eps},
        "groups": None,
        "shapes": [[num, dim]],
        "init": init,
        "steps": recs,
    }


O = torch.optim
cases = []
cases.append(dense_case(
    "sgd_momentum_weight_decay",
    lambda p: O.SGD(p, lr=0.1, momentum=0.9, dampening=0.1, weight_decay=0.01),
    {"lr": 0.1, "momentum": 0.9, "dampening": 0.1, "weightDecay": 0.01}, [(4, 3), (5,)], 5, "SGD"))
cases.append(dense_case(
    "sgd_nesterov",
    lambda p: O.SGD(p, lr=0.05, momentum=0.8, nesterov=True, weight_decay=0.001),
    {"lr": 0.05, "momentum": 0.8, "nesterov": True, "weightDecay": 0.001}, [(3, 4)], 5, "SGD"))
cases.append(dense_case(
    "sgd_groups_maximize",
    lambda g: O.SGD(g, lr=0.1, momentum=0.5, maximize=True),
    {"lr": 0.1, "momentum": 0.5, "maximize": True}, [(2, 3), (4,)], 3, "SGD",
    groups=[{"params": [0], "overrides": {}}, {"params": [1], "overrides": {"lr": 0.01, "momentum": 0.0}}]))
cases.append(sparse_case(
    "sgd_sparse", lambda p: O.SGD(p, lr=0.1), {"lr": 0.1}, 10, 4, 4, "SGD"))
cases.append(sparse_case(
    "sgd_sparse_momentum", lambda p: O.SGD(p, lr=0.1, momentum=0.9, dampening=0.2),
    {"lr": 0.1, "momentum": 0.9, "dampening": 0.2}, 10, 4, 4, "SGD"))
cases.append(sparse_case(
    "sgd_sparse_nesterov", lambda p: O.SGD(p, lr=0.1, momentum=0.9, nesterov=True),
    {"lr": 0.1, "momentum": 0.9, "nesterov": True}, 10, 4, 4, "SGD"))
cases.append(dense_case(
    "adagrad_dense",
    lambda p: O.Adagrad(p, lr=0.1, lr_decay=0.01, weight_decay=0.1, initial_accumulator_value=0.1, eps=1e-10),
    {"lr": 0.1, "lrDecay": 0.01, "weightDecay": 0.1, "initialAccumulatorValue": 0.1, "eps": 1e-10},
    [(4, 3)], 5, "Adagrad"))
cases.append(sparse_case(
    "adagrad_sparse",
    lambda p: O.Adagrad(p, lr=0.1, lr_decay=0.05, initial_accumulator_value=0.05),
    {"lr": 0.1, "lrDecay": 0.05, "initialAccumulatorValue": 0.05}, 12, 4, 5, "Adagrad"))
cases.append(sparse_case(
    "sparse_adam",
    lambda p: O.SparseAdam(p, lr=0.01, betas=(0.9, 0.99), eps=1e-8),
    {"lr": 0.01, "betas": [0.9, 0.99], "eps": 1e-8}, 12, 4, 6, "SparseAdam"))
cases.append(dense_case(
    "adam_weight_decay",
    lambda p: O.Adam(p, lr=0.01, betas=(0.8, 0.95), eps=1e-6, weight_decay=0.05),
    {"lr": 0.01, "betas": [0.8, 0.95], "eps": 1e-6, "weightDecay": 0.05}, [(4, 3), (3,)], 5, "Adam"))
cases.append(dense_case(
    "adam_amsgrad",
    lambda p: O.Adam(p, lr=0.02, amsgrad=True),
    {"lr": 0.02, "amsgrad": True}, [(3, 5)], 6, "Adam"))
cases.append(dense_case(
    "adam_groups",
    lambda g: O.Adam(g, lr=0.01),
    {"lr": 0.01}, [(2, 3), (4,)], 3, "Adam",
    groups=[{"params": [0], "overrides": {}}, {"params": [1], "overrides": {"lr": 0.1, "betas": (0.5, 0.9)}}]))
cases.append(dense_case(
    "adamw",
    lambda p: O.AdamW(p, lr=0.01, weight_decay=0.1),
    {"lr": 0.01, "weightDecay": 0.1}, [(4, 3)], 5, "AdamW"))
cases.append(dense_case(
    "adamw_amsgrad",
    lambda p: O.AdamW(p, lr=0.01, amsgrad=True),
    {"lr": 0.01, "amsgrad": True}, [(3, 3)], 5, "AdamW"))
cases.append(rowwise_case("row_wise_adagrad_sparse", 0.1, 0.05, 0.01, 0.02, 1e-10, 10, 4, 5, True))
cases.append(rowwise_case("row_wise_adagrad_dense", 0.1, 0.0, 0.0, 0.0, 1e-10, 5, 3, 4, False))
for c in cases:  # JSON wants lists, not tuples, in the group overrides
    for g in c["groups"] or []:
        g["overrides"] = {k: (list(v) if isinstance(v, tuple) else v) for k, v in g["overrides"].items()}


def sched_case(name, make, opts, epochs=12, lrs=(0.1, 0.02)):
    p1 = torch.nn.Parameter(torch.zeros(1))
    p2 = torch.nn.Parameter(torch.zeros(1))
    opt = O.SGD([{"params": [p1], "lr": lrs[0]}, {"params": [p2], "lr": lrs[1]}], lr=lrs[0])
    sch = make(opt)
    out = [list(sch.get_last_lr())]
    for _ in range(epochs):
        opt.step()
        sch.step()
        out.append(list(sch.get_last_lr()))
    return {"name": name, "options": opts, "baseLrs": list(lrs), "lrs": out}


S = O.lr_scheduler
schedules = [
    sched_case("StepLR", lambda o: S.StepLR(o, step_size=3, gamma=0.5), {"stepSize": 3, "gamma": 0.5}),
    sched_case("ExponentialLR", lambda o: S.ExponentialLR(o, gamma=0.9), {"gamma": 0.9}),
    sched_case("CosineAnnealingLR", lambda o: S.CosineAnnealingLR(o, T_max=5, eta_min=0.001),
               {"tMax": 5, "etaMin": 0.001}),
    sched_case("LinearWarmup", lambda o: S.LinearLR(o, start_factor=0.25, end_factor=1.0, total_iters=4),
               {"startFactor": 0.25, "endFactor": 1.0, "totalIters": 4}),
    sched_case("LambdaLR", lambda o: S.LambdaLR(o, lambda e: 1.0 / (1 + e)), {"lambda": "1/(1+epoch)"}),
]

out = {
    "generator": "gen_optim.py",
    "torch": torch.__version__,
    "cases": cases,
    "schedules": schedules,
}
path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "optim.json")
with open(path, "w") as f:
    json.dump(out, f, separators=(",", ":"))
print("wrote", path, sum(len(c["steps"]) for c in cases), "steps,", len(schedules), "schedules")
