"""Experiments on the stance branch, chosen on a writer held out of training (never on ``test``).

``python -m threatscape.training.stance_experiments --holdout s8 --variant NAME --seeds 13 --out DIR``
trains the branch of ``train_stance`` with one variant's input and loss on the corpus's ``train``
split less every record of the held-out writers, and writes, per seed, the fp32 logits of
``valid`` (less the held-out writers), of every statement of the held-out writers (``heldout``:
their own phrasing and countries, like ``test``) and of ``test`` (reported, never used for a
choice) to ``DIR/<variant>-s<seed>.npz``; ``--report DIR`` prints every run's macro F1 and those of
seed ensembles and of each run averaged with an n-gram model (word uni- and bigrams, ``ngram``,
or words and characters, ``ngram-chars``: ``GRAMS``); ``--test`` adds the test figures: print
them only once the choice is made on the others. Variants:

- ``base``: the released branch's input (``head_input``: speaker, cue, statement);
- ``masked``: the same with names masked (``masked_head_input``: places, people, groups and
  nationalities that spaCy marks, as the claims extractor would at run time);
- ``masked-ls``: masked, with label smoothing 0.1 and 5 epochs.
"""

from __future__ import annotations

import argparse
import hashlib
import pickle
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from threatscape.extract.claims.learned import head_input, masked_head_input
from threatscape.training.metrics import macro_f1
from threatscape.training.stance_corpus import STANCES, iter_records
from threatscape.training.train_events import OUT_DIR, base_model_dir
from threatscape.training.train_stance import StanceParams, branch_logits, fork_states, train_branch

__all__ = ["GRAMS", "Grams", "Item", "load_items", "main", "ngram_probabilities", "ngrams", "writer_of"]

VARIANTS: dict[str, tuple[bool, StanceParams]] = {  # name -> (names masked, branch parameters)
    "base": (False, StanceParams()),
    "masked": (True, StanceParams()),
    "masked-ls": (True, StanceParams(epochs=5, label_smoothing=0.1)),
    "masked-f0": (True, StanceParams(fork=0)),
}


@dataclass(frozen=True)
class Item:
    id: str
    split: str  # train, valid, test
    writer: str
    stance: str
    plain: str  # head_input
    masked: str  # masked_head_input


def writer_of(record_id: str) -> str:
    return record_id.split("-", 1)[0]


def load_items(cache: Path) -> list[Item]:
    """Every statement of the corpus with both inputs (spaCy's entities of its whole report)."""
    records = list(iter_records())
    key = hashlib.sha256("".join(rec["id"] + rec["text"] for _, _, rec in records).encode()).hexdigest()[:12]
    path = cache / f"items-{key}.pkl"
    if path.exists():
        items: list[Item] = pickle.loads(path.read_bytes())
        return items
    from threatscape.extract.nlp import load_nlp

    nlp = load_nlp()
    items = []
    for (split, _, rec), doc in zip(records, nlp.pipe(rec["text"] for _, _, rec in records), strict=True):
        for n, st in enumerate(rec["statements"]):
            start = rec["text"].find(st["text"])
            end = start + len(st["text"])
            ents = [(e.start_char - start, e.end_char - start, e.label_) for e in doc.ents]
            ents = [(a, b, label) for a, b, label in ents if a >= 0 and b <= end - start]
            cue, speaker = st.get("cue"), st.get("speaker")
            items.append(
                Item(
                    id=f"{rec['id']}/{n}",
                    split=split,
                    writer=writer_of(rec["id"]),
                    stance=st["stance"],
                    plain=head_input(st["text"], speaker, cue),
                    masked=masked_head_input(st["text"], speaker, cue, ents),
                )
            )
    cache.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pickle.dumps(items))
    return items


def split_items(items: list[Item], holdout: set[str]) -> dict[str, list[Item]]:
    return {
        "train": [i for i in items if i.split == "train" and i.writer not in holdout],
        "valid": [i for i in items if i.split == "valid" and i.writer not in holdout],
        "heldout": [i for i in items if i.split != "test" and i.writer in holdout],
        "test": [i for i in items if i.split == "test"],
    }


def _states(cache: Path, items: list[Item], masked: bool, fork: int) -> list[np.ndarray]:
    texts = [i.masked if masked else i.plain for i in items]
    key = hashlib.sha256(("\n".join(texts) + f"|{fork}").encode()).hexdigest()[:12]
    path = cache / f"states-{key}.pkl"
    if path.exists():
        states: list[np.ndarray] = pickle.loads(path.read_bytes())
        return states
    states = fork_states(OUT_DIR / "model.onnx", fork, texts, 128)
    path.write_bytes(pickle.dumps(states))
    return states


def f1(items: list[Item], probs: np.ndarray) -> float:
    return macro_f1([i.stance for i in items], [STANCES[int(k)] for k in probs.argmax(1)], STANCES)[0]


def _softmax(z: np.ndarray) -> np.ndarray:
    e = np.exp(z - z.max(1, keepdims=True))
    return np.asarray(e / e.sum(1, keepdims=True))


# ---- an n-gram logistic regression, the branch's partner in an ensemble ---------------------------
@dataclass(frozen=True)
class Grams:
    """What the n-gram model reads: word uni- and bigrams, optionally character n-grams of these
    lengths (across word boundaries), and the L2 weight of its fit."""

    chars: tuple[int, ...] = ()
    l2: float = 1e-4


# ``words``: the model of the earlier rounds; ``chars``: chosen on held-out ``s8`` and ``valid``
# (held-out macro F1 0.643 -> 0.710: the word model was over-regularised, characters add 0.01).
GRAMS = {"words": Grams(), "chars": Grams(chars=(3, 4, 5), l2=3e-6)}


def ngrams(text: str, chars: tuple[int, ...] = ()) -> list[str]:
    words = text.lower().replace("[sep]", " | ").split()
    out = words + [f"{a} {b}" for a, b in zip(words, words[1:], strict=False)]
    joined = f" {' '.join(words)} "
    for n in chars:
        out += ["#" + joined[i : i + n] for i in range(len(joined) - n + 1)]
    return out


def ngram_probabilities(
    train: list[tuple[str, str]], others: list[list[str]], epochs: int = 30, grams: Grams = Grams()
) -> list[np.ndarray]:
    """Fit a multinomial logistic regression on the n-grams (seen twice or more) of ``train``
    (text, stance) and return its probabilities for each list of ``others``."""
    import torch

    counts: dict[str, int] = {}
    for text, _ in train:
        for g in set(ngrams(text, grams.chars)):
            counts[g] = counts.get(g, 0) + 1
    vocab = {g: n for n, g in enumerate(sorted(g for g, c in counts.items() if c >= 2))}

    def matrix(texts: list[str]) -> torch.Tensor:
        rows, cols, vals = [], [], []
        for r, text in enumerate(texts):
            found = {vocab[g] for g in ngrams(text, grams.chars) if g in vocab}
            rows += [r] * len(found)
            cols += sorted(found)
            vals += [1.0 / max(1, len(found)) ** 0.5] * len(found)
        return torch.sparse_coo_tensor(
            torch.tensor([rows, cols]), torch.tensor(vals), (len(texts), len(vocab))
        ).coalesce()

    torch.manual_seed(0)
    x, y = matrix([t for t, _ in train]), torch.tensor([STANCES.index(s) for _, s in train])
    w = torch.zeros((len(vocab), len(STANCES)), requires_grad=True)
    b = torch.zeros(len(STANCES), requires_grad=True)
    opt = torch.optim.LBFGS([w, b], max_iter=epochs * 10, line_search_fn="strong_wolfe")

    def closure() -> torch.Tensor:
        opt.zero_grad()
        loss = torch.nn.functional.cross_entropy(torch.sparse.mm(x, w) + b, y) + grams.l2 * (w * w).sum()
        loss.backward()
        return loss

    opt.step(closure)
    with torch.no_grad():
        return [torch.softmax(torch.sparse.mm(matrix(texts), w) + b, 1).numpy() for texts in others]


# ---- runs ----------------------------------------------------------------------------------------
def run(args: argparse.Namespace, log: Callable[[str], None]) -> None:
    import torch

    torch.set_num_threads(args.threads)
    masked, sp = VARIANTS[args.variant]
    items = load_items(args.cache)
    parts = split_items(items, set(args.holdout.split(",")))
    log(f"{args.variant}: " + ", ".join(f"{k} {len(v)}" for k, v in parts.items()))
    states = {k: _states(args.cache, v, masked, sp.fork) for k, v in parts.items() if v}  # no holdout: none
    base_dir = base_model_dir()
    args.out.mkdir(parents=True, exist_ok=True)
    for seed in (int(s) for s in args.seeds.split(",")):
        started = time.monotonic()
        net = train_branch(seed, states["train"], [i.stance for i in parts["train"]], base_dir, sp, log)
        logits = {k: branch_logits(net, states[k]) for k in ("valid", "heldout", "test") if k in states}
        np.savez(args.out / f"{args.variant}-s{seed}.npz", allow_pickle=False, **logits)
        torch.save(net.state_dict(), args.out / f"{args.variant}-s{seed}.pt")
        log(
            f"{args.variant} seed {seed}: valid {f1(parts['valid'], logits['valid']):.4f}, held-out "
            + (f"{f1(parts['heldout'], logits['heldout']):.4f}" if "heldout" in logits else "none")
            + f" ({time.monotonic() - started:.0f} s)"
        )


def rescore(args: argparse.Namespace, log: Callable[[str], None]) -> None:
    """Score every branch kept in ``--rescore DIR`` again on the current splits (the held-out
    writers' files grow while they write; the runs keep the training data they had)."""
    import torch

    from threatscape.training.train_stance import build_branch

    torch.set_num_threads(args.threads)
    parts = split_items(load_items(args.cache), set(args.holdout.split(",")))
    for path in sorted(args.rescore.glob("*.pt")):
        variant = path.stem.rsplit("-s", 1)[0]
        masked, sp = VARIANTS[variant]
        net = build_branch(base_model_dir(), sp)
        net.load_state_dict(torch.load(path))
        net.eval()
        states = {k: _states(args.cache, parts[k], masked, sp.fork) for k in ("valid", "heldout", "test")}
        np.savez(path.with_suffix(".npz"), allow_pickle=False, **{k: branch_logits(net, v) for k, v in states.items()})
        log(f"rescored {path.stem}")


def report(args: argparse.Namespace) -> None:
    """Every run's figures, seed ensembles per variant, and each averaged with the n-gram model."""
    items = load_items(args.cache)
    parts = split_items(items, set(args.holdout.split(",")))
    runs = {p.stem: dict(np.load(p)) for p in sorted(args.report.glob("*.npz"))}
    names = tuple(k for k in ("valid", "heldout", "test") if parts[k])  # no writer held out: no heldout
    for masked, kind in ((False, "words"), (True, "words"), (False, "chars")):
        text = (lambda i: i.masked) if masked else (lambda i: i.plain)
        probs = ngram_probabilities(
            [(text(i), i.stance) for i in parts["train"]],
            [[text(i) for i in parts[k]] for k in names],
            grams=GRAMS[kind],
        )
        name = "ngram" + ("-masked" if masked else "") + ("-chars" if kind == "chars" else "")
        runs[name] = {k: np.log(p) for k, p in zip(names, probs, strict=True)}
    variants = sorted({name.rsplit("-s", 1)[0] for name in runs if "-s" in name})
    for v in variants:
        seeds = [runs[n] for n in runs if n.rsplit("-s", 1)[0] == v]
        if len(seeds) > 1:
            runs[f"{v}-ensemble{len(seeds)}"] = {k: np.log(np.mean([_softmax(s[k]) for s in seeds], 0)) for k in names}
    for name in [n for n in runs if not n.startswith("ngram")]:
        partners = ("ngram-masked",) if "masked" in name else ("ngram", "ngram-chars")
        for partner in partners:
            gram = runs[partner]
            label = f"{name}+{partner.replace('-masked', '')}"
            runs[label] = {k: np.log((_softmax(runs[name][k]) + np.exp(gram[k])) / 2) for k in names}
    shown = names if args.test else tuple(k for k in names if k != "test")
    print(f"{'run':34s} " + " ".join(f"{k:>8s}" for k in shown) + f"   (held-out writers {args.holdout})")
    for name, logits in sorted(runs.items()):
        row = [f1(parts[k], logits[k]) if len(logits[k]) == len(parts[k]) else float("nan") for k in shown]
        print(f"{name:34s} " + " ".join(f"{x:8.4f}" for x in row))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m threatscape.training.stance_experiments", description=__doc__)
    parser.add_argument(
        "--holdout", default="s8", help="comma-separated writers held out of training ('': none, all of train)"
    )
    parser.add_argument("--variant", choices=sorted(VARIANTS), default="base")
    parser.add_argument("--seeds", default="13")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--cache", type=Path, default=Path("/tmp/stance-experiments"))
    parser.add_argument("--out", type=Path, default=Path("/tmp/stance-experiments/runs"))
    parser.add_argument("--report", type=Path, default=None, help="print the figures of the runs in this folder")
    parser.add_argument("--rescore", type=Path, default=None, help="score the branches kept in this folder again")
    parser.add_argument("--test", action="store_true", help="with --report: also the test figures (after choosing)")
    args = parser.parse_args(argv)
    if args.rescore:
        rescore(args, lambda msg: print(msg, file=sys.stderr, flush=True))
    elif args.report:
        report(args)
    else:
        run(args, lambda msg: print(msg, file=sys.stderr, flush=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
