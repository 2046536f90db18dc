#!/usr/bin/env python3
"""The naive stock matcher fupan is measured against: plain longest-match over current and
former names (no context, no nicknames, no short forms, no typo repair), scored on the dev gold
set with the GOLD.md rule (sets of codes per article; uncertain codes count neither way).

Usage: python3 benches/stock_baseline.py [SHARED_DIR]   (default ../shared)
Compare with: fupan eval --gold tests/gold SHARED/corpus/taoguba_2026q1 SHARED/corpus/news_bbt/items.jsonl
"""
import csv
import glob
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
SHARED = sys.argv[1] if len(sys.argv) > 1 else os.path.join(REPO, "..", "shared")


def load_names():
    names = {}
    with open(os.path.join(SHARED, "data", "stocks.tsv"), encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE):
            for name in [row["name"]] + [n for n in row["former_names"].split("|") if n]:
                if len(name) >= 2:
                    names.setdefault(name, row["code"])
    return names


def longest_match(text, names, longest):
    found, i = set(), 0
    while i < len(text):
        for length in range(min(longest, len(text) - i), 1, -1):
            code = names.get(text[i:i + length])
            if code:
                found.add(code)
                i += length
                break
        else:
            i += 1
    return found


def article_text(article, news):
    if article.startswith("items.jsonl#"):
        record = json.loads(news[int(article.split("#")[1]) - 1])
        return record["headline"] + "\n" + record["text"]
    path = os.path.join(SHARED, "corpus", "taoguba_2026q1", article)
    with open(path, encoding="utf-8") as f:
        return f.read()


def main():
    if not os.path.isdir(os.path.join(SHARED, "corpus")):
        print(f"SKIPPED: {SHARED}/corpus is absent")
        return
    names = load_names()
    longest = max(len(n) for n in names)
    with open(os.path.join(SHARED, "corpus", "news_bbt", "items.jsonl"), encoding="utf-8") as f:
        news = f.read().split("\n")
    tp = fp = fn = 0
    for path in sorted(glob.glob(os.path.join(REPO, "tests", "gold", "*.gold.json"))):
        with open(path, encoding="utf-8") as f:
            gold = json.load(f)
        want = {s["code"] for s in gold["stocks"]}
        unsure = {s["code"] for s in gold.get("stocks_uncertain", [])}
        got = longest_match(article_text(gold["article"], news), names, longest)
        tp += len(got & want)
        fp += len(got - want - unsure)
        fn += len(want - got)
    p, r = tp / (tp + fp), tp / (tp + fn)
    print(f"longest-match baseline: P {p:.3f} R {r:.3f} F1 {2 * p * r / (p + r):.3f} "
          f"(tp {tp} fp {fp} fn {fn})")


if __name__ == "__main__":
    main()
