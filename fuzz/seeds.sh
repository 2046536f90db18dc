#!/usr/bin/env bash
# Writes the seed inputs of the `extract` target into fuzz/corpus/extract/ (not committed): the
# bundled recap's opening in every format the reader knows, each behind its format byte.
set -euo pipefail
cd "$(dirname "$0")"
mkdir -p corpus/extract
python3 - ../corpus/recap-2024-03.txt corpus/extract <<'PY'
import io, json, sys, tarfile, zipfile

seed_path, out = sys.argv[1], sys.argv[2]
text = open(seed_path, encoding="utf-8").read()
head = text.encode()[:1500].decode("utf-8", "ignore") + "\n8、利通电子——平台回复在手3000P。"
formats = ["txt", "md", "html", "jsonl", "json", "csv", "zip", "tar", "tar.gz"]

def tar_of(members, mode):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode=mode) as t:
        for name, data in members:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            t.addfile(info, io.BytesIO(data))
    return buf.getvalue()

def zip_of(members):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members:
            z.writestr(name, data)
    return buf.getvalue()

record = {"title": "复盘", "text": head, "date": "2024-03-22", "author": "某人"}
members = [("a.txt", head.encode()), ("b/c.md", ("# 标题\n" + head[:300]).encode())]
seeds = {
    "txt": head.encode(),
    "txt-gbk": head.encode("gb18030"),
    "txt-utf16": head.encode("utf-16"),
    "md": ("# 周五复盘\n\n**加粗** [链接](http://x)\n\n" + head).encode(),
    "html": ("<html><head><title>复盘</title><script>var a='贵州茅台';</script></head><body><p>"
             + head + "<b>未闭合").encode(),
    "jsonl": (json.dumps(record, ensure_ascii=False) + "\n{\"text\": \"坏\n").encode(),
    "json": json.dumps([record, {"content": "北向资金净卖出31.38亿元"}], ensure_ascii=False).encode(),
    "csv": ("title,text,date\n复盘,\"" + head[:800].replace('"', '""') + "\",2024-03-22\n").encode(),
    "zip": zip_of(members),
    "tar": tar_of(members, "w"),
    "tar.gz": tar_of(members, "w:gz"),
}
for name, data in seeds.items():
    selector = formats.index(name.split("-")[0])
    with open(f"{out}/seed-{name}", "wb") as f:
        f.write(bytes([selector]) + data)
print(f"{len(seeds)} seeds in {out}")
PY
