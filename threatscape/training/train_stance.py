"""Train the stance head as a branch of the released event encoder and add its graph to the artefact.

``make train-stance`` runs ``python -m threatscape.training.train_stance`` after ``make train``.
The event model is left as it is: its embeddings and first ``fork`` layers are shared and frozen;
the stance branch is its own copy of the base encoder's layers above the fork, fine-tuned with a
stance head on the stance corpus's statements, each read as ``head_input`` (speaker, cue,
statement: what the claims extractor knows at run time). Training both heads through one encoder
cost the event heads accuracy (see the stance datasheet); a branch cannot. The chain:

1. ``fork_states``: the released int8 graph's hidden states at the fork for every statement, the
   very states the branch gets at run time;
2. ``train_branch``: per seed, fine-tune the branch; scored on ``valid`` (``test`` reported only);
3. the valid-best seed is exported, quantised to int8 and joined to the event graph's nodes up to
   the fork in a graph of its own (``stance_graph``), written beside the event graph as
   ``stance.onnx``: the event graph is not touched, so typing events costs what it did;
4. the artefact is scored with the runtime (``EventEncoder``) on ``valid`` and ``test``;
   its manifest keeps the event figures and gains a ``stance`` section.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

from threatscape.extract.claims.learned import head_input
from threatscape.extract.nlp.encoder import STANCE_GRAPH
from threatscape.training.stance_corpus import STANCES, Statement, load_statements, stance_sha256
from threatscape.training.train_events import (
    OUT_DIR,
    base_model_dir,
    file_sha256,
    fit_temperature,
    load_tokenizer,
    stance_macro_f1,
)

__all__ = ["StanceParams", "fork_tensor", "main", "stance_graph", "write_stanced"]

HIDDEN = 384  # all-MiniLM-L6-v2


@dataclass(frozen=True)
class StanceParams:
    fork: int = 2  # layers of the event encoder shared with the branch (0: the embeddings only)
    epochs: int = 4
    batch_size: int = 32
    lr: float = 5e-5
    head_lr: float = 1e-3
    warmup: float = 0.1
    weight_decay: float = 0.01
    dropout: float = 0.1
    max_len: int = 128
    marked: bool = True  # the head reads head_input(statement, speaker, cue), else the statement alone
    label_smoothing: float = 0.0


def fork_tensor(fork: int) -> str:
    """The name, in the exported event graph, of the hidden states after ``fork`` layers."""
    if fork == 0:
        return "/encoder/embeddings/LayerNorm/LayerNormalization_output_0"
    return f"/encoder/encoder/layer.{fork - 1}/output/LayerNorm/LayerNormalization_output_0"


def statement_inputs(statements: list[Statement], marked: bool) -> list[str]:
    return [head_input(st.text, st.speaker, st.cue) if marked else st.text for st in statements]


def fork_states(model: Path, fork: int, texts: list[str], max_len: int) -> list[np.ndarray]:
    """Per text, the event graph's hidden states at the fork (tokens x hidden, float16)."""
    import onnx
    import onnxruntime as ort

    graph = onnx.load(str(model))
    graph.graph.output.append(onnx.helper.make_tensor_value_info(fork_tensor(fork), onnx.TensorProto.FLOAT, None))
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = 2
    session = ort.InferenceSession(graph.SerializeToString(), opts, providers=["CPUExecutionProvider"])
    tok = load_tokenizer(model.parent / "tokenizer.json", max_len)
    out: list[np.ndarray] = [np.zeros(0)] * len(texts)
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    for start in range(0, len(order), 32):
        idx = order[start : start + 32]
        enc = tok.encode_batch([texts[i] for i in idx])
        ids = np.array([e.ids for e in enc], dtype=np.int64)
        mask = np.array([e.attention_mask for e in enc], dtype=np.int64)
        (states,) = session.run([fork_tensor(fork)], {"input_ids": ids, "attention_mask": mask})
        for row, i in enumerate(idx):
            out[i] = states[row, : int(mask[row].sum())].astype(np.float16)
    return out


def _batch(states: list[np.ndarray], rows: list[int]) -> tuple[Any, Any]:
    import torch

    width = max(len(states[i]) for i in rows)
    x = np.zeros((len(rows), width, HIDDEN), dtype=np.float32)
    mask = np.zeros((len(rows), width), dtype=np.int64)
    for n, i in enumerate(rows):
        x[n, : len(states[i])] = states[i]
        mask[n, : len(states[i])] = 1
    return torch.from_numpy(x), torch.from_numpy(mask)


def build_branch(base_dir: Path, sp: StanceParams) -> Any:
    import torch
    from torch import nn
    from transformers import AutoModel

    base = AutoModel.from_pretrained(str(base_dir), attn_implementation="eager")

    class StanceBranch(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.layers = nn.ModuleList(list(base.encoder.layer)[sp.fork :])
            self.dropout = nn.Dropout(sp.dropout)
            self.head = nn.Linear(HIDDEN, len(STANCES))

        def forward(self, states: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
            mask = attention_mask.to(states.dtype)
            additive = (1.0 - mask[:, None, None, :]) * -10000.0
            for layer in self.layers:
                out = layer(states, attention_mask=additive)
                states = out[0] if isinstance(out, tuple) else out
            pooled = (states * mask.unsqueeze(-1)).sum(1) / mask.sum(1, keepdim=True).clamp(min=1e-6)
            return self.head(self.dropout(pooled))

    return StanceBranch()


def train_branch(
    seed: int, states: list[np.ndarray], gold: list[str], base_dir: Path, sp: StanceParams, log: Any
) -> Any:
    import torch
    from torch import nn

    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    net = build_branch(base_dir, sp)
    index = {label: i for i, label in enumerate(STANCES)}
    opt = torch.optim.AdamW(
        [
            {"params": list(net.layers.parameters()), "lr": sp.lr},
            {"params": list(net.head.parameters()), "lr": sp.head_lr},
        ],
        weight_decay=sp.weight_decay,
    )
    steps = (len(states) + sp.batch_size - 1) // sp.batch_size
    total, warm = steps * sp.epochs, max(1, int(steps * sp.epochs * sp.warmup))
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min(1.0, (s + 1) / warm) * max(0.0, (total - s) / max(1, total - warm))
    )
    loss_fn = nn.CrossEntropyLoss(label_smoothing=sp.label_smoothing)
    rng = random.Random(seed)
    for epoch in range(sp.epochs):
        net.train()
        order = list(range(len(states)))
        rng.shuffle(order)
        started, running = time.monotonic(), 0.0
        for b in range(steps):
            rows = order[b * sp.batch_size : (b + 1) * sp.batch_size]
            x, mask = _batch(states, rows)
            loss = loss_fn(net(x, mask), torch.tensor([index[gold[i]] for i in rows]))
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(net.parameters(), 1.0)
            opt.step()
            sched.step()
            running += float(loss.detach())
        took = time.monotonic() - started
        log(f"  seed {seed} epoch {epoch + 1}/{sp.epochs}: loss {running / steps:.3f} ({took:.0f} s)")
    net.eval()
    return net


def branch_logits(net: Any, states: list[np.ndarray]) -> np.ndarray:
    import torch

    out = []
    with torch.no_grad():
        for start in range(0, len(states), 64):
            out.append(net(*_batch(states, list(range(start, min(start + 64, len(states)))))).numpy())
    return np.concatenate(out)


# ---- export -----------------------------------------------------------------------------------------
def export_branch(net: Any, path: Path) -> None:
    import torch

    torch.onnx.export(
        net,
        (torch.zeros((2, 16, HIDDEN)), torch.ones((2, 16), dtype=torch.long)),
        str(path),
        input_names=["states", "attention_mask"],
        output_names=["stance_logits"],
        dynamic_axes={"states": {0: "batch", 1: "seq"}, "attention_mask": {0: "batch", 1: "seq"}}
        | {"stance_logits": {0: "batch"}},
        opset_version=17,
        dynamo=False,
    )


def stance_graph(event_model: Path, branch_model: Path, fork: int, out: Path) -> None:
    """The stance head's own graph: the event graph's nodes up to its hidden states at ``fork``
    (the very weights the branch was trained on), then the branch; ``input_ids`` and
    ``attention_mask`` in, ``stance_logits`` out. The event graph is left as it is, so typing
    events costs what it did; a statement costs one pass through this graph."""
    import onnx
    from onnx.utils import Extractor

    main = onnx.load(str(event_model))
    _drop_branch(main.graph)
    main = onnx.shape_inference.infer_shapes(main)
    states = fork_tensor(fork)
    if states not in {v.name for v in main.graph.value_info}:  # shapes not inferred that far
        main.graph.value_info.append(onnx.helper.make_tensor_value_info(states, onnx.TensorProto.FLOAT, None))
    stem = Extractor(main).extract_model(["input_ids", "attention_mask"], [states])
    _append_branch(stem, onnx.load(str(branch_model)), fork)
    stem.graph.output.remove(next(o for o in stem.graph.output if o.name == states))
    onnx.checker.check_model(stem)
    onnx.save(stem, str(out))


def _append_branch(main: Any, branch: Any, fork: int) -> None:
    """Add ``branch``'s nodes to ``main``, its ``states`` input wired to ``main``'s tensor at ``fork``."""
    keep = {"attention_mask": "attention_mask", "states": fork_tensor(fork), "stance_logits": "stance_logits"}

    def name(n: str) -> str:
        return n if not n else keep.get(n, f"stance/{n}")

    for node in branch.graph.node:
        node.name = name(node.name) if node.name else ""
        node.input[:] = [name(n) for n in node.input]
        node.output[:] = [name(n) for n in node.output]
        main.graph.node.append(node)
    for init in branch.graph.initializer:
        init.name = name(init.name)
        main.graph.initializer.append(init)
    for info in branch.graph.value_info:
        info.name = name(info.name)
        main.graph.value_info.append(info)
    main.graph.output.extend(o for o in branch.graph.output if o.name == "stance_logits")
    domains = {imp.domain for imp in main.opset_import}
    main.opset_import.extend(imp for imp in branch.opset_import if imp.domain not in domains)


def _drop_branch(graph: Any) -> None:
    """Remove a branch grafted before (a stanced artefact branched again)."""
    grafted = [n for n in graph.node if any(o == "stance_logits" or o.startswith("stance/") for o in n.output)]
    for node in grafted:
        graph.node.remove(node)
    for init in [i for i in graph.initializer if i.name.startswith("stance/")]:
        graph.initializer.remove(init)
    for info in [v for v in graph.value_info if v.name.startswith("stance/")]:
        graph.value_info.remove(info)
    for out in [o for o in graph.output if o.name == "stance_logits"]:
        graph.output.remove(out)


def write_stanced(src: Path, dst: Path, model: Path, stance: dict[str, Any]) -> None:
    """The artefact of ``src`` (its event graph unchanged) with the stance graph ``model`` as
    ``stance.onnx``, the stance labels and a ``stance`` section in its manifest."""
    import shutil

    dst.mkdir(parents=True, exist_ok=True)
    for name in ("model.onnx", "tokenizer.json", "LICENSE.base-model"):
        if (src / name).exists() and src.resolve() != dst.resolve():
            shutil.copyfile(src / name, dst / name)
    manifest = json.loads((src / "manifest.json").read_text(encoding="utf-8"))
    labels = json.loads((src / "labels.json").read_text(encoding="utf-8")) | {"stance": list(STANCES)}
    shutil.copyfile(model, dst / STANCE_GRAPH)
    (dst / "labels.json").write_text(json.dumps(labels, indent=1) + "\n", encoding="utf-8")
    base_version = str(manifest["version"]).split("+")[0]
    manifest["version"] = f"{base_version}+stance-s{stance['chosen_seed']}"
    manifest["stance"] = stance | {"join": (manifest.get("stance") or {}).get("join", {"threshold": 1.01})}
    names = ("model.onnx", STANCE_GRAPH, "tokenizer.json", "labels.json")
    manifest["files"] = {name: file_sha256(dst / name) for name in names}
    (dst / "manifest.json").write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n", encoding="utf-8")


def _cache_path(cache: Path, seed: int, sp: StanceParams, model: Path) -> Path:
    import hashlib

    key = json.dumps(asdict(sp), sort_keys=True) + file_sha256(model / "model.onnx") + stance_sha256()
    return cache / f"branch-{hashlib.sha256(key.encode()).hexdigest()[:12]}-s{seed}.pt"


def _cached(cache: Path | None, seed: int, sp: StanceParams, model: Path, base_dir: Path) -> Any:
    """The branch a run with the same parameters, event model and corpus trained before, or None."""
    if cache is None or not (path := _cache_path(cache, seed, sp, model)).exists():
        return None
    import torch

    net = build_branch(base_dir, sp)
    net.load_state_dict(torch.load(path))
    return net.eval()


def _keep(cache: Path | None, seed: int, sp: StanceParams, model: Path, net: Any) -> None:
    if cache is not None:
        import torch

        cache.mkdir(parents=True, exist_ok=True)
        torch.save(net.state_dict(), _cache_path(cache, seed, sp, model))


@dataclass(frozen=True)
class SeedRun:
    seed: int
    model: Path  # the int8 stance graph
    valid: float  # macro F1 of the int8 artefact, as the extractor runs it
    test: float  # reported, never used for a choice
    test_per_stance: dict[str, float]
    temperature: float  # fitted on valid


def _parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m threatscape.training.train_stance", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--seeds", default="13,29,47", help="comma-separated seeds (at least 3 for a release)")
    parser.add_argument("--fork", type=int, default=StanceParams.fork)
    parser.add_argument("--epochs", type=int, default=StanceParams.epochs)
    parser.add_argument("--lr", type=float, default=StanceParams.lr)
    parser.add_argument("--plain", action="store_true", help="the head reads the statement alone (no speaker, cue)")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--model", type=Path, default=OUT_DIR, help="the event artefact to branch from")
    parser.add_argument("--out", type=Path, default=OUT_DIR)
    parser.add_argument("--no-export", action="store_true", help="score the seeds only (the branch in fp32)")
    parser.add_argument("--cache", type=Path, default=None, help="keep each seed's trained branch here and reuse it")
    return parser.parse_args(argv)


def _int8_run(
    seed: int, net: Any, args: argparse.Namespace, sp: StanceParams, stance: dict[str, Any], tmp: Path
) -> SeedRun:
    """Export and quantise one seed's branch, build its stance graph; score the artefact with the runtime."""
    from threatscape.extract.nlp.encoder import EventEncoder
    from threatscape.training.train_events import quantize

    fp32, int8, graph = (tmp / f"{n}-s{seed}.onnx" for n in ("branch.fp32", "branch.int8", "stance"))
    export_branch(net, fp32)
    quantize(fp32, int8)
    stance_graph(args.model / "model.onnx", int8, sp.fork, graph)
    stage = tmp / f"stage-s{seed}"
    write_stanced(args.model, stage, graph, {"chosen_seed": seed, "temperature": 1.0})
    enc = EventEncoder(stage, threads=args.threads)
    (valid,) = enc.outputs(statement_inputs(stance["valid"], sp.marked), ("stance_logits",))
    (test,) = enc.outputs(statement_inputs(stance["test"], sp.marked), ("stance_logits",))
    t_f1, t_per = stance_macro_f1(stance["test"], test)
    temperature = fit_temperature(valid, [STANCES.index(st.stance) for st in stance["valid"]])
    return SeedRun(seed, graph, stance_macro_f1(stance["valid"], valid)[0], t_f1, t_per, temperature)


def _section(sp: StanceParams, runs: list[SeedRun], best: SeedRun, fp32: dict[str, dict[int, float]]) -> dict[str, Any]:
    """The manifest's ``stance`` section: corpus hashes, branch, seeds and every figure."""
    mean = lambda xs: round(float(np.mean(list(xs))), 4)  # noqa: E731
    return {
        "corpus_sha256": stance_sha256(),
        "corpus_test_sha256": stance_sha256(folders=("test",)),
        "counts": {k: len(load_statements(k)) for k in ("train", "valid", "test")},
        "branch": asdict(sp) | {"fork_tensor": fork_tensor(sp.fork), "input": "head_input" if sp.marked else "text"},
        "seeds": [r.seed for r in runs],
        "chosen_seed": best.seed,
        "temperature": best.temperature,
        "metrics": {
            "valid_seeds_int8": {str(r.seed): r.valid for r in runs},
            "valid_mean_int8": mean(r.valid for r in runs),
            "test_seeds_int8": {str(r.seed): r.test for r in runs},
            "test_mean_int8": mean(r.test for r in runs),
            "valid_seeds_fp32": {str(k): v for k, v in fp32["valid"].items()},
            "test_seeds_fp32": {str(k): v for k, v in fp32["test"].items()},
            "valid_int8_macro_f1": best.valid,
            "test_int8_macro_f1": best.test,
            "test_int8_per_class": best.test_per_stance,
        },
    }


def main(argv: list[str] | None = None) -> int:
    args = _parse(argv)
    import torch

    torch.set_num_threads(args.threads)
    sp = StanceParams(fork=args.fork, epochs=args.epochs, lr=args.lr, marked=not args.plain)
    seeds = [int(s) for s in args.seeds.split(",") if s.strip()]
    log = lambda msg: print(msg, file=sys.stderr, flush=True)  # noqa: E731
    base_dir = base_model_dir()
    stance = {name: load_statements(name) for name in ("train", "valid", "test")}
    states = {
        name: fork_states(args.model / "model.onnx", sp.fork, statement_inputs(sts, sp.marked), sp.max_len)
        for name, sts in stance.items()
    }
    log(f"stance: {', '.join(f'{k} {len(v)}' for k, v in stance.items())}; {asdict(sp)}")
    fp32: dict[str, dict[int, float]] = {"valid": {}, "test": {}}
    runs: list[SeedRun] = []
    with tempfile.TemporaryDirectory() as tmp:
        for seed in seeds:
            started = time.monotonic()
            net = _cached(args.cache, seed, sp, args.model, base_dir)
            if net is None:
                net = train_branch(seed, states["train"], [st.stance for st in stance["train"]], base_dir, sp, log)
                _keep(args.cache, seed, sp, args.model, net)
            for split in ("valid", "test"):  # test: reported, never used for a choice
                fp32[split][seed] = stance_macro_f1(stance[split], branch_logits(net, states[split]))[0]
            log(f"seed {seed}: fp32 valid {fp32['valid'][seed]:.4f} ({time.monotonic() - started:.0f} s)")
            if not args.no_export:
                runs.append(run := _int8_run(seed, net, args, sp, stance, Path(tmp)))
                log(f"seed {seed}: int8 valid {run.valid:.4f}, test {run.test:.4f}")
        log(f"fp32 valid mean {np.mean(list(fp32['valid'].values())):.4f}: {fp32['valid']}")
        log(f"fp32 test (reported only) mean {np.mean(list(fp32['test'].values())):.4f}: {fp32['test']}")
        if args.no_export:
            return 0
        best = max(runs, key=lambda r: (r.valid, -r.seed))
        write_stanced(args.model, args.out, best.model, _section(sp, runs, best, fp32))
    log(
        f"wrote {args.out} (stance seed {best.seed}); int8 stance macro F1 valid {best.valid:.4f}, test {best.test:.4f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
