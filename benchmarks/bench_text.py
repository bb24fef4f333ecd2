"""Throughput of the per-report text analysis against plain `jieba.lcut` over the same text.

The analysis is what a batch run does for every narrative section: `sentences`, then
`tokenize` and `extract_claims` for every sentence. The text is the narrative of the real
reports (`$XXGK_REAL_CORPUS` or ../shared/corpus/real: its seeds/ and other .txt/.md files,
table rows left out), or a built-in synthetic paragraph when they are absent, replicated to
about 2 MB. Prints both throughputs in characters per second and their ratio.

    .venv/bin/python benchmarks/bench_text.py [--mb 2]
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time
from pathlib import Path

import jieba

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))  # run from a checkout without `pip install -e .`

from nlp.claims import extract_claims  # noqa: E402
from nlp.text import backend, sentences, tokenize  # noqa: E402

REAL_CORPUS = Path(os.environ.get("XXGK_REAL_CORPUS", REPO.parent / "shared" / "corpus" / "real"))
TEXT_SUFFIXES = (".txt", ".md")
RUNS = 5

# Written for this benchmark in the style of the reports (no real report text), with about as
# many numbers per character as real narratives (15 claims per 1,000 characters).
SYNTHETIC = (
    "一、总体情况\n"
    "2023年，本机关坚持以人民为中心的发展思想，认真贯彻落实《中华人民共和国政府信息公开条例》，"
    "紧紧围绕中心工作，持续深化政务公开，不断提升政府信息公开的质量和实效。\n"
    "（一）主动公开情况。一是做好基础信息公开，及时更新机构职能、领导分工和办事指南等栏目，"
    "全年共主动公开政府信息1,236条，其中门户网站发布856条，政务新媒体发布380条。"
    "二是加强政策解读，坚持解读材料与政策文件同步起草、同步审签、同步发布，"
    "运用图文解读、视频解读等多种形式，全年发布政策解读35篇。"
    "三是积极回应社会关切，召开新闻发布会两次，政务微博粉丝超过1.2万人次。\n"
    "（二）依申请公开情况。本机关严格按照法定程序和时限办理依申请公开事项，"
    "进一步规范受理、登记、审核、答复等环节，确保答复内容准确、格式规范、程序合法。"
    "本年度共收到政府信息公开申请十九件，上年结转2件，均已按时办结，未收取任何信息处理费。\n"
    "（三）政府信息管理情况。严格落实保密审查制度，坚持先审查、后公开，"
    "对拟公开信息逐条进行公开属性认定，确保公开内容安全准确，全年未发生泄密事件。\n"
    "（四）平台建设情况。持续优化门户网站栏目设置，完善检索、导航和无障碍浏览功能，"
    "网站访问量是去年的3倍多。\n"
    "（五）监督保障情况。调整充实政务公开工作领导小组，将政务公开工作纳入年度考核，"
    "组织开展业务培训约150人次，切实提高工作人员的公开意识和业务能力。\n"
    "四、政府信息公开行政复议、行政诉讼情况\n本年度未发生政府信息公开行政复议、行政诉讼。\n"
    "五、存在的主要问题及改进情况\n"
    "一是政策解读形式还不够丰富，解读的针对性和可读性有待提升；"
    "二是政务公开队伍业务能力仍需加强。下一步，我们将进一步完善工作机制，"
    "加大培训力度，推动政务公开工作提质增效。\n"
)


def narrative_text(corpus: Path) -> str:
    """The narrative lines of every text report of the corpus (table rows dropped)."""
    if not corpus.is_dir():
        return ""
    parts = []
    for path in sorted(corpus.rglob("*")):
        if path.suffix in TEXT_SUFFIXES and path.name != "MANIFEST.csv":
            text = path.read_text(encoding="utf-8", errors="replace")
            parts.extend(line for line in text.splitlines() if _is_narrative(line))
    return "\n".join(parts)


def _is_narrative(line: str) -> bool:
    return bool(line.strip()) and "\t" not in line and "|" not in line


def analyse(text: str) -> int:
    """The per-report analysis; returns the number of claims so the work cannot be skipped."""
    found = 0
    for sentence in sentences(text):
        tokenize(sentence.text)
        found += len(extract_claims(sentence.text))
    return found


def throughputs(text: str) -> tuple[float, float]:
    """Characters per second of jieba.lcut and of `analyse`, each the fastest of a few rounds.

    The rounds alternate the two so that both see the same load on a shared machine.
    """
    best_plain = best_ours = float("inf")
    for _ in range(RUNS):
        best_plain = min(best_plain, _seconds(jieba.lcut, text))
        best_ours = min(best_ours, _seconds(analyse, text))
    return len(text) / best_plain, len(text) / best_ours


def _seconds(run, text: str) -> float:
    started = time.perf_counter()
    run(text)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=2.0, help="size of the text, in MB of UTF-8")
    args = parser.parse_args()

    jieba.setLogLevel(logging.WARNING)
    seed = narrative_text(REAL_CORPUS)
    source = "real corpus narrative" if seed else "synthetic paragraph"
    seed = seed or SYNTHETIC
    copies = max(1, round(args.mb * 1_000_000 / len(seed.encode("utf-8"))))
    text = "\n".join([seed] * copies)

    jieba.lcut("预热")  # both sides load their dictionaries before the clock starts
    analyse("预热：共收到申请2件。")

    plain, ours = throughputs(text)
    print(
        f"text: {source}, best of {RUNS} runs, {len(text):,} chars ({len(text.encode('utf-8')) / 1e6:.1f} MB)"
    )
    print(f"jieba.lcut:                           {plain:12,.0f} chars/s")
    print(f"sentences+tokenize+claims ({backend()}): {ours:12,.0f} chars/s")
    print(f"ratio: {ours / plain:.2f}x (target >= 3x)")


if __name__ == "__main__":
    main()
