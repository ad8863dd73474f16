"""The training report: Markdown with per-label metrics, confusion matrix, reliability diagrams (PNG)."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any

__all__ = ["write_training_report"]


def _table(headers: list[str], rows: list[list[Any]]) -> str:
    out = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    out += ["| " + " | ".join(str(c) for c in r) + " |" for r in rows]
    return "\n".join(out)


def _plots(path: Path, metrics: dict[str, Any]) -> list[str]:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return ["(figures skipped: install matplotlib, `pip install 'scorer[plots]'`)"]
    lines = []
    topic = metrics.get("topic", {})
    if "confusion" in topic:
        labels, matrix = topic["confusion"]["labels"], topic["confusion"]["matrix"]
        fig, ax = plt.subplots(figsize=(7, 6))
        ax.imshow(matrix, cmap="Blues")
        ax.set_xticks(range(len(labels)), labels, rotation=45, ha="right")
        ax.set_yticks(range(len(labels)), labels)
        for i, row in enumerate(matrix):
            for j, v in enumerate(row):
                ax.text(j, i, str(v), ha="center", va="center", fontsize=8)
        ax.set_xlabel("predicted")
        ax.set_ylabel("true")
        ax.set_title("Topic confusion matrix (test split)")
        fig.tight_layout()
        name = path.with_name(path.stem + "_confusion.png")
        fig.savefig(name, dpi=100)
        plt.close(fig)
        lines.append(f"![topic confusion matrix]({name.name})")
    fig, ax = plt.subplots(figsize=(5, 5))
    ax.plot([0, 1], [0, 1], "k--", lw=1, label="perfect")
    for head in ("topic", "promotional"):
        rel = metrics.get(head, {}).get("reliability")
        if rel:
            ax.plot([r["mean_predicted"] for r in rel], [r["observed"] for r in rel], "o-", label=head)
    ax.set_xlabel("mean predicted probability")
    ax.set_ylabel("observed frequency")
    ax.set_title("Reliability (test split)")
    ax.legend()
    fig.tight_layout()
    name = path.with_name(path.stem + "_reliability.png")
    fig.savefig(name, dpi=100)
    plt.close(fig)
    lines.append(f"![reliability diagram]({name.name})")
    return lines


def write_training_report(path: str | os.PathLike[str], metrics: dict[str, Any],
                          comparison: dict[str, Any] | None, manifest: dict[str, Any]) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    parts = [f"# Training report — {manifest.get('name')}", "",
             f"Created {manifest.get('created')}, scikit-learn {manifest.get('sklearn_version')}, "
             f"data sha256 `{manifest.get('data', {}).get('sha256', '')[:16]}`, "
             f"{manifest.get('data', {}).get('rows')} rows. All metrics on the fixed test split "
             "(hash of the id), which training never sees.", ""]
    for head, m in metrics.items():
        scalars = [[k, v] for k, v in m.items() if isinstance(v, (int, float)) and not k.startswith("_")]
        parts += [f"## {head}", "", _table(["metric", "value"], scalars), ""]
        if "per_label" in m:
            rows = [[lab, v["precision"], v["recall"], v["f1"], v["n"]] for lab, v in m["per_label"].items()]
            parts += ["Per label:", "", _table(["label", "precision", "recall", "F1", "n"], rows), ""]
        if "reliability" in m:
            rows = [[r["bin"], r["n"], r["mean_predicted"], r["observed"]] for r in m["reliability"]]
            parts += ["Reliability:", "", _table(["bin", "n", "mean predicted", "observed"], rows), ""]
    if comparison:
        parts += ["## Comparison with the current model", "",
                  _table(["metric", "delta"], [[k, v] for k, v in comparison["deltas"].items()]), "",
                  f"Label flips: {comparison['flip_share']}", "",
                  f"Regressions beyond {comparison['tolerance']}: {comparison['regressions'] or 'none'}", ""]
    parts += ["## Figures", ""] + _plots(path, metrics)
    path.write_text("\n".join(parts) + "\n", "utf-8")
    return path
