#!/usr/bin/env python3
"""Regenerate dict/stocks.tsv, dict/name_history.tsv and dict/concepts.tsv from the project's shared data.

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
    return rows, meta


def iso(yyyymmdd):
    """`19960503` → `1996-05-03`; empty stays empty."""
    d = yyyymmdd.strip()
    return f"{d[:4]}-{d[4:6]}-{d[6:8]}" if len(d) == 8 and d.isdigit() else d


def name_periods(row, meta, extra):
    """When each real name (current or former) of one code was borne: {name: (from, to, basis)}.

    - `seen`: the name is in former_names_extra.tsv; its period runs from date_seen to last_seen
      (dates of the lists that show it). The code's earliest such name starts at the listing date.
    - `current`: today's name, from the last date a dated former name was seen (or the listing
      date) until the delisting date (open while listed).
    - `undated`: a former name only seen in the 2021+ snapshots; same period as `current`, since
      the data cannot order it against the current name.
    Dates are ISO; an empty `to` means "still".
    """
    list_date, delist = iso(meta.get("list_date", "")), iso(meta.get("delist_date", ""))
    seen = {n: (a, b) for n, (a, b) in extra.items()}
    periods = {}
    if seen:
        earliest = min(seen, key=lambda n: seen[n][0])
        for n, (a, b) in seen.items():
            start = list_date if n == earliest and list_date and list_date < a else a
            periods[n] = (start, b, "seen")
    latest = max([b for _, b in seen.values()] + [list_date])
    for n in [x for x in row["former_names"].split("|") if x]:
        periods.setdefault(n, (latest, delist, "undated"))
    periods[row["name"]] = (latest, delist, "current")
    return periods


def build_name_history(rows, meta):
    """dict/name_history.tsv: for every form that more than one code bore, each bearer's period."""
    extra = {}
    for r in read_tsv(os.path.join(DATA, "former_names_extra.tsv")):
        extra.setdefault(r["code"], {})[r["former_name"]] = (r["date_seen"], r["last_seen"])
    bearers = {}
    for r in rows:
        code = r["code"]
        periods = name_periods(r, meta.get(code, {}), extra.get(code, {}))
        for name, period in periods.items():
            for form in st_forms([name]):
                # a real name's own period wins over one derived from another name's ST form
                own = periods.get(form)
                bearers.setdefault(form, {}).setdefault(code, (own or period, form if own else name))
    out = os.path.join(HERE, "name_history.tsv")
    n = 0
    with open(out, "w", encoding="utf-8", newline="") as f:
        f.write("form\tcode\tfrom\tto\tbasis\tname\n")
        for form in sorted(bearers):
            codes = bearers[form]
            if len(codes) < 2:
                continue
            for code, ((a, b, basis), name) in sorted(codes.items()):
                f.write("\t".join([form, code, a, b, basis, name]) + "\n")
                n += 1
    return n


def stock_names():
    """Every stock's name and former names, as the stock list writes them."""
    names = set()
    for r in read_tsv(os.path.join(DATA, "stocks.tsv")):
        names.add(base_name(r["name"]))
        names.update(base_name(n) for n in r["former_names"].split("|") if n)
    return names


def build_concepts():
    rows = read_tsv(os.path.join(DATA, "concepts.tsv"))
    # A theme board's alias that is a stock's name or nickname (中芯国际概念 / 中芯国际, 中芯概念 /
    # 中芯) would make the stock's own name need context to count as the stock; the name means the stock, and the board keeps
    # its full name. Names that are also ordinary words (机器人) are listed in ambiguous.tsv and
    # keep their alias.
    ambiguous = {r["name"] for r in read_tsv(os.path.join(HERE, "ambiguous.tsv"))}
    nicknames = {r["alias"] for r in read_tsv(os.path.join(HERE, "aliases.tsv"))}
    stocks = (stock_names() | nicknames) - ambiguous
    out = os.path.join(HERE, "concepts.tsv")
    with open(out, "w", encoding="utf-8", newline="") as f:
        f.write("name\taliases\tsources\tboard_code\tconstituents\n")
        for r in rows:
            aliases = "|".join(a for a in r["aliases"].split("|") if a and a not in stocks)
            f.write("\t".join([r["name"], aliases, r["sources"], r["em_board_code"],
                               r["constituent_codes"]]) + "\n")
    return len(rows)


if __name__ == "__main__":
    rows, meta = build_stocks()
    h = build_name_history(rows, meta)
    m = build_concepts()
    print(f"dict/stocks.tsv: {len(rows)} stocks; dict/name_history.tsv: {h} rows; "
          f"dict/concepts.tsv: {m} concepts (from {DATA})")
