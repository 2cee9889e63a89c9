"""The learned event layer at run time: the int8 ONNX sentence classifier and its tokenizer.

``EventEncoder(folder)`` loads ``model.onnx``, ``tokenizer.json``, ``labels.json`` and
``manifest.json`` (written by ``make train``, see ``threatscape/training/train_events.py``) once;
``predict(texts)`` batches them through the model and returns, per text, the calibrated
distribution over ACLED's sub-types plus ``none`` (no event) and the PLOVER type. An artefact
with a stance head (``make train-stance``) also holds ``stance.onnx``, read by
``predict_stance``. Needs only ``onnxruntime`` and ``tokenizers``; nothing is downloaded.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from threatscape.errors import ConfigError

__all__ = ["STANCE_GRAPH", "EventEncoder", "Prediction", "StancePrediction", "default_model_dir", "verify_artefact"]

NO_EVENT = "none"
BATCH = 32
STANCE_GRAPH = "stance.onnx"  # the stance head's own graph, beside the event graph (``make train-stance``)


@dataclass(frozen=True)
class Prediction:
    sub_type: str  # the most likely sub-type, or "none"
    probability: float  # its calibrated probability
    no_event: float  # calibrated probability of "none"
    plover: str | None
    distribution: dict[str, float]  # every sub-type (and "none") -> probability

    def prob(self, sub_type: str) -> float:
        return self.distribution.get(sub_type, 0.0)


@dataclass(frozen=True)
class StancePrediction:
    stance: str  # the most likely of the eight stances
    probability: float  # its calibrated probability
    distribution: dict[str, float]


def default_model_dir() -> Path:
    return Path(__file__).resolve().parents[2] / "data" / "models" / "events"


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def verify_artefact(folder: Path) -> dict[str, Any]:
    """The manifest, after checking every file's sha256 against it (ConfigError on a mismatch)."""
    try:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ConfigError(f"{folder}: no readable model manifest ({exc})") from exc
    for name, digest in manifest.get("files", {}).items():
        path = folder / name
        if not path.exists() or _sha256(path) != digest:
            raise ConfigError(f"{path}: missing or does not match its sha256 in manifest.json")
    return dict(manifest)


def _softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return np.asarray(e / e.sum(axis=1, keepdims=True))


class EventEncoder:
    """One loaded artefact; thread count fixed at load (``threads``, default 1)."""

    def __init__(self, folder: Path | None = None, *, threads: int = 1) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        folder = folder or default_model_dir()
        self.folder = folder
        try:
            self.manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
            labels = json.loads((folder / "labels.json").read_text(encoding="utf-8"))
            self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        except (OSError, json.JSONDecodeError, Exception) as exc:  # tokenizers raises a bare Exception
            raise ConfigError(f"{folder}: cannot load the event model ({exc})") from exc
        self.sub_labels: list[str] = list(labels["sub_type"])
        self.plover_labels: list[str] = list(labels["plover"])
        self.stance_labels: list[str] = list(labels.get("stance") or [])
        self.stance_temperature = float((self.manifest.get("stance") or {}).get("temperature", 1.0))
        self.temperature = float(self.manifest.get("temperature", 1.0))
        self.version = str(self.manifest.get("version", "unknown"))
        self.tokenizer.enable_truncation(max_length=int(self.manifest.get("max_len", 128)))
        self.tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = threads
        opts.inter_op_num_threads = 1
        self.session = ort.InferenceSession(str(folder / "model.onnx"), opts, providers=["CPUExecutionProvider"])
        self.output_names = [o.name for o in self.session.get_outputs()]
        # The stance head: an output of the event graph (one encoder, three heads) or a graph of
        # its own beside it (a branch on the event encoder), loaded only when labelled.
        self.stance_session: Any = None
        if self.stance_labels and "stance_logits" not in self.output_names and (folder / STANCE_GRAPH).exists():
            self.stance_session = ort.InferenceSession(
                str(folder / STANCE_GRAPH), opts, providers=["CPUExecutionProvider"]
            )

    @property
    def has_stance(self) -> bool:
        """Whether the artefact carries the stance head (its labels and its output or graph)."""
        return bool(self.stance_labels) and ("stance_logits" in self.output_names or self.stance_session is not None)

    def outputs(self, texts: list[str], names: tuple[str, ...]) -> list[np.ndarray]:
        """The raw outputs ``names`` for ``texts``, batched; sorted by length inside so padding stays short."""
        widths = {
            "sub_logits": len(self.sub_labels),
            "plover_logits": len(self.plover_labels),
            "stance_logits": len(self.stance_labels),
        }
        session = self.session
        if "stance_logits" in names and self.stance_session is not None:
            if len(names) > 1:
                raise ConfigError(f"{self.folder}: the stance head is a graph of its own; ask for its output alone")
            session = self.stance_session
        out = [np.zeros((len(texts), widths[n]), dtype=np.float32) for n in names]
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        for start in range(0, len(order), BATCH):
            idx = order[start : start + BATCH]
            enc = self.tokenizer.encode_batch([texts[i] for i in idx])
            ids = np.array([e.ids for e in enc], dtype=np.int64)
            mask = np.array([e.attention_mask for e in enc], dtype=np.int64)
            for arr, value in zip(
                out, session.run(list(names), {"input_ids": ids, "attention_mask": mask}), strict=True
            ):
                arr[idx] = value
        return out

    def logits(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """Raw (sub-type, PLOVER) logits."""
        sub, plover = self.outputs(texts, ("sub_logits", "plover_logits"))
        return sub, plover

    def predict_stance(self, texts: list[str]) -> list[StancePrediction]:
        """The calibrated stance of each statement (``has_stance`` must hold)."""
        if not self.has_stance:
            raise ConfigError(f"{self.folder}: the model has no stance head")
        (z,) = self.outputs(texts, ("stance_logits",))
        probs = _softmax(z / self.stance_temperature) if len(texts) else z
        out = []
        for row in probs:
            best = int(row.argmax())
            dist = {label: float(p) for label, p in zip(self.stance_labels, row, strict=True)}
            out.append(StancePrediction(self.stance_labels[best], float(row[best]), dist))
        return out

    def predict(self, texts: list[str]) -> list[Prediction]:
        sub_logits, plover_logits = self.logits(texts)
        probs = _softmax(sub_logits / self.temperature)
        plover_probs = _softmax(plover_logits)
        none_index = self.sub_labels.index(NO_EVENT)
        out = []
        for row, prow in zip(probs, plover_probs, strict=True):
            best = int(row.argmax())
            plover = self.plover_labels[int(prow.argmax())]
            out.append(
                Prediction(
                    sub_type=self.sub_labels[best],
                    probability=float(row[best]),
                    no_event=float(row[none_index]),
                    plover=None if plover == NO_EVENT else plover,
                    distribution={label: float(p) for label, p in zip(self.sub_labels, row, strict=True)},
                )
            )
        return out
