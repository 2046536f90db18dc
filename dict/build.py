#!/usr/bin/env python3
"""Regenerate dict/stocks.tsv and dict/concepts.tsv from the project's shared data.

Usage:  python3 dict/build.py [SHARED_DATA_DIR]   (default: ../shared/data)

The curated files (aliases.tsv, organizations.tsv, concepts_extra.tsv, ambiguous.tsv,
finance_words.txt) are edited by hand and are not touched by this script.
"""
import csv
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "..", "..", "shared", "data")

ST_PREFIX = re.compile(r"^(\*ST|ST|S\*ST|SST)")


def read_tsv(path):
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))


def base_name(name):
    return ST_PREFIX.sub("", name)


def st_forms(names):
    """Every name plus its ST / *ST variants and, for names of 3+ characters, the bare form."""
    forms = []
    for name in names:
        base = base_name(name)
        candidates = [name, "ST" + base, "*ST" + base]
        if len(base) >= 3:
            candidates.append(base)
        for c in candidates:
            if c and c not in forms:
                forms.append(c)
    return forms


def build_stocks():
    meta = {r["code"]: r for r in read_tsv(os.path.join(DATA, "stocks_meta.tsv"))}
    rows = read_tsv(os.path.join(DATA, "stocks.tsv"))
    out = os.path.join(HERE, "stocks.tsv")
    with open(out, "w", encoding="utf-8", newline="") as f:
        f.write("code\texchange\tname\tforms\tfull_name\tindustry\tstatus\n")
        for r in rows:
            name = r["name"]
            former = [n for n in r["former_names"].split("|") if n]
            forms = [x for x in st_forms([name] + former) if x != name]
            status = meta.get(r["code"], {}).get("tushare_list_status_2026-03", "")
            f.write("\t".join([r["code"], r["exchange"], name, "|".join(forms),
                               r["full_name"], r["industry"], status]) + "\n")
    return len(rows)


def build_concepts():
    rows = read_tsv(os.path.join(DATA, "concepts.tsv"))
    out = os.path.join(HERE, "concepts.tsv")
    with open(out, "w", encoding="utf-8", newline="") as f:
        f.write("name\taliases\tsources\tboard_code\tconstituents\n")
        for r in rows:
            f.write("\t".join([r["name"], r["aliases"], r["sources"], r["em_board_code"],
                               r["constituent_codes"]]) + "\n")
    return len(rows)


if __name__ == "__main__":
    n = build_stocks()
    m = build_concepts()
    print(f"dict/stocks.tsv: {n} stocks; dict/concepts.tsv: {m} concepts (from {DATA})")
