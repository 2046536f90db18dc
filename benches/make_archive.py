"""The benchmark archive: the shared corpus repeated to MB megabytes, a copy number added to every
article (so content ids differ and an index keeps every copy): recap and commentary files as .txt,
the news as one JSONL file per copy. Used by benches/e2e.sh and benches/serve_latency.sh.

    python3 benches/make_archive.py SHARED_CORPUS ARCHIVE_DIR MB
"""
import json, os, sys

shared, archive, mb = sys.argv[1], sys.argv[2], int(sys.argv[3])
texts = []  # (relative path, text) of the .txt articles
for folder in ("taoguba_2026q1", "eastmoney_sina_2018"):
    for root, _, files in os.walk(os.path.join(shared, folder)):
        for f in sorted(files):
            if f.endswith(".txt"):
                path = os.path.join(root, f)
                with open(path, encoding="utf-8") as fh:
                    texts.append((os.path.relpath(path, shared), fh.read()))
with open(os.path.join(shared, "news_bbt", "items.jsonl"), encoding="utf-8") as fh:
    news = [json.loads(line) for line in fh if line.strip()]

target, written, copy = mb * 1_000_000, 0, 0
while written < target:
    base = os.path.join(archive, f"copy-{copy:04d}")
    mark = f"（归档副本 {copy}）"
    for rel, text in texts:
        path = os.path.join(base, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        data = f"{text}\n{mark}\n".encode()
        with open(path, "wb") as out:
            out.write(data)
        written += len(data)
    os.makedirs(base, exist_ok=True)
    with open(os.path.join(base, "news.jsonl"), "wb") as out:
        for record in news:
            record = dict(record, text=f"{record.get('text', '')}{mark}")
            data = (json.dumps(record, ensure_ascii=False) + "\n").encode()
            out.write(data)
            written += len(data)
    copy += 1
print(f"archive: {copy} copies of the corpus, {written / 1e6:.0f} MB", file=sys.stderr)
