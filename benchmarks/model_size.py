"""Model files on disk: the shipped model directory's total size (target <= 20 MB).

    python benchmarks/model_size.py [MODEL_DIR]
"""
from __future__ import annotations

import sys
from pathlib import Path


def main() -> None:
    from scorer.model import default_model_dir, read_manifest

    model_dir = Path(sys.argv[1]) if len(sys.argv) > 1 else default_model_dir()
    manifest = read_manifest(model_dir)
    total = 0
    print(f"Model files in {model_dir}:")
    for head, entry in sorted(manifest["files"].items()):
        size = (model_dir / entry["name"]).stat().st_size
        total += size
        print(f"  {head:<12} {size / 1e6:6.2f} MB  ({entry.get('serializer', 'joblib')})")
    total += (model_dir / "manifest.json").stat().st_size
    print(f"  total        {total / 1e6:6.2f} MB including manifest.json  (target <= 20 MB; ratio {total / 20e6:.2f})")


if __name__ == "__main__":
    main()
