"""What a user of a plain `pip install .` gets, run from outside the repository (`make
package-check`): `xxgk demo` on the bundled sample, and the themes of a real report (of the
sample when ../shared/corpus/real is absent). Not collected by pytest: it needs its own venv."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
REAL = Path(os.environ.get("XXGK_REAL_CORPUS", REPO.parent / "shared" / "corpus" / "real"))


def main() -> None:
    import nlp
    import nlp.data

    installed = Path(nlp.__file__).resolve()
    assert REPO / "nlp" not in installed.parents, f"nlp imported from the repository: {installed}"
    demo = subprocess.run(
        [str(Path(sys.executable).with_name("xxgk")), "demo"], capture_output=True, text=True
    )
    assert demo.returncode in (0, 1), demo.stderr  # 1: the sample has injected errors
    assert Path("xxgk-demo/report.html").is_file(), demo.stdout + demo.stderr
    report = nlp.read(_a_report())
    themes = nlp.themes(report)
    assert len(themes) > 0 and themes["theme"].notna().all(), themes
    print(f"package check: nlp from {installed.parent}; demo ok; {len(themes)} sentences themed")


def _a_report() -> Path:
    real = sorted(REAL.glob("seeds/*.txt")) if REAL.is_dir() else []
    return real[0] if real else sorted(nlp_sample().glob("*.txt"))[0]


def nlp_sample() -> Path:
    import nlp.data

    return nlp.data.SAMPLE_CORPUS


if __name__ == "__main__":
    main()
