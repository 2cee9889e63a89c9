"""The stance head's own graph beside the event graph: built from the event graph's nodes up to
the fork and the branch, read by the runtime, the event graph untouched.

Tiny graphs written with ``onnx.helper`` stand in for the trained ones (the real branch needs
torch, which only ``make train`` installs); the runtime and the graph surgery are the real ones.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import onnx
import onnxruntime as ort
import pytest
from onnx import TensorProto, helper, numpy_helper

from threatscape.errors import ConfigError
from threatscape.extract.nlp.encoder import STANCE_GRAPH, EventEncoder, default_model_dir
from threatscape.training.stance_corpus import STANCES
from threatscape.training.train_stance import fork_tensor, stance_graph, write_stanced

VOCAB, WIDTH = 30522, 4
RNG = np.random.default_rng(7)
EMBED = RNG.normal(size=(VOCAB, WIDTH)).astype(np.float32)
LAYER = RNG.normal(size=(WIDTH, WIDTH)).astype(np.float32)
SUB = RNG.normal(size=(WIDTH, 3)).astype(np.float32)
PLOVER = RNG.normal(size=(WIDTH, 2)).astype(np.float32)
HEAD = RNG.normal(size=(WIDTH, len(STANCES))).astype(np.float32)


def _model(nodes: list, inputs: list, outputs: list, inits: dict[str, np.ndarray]) -> onnx.ModelProto:
    graph = helper.make_graph(
        nodes, "g", inputs, outputs, [numpy_helper.from_array(v, name=k) for k, v in inits.items()]
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    onnx.checker.check_model(model)
    return model


def _ints(name: str) -> onnx.ValueInfoProto:
    return helper.make_tensor_value_info(name, TensorProto.INT64, ["batch", "seq"])


def _floats(name: str, *shape: str | int) -> onnx.ValueInfoProto:
    return helper.make_tensor_value_info(name, TensorProto.FLOAT, list(shape))


def event_graph(path: Path) -> None:
    """Embeddings -> fork 1's states -> mean -> two heads: the shape of the released graph."""
    nodes = [
        helper.make_node("Gather", ["embed", "input_ids"], ["emb"]),
        helper.make_node("MatMul", ["emb", "layer"], ["lin"]),
        helper.make_node("Tanh", ["lin"], [fork_tensor(1)]),
        helper.make_node("ReduceMean", [fork_tensor(1)], ["pooled"], axes=[1], keepdims=0),
        helper.make_node("MatMul", ["pooled", "sub"], ["sub_logits"]),
        helper.make_node("MatMul", ["pooled", "plover"], ["plover_logits"]),
    ]
    inits = {"embed": EMBED, "layer": LAYER, "sub": SUB, "plover": PLOVER}
    outputs = [_floats("sub_logits", "batch", 3), _floats("plover_logits", "batch", 2)]
    onnx.save(_model(nodes, [_ints("input_ids"), _ints("attention_mask")], outputs, inits), str(path))


def branch_graph(path: Path) -> None:
    """A branch as ``export_branch`` writes it: states and mask in, a masked mean, a linear head."""
    nodes = [
        helper.make_node("Cast", ["attention_mask"], ["m"], to=TensorProto.FLOAT),
        helper.make_node("Unsqueeze", ["m", "last"], ["m3"]),
        helper.make_node("Mul", ["states", "m3"], ["kept"]),
        helper.make_node("ReduceSum", ["kept", "axes"], ["total"], keepdims=0),
        helper.make_node("ReduceSum", ["m", "axes"], ["count"], keepdims=1),
        helper.make_node("Div", ["total", "count"], ["pooled"]),
        helper.make_node("MatMul", ["pooled", "head"], ["stance_logits"]),
    ]
    inits = {"head": HEAD, "axes": np.array([1], dtype=np.int64), "last": np.array([2], dtype=np.int64)}
    inputs = [_floats("states", "batch", "seq", WIDTH), _ints("attention_mask")]
    outputs = [_floats("stance_logits", "batch", len(STANCES))]
    onnx.save(_model(nodes, inputs, outputs, inits), str(path))


def expected_stance(ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
    states = np.tanh(EMBED[ids] @ LAYER) * mask[..., None]
    return np.asarray((states.sum(1) / mask.sum(1, keepdims=True)) @ HEAD)


@pytest.fixture
def graphs(tmp_path: Path) -> tuple[Path, Path, Path]:
    event, branch, stance = tmp_path / "event.onnx", tmp_path / "branch.onnx", tmp_path / "stance.onnx"
    event_graph(event)
    branch_graph(branch)
    stance_graph(event, branch, 1, stance)
    return event, branch, stance


def test_the_stance_graph_is_the_branch_on_the_event_graphs_states(graphs: tuple[Path, Path, Path]) -> None:
    event, _, stance = graphs
    before = event.read_bytes()
    session = ort.InferenceSession(str(stance), providers=["CPUExecutionProvider"])
    assert [i.name for i in session.get_inputs()] == ["input_ids", "attention_mask"]
    assert [o.name for o in session.get_outputs()] == ["stance_logits"]  # no event heads, no states
    ids = np.array([[101, 2054, 2003, 102], [101, 7592, 102, 0]], dtype=np.int64)
    mask = np.array([[1, 1, 1, 1], [1, 1, 1, 0]], dtype=np.int64)
    (logits,) = session.run(["stance_logits"], {"input_ids": ids, "attention_mask": mask})
    np.testing.assert_allclose(logits, expected_stance(ids, mask), rtol=1e-5, atol=1e-5)
    # the padded position is masked out: the second row equals its unpadded self
    (alone,) = session.run(["stance_logits"], {"input_ids": ids[1:, :3], "attention_mask": mask[1:, :3]})
    np.testing.assert_allclose(logits[1:], alone, rtol=1e-5, atol=1e-5)
    assert event.read_bytes() == before
    kept = {n.op_type for n in onnx.load(str(stance)).graph.node}
    assert "Gather" in kept and "ReduceMean" not in kept  # the stem up to the fork only


def test_the_runtime_reads_the_stance_graph_beside_the_event_graph(
    graphs: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    event, _, stance = graphs
    src, dst = tmp_path / "src", tmp_path / "dst"
    src.mkdir()
    shutil.copyfile(event, src / "model.onnx")
    shutil.copyfile(default_model_dir() / "tokenizer.json", src / "tokenizer.json")
    (src / "labels.json").write_text(json.dumps({"sub_type": ["none", "a", "b"], "plover": ["none", "x"]}))
    (src / "manifest.json").write_text(json.dumps({"version": "tiny-1", "max_len": 16, "files": {}}))
    write_stanced(src, dst, stance, {"chosen_seed": 5, "temperature": 1.0})

    plain = EventEncoder(src)
    assert not plain.has_stance
    with pytest.raises(ConfigError, match="no stance head"):
        plain.predict_stance(["The army denied it."])

    enc = EventEncoder(dst)
    manifest = json.loads((dst / "manifest.json").read_text())
    assert enc.has_stance and enc.version == "tiny-1+stance-s5"
    assert set(manifest["files"]) == {"model.onnx", STANCE_GRAPH, "tokenizer.json", "labels.json"}
    assert (dst / "model.onnx").read_bytes() == event.read_bytes()
    texts = ["Rebels denied any role.", "The ministry said nothing more about the talks on Friday."]
    preds = enc.predict_stance(texts)
    (raw,) = enc.outputs(texts, ("stance_logits",))
    for text, pred, row in zip(texts, preds, raw, strict=True):
        enc_ = enc.tokenizer.encode(text)
        ids, mask = np.array([enc_.ids]), np.array([enc_.attention_mask])
        np.testing.assert_allclose(row, expected_stance(ids, mask)[0], rtol=1e-4, atol=1e-4)
        assert pred.stance == STANCES[int(row.argmax())]
        assert sum(pred.distribution.values()) == pytest.approx(1.0)
    assert len(enc.predict(texts)) == 2  # the event heads still come from the event graph
    with pytest.raises(ConfigError, match="graph of its own"):
        enc.outputs(texts, ("sub_logits", "stance_logits"))
