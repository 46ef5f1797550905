#!/usr/bin/env python3
"""pipeq's benchmark: the same pipeline, the same questions, pipeq beside sqlite3 and DuckDB.

    make bench            # 1,000,000 deals
    make bench N=100000   # another size

Each time is the median of several runs after a warm-up. pipeq's statements are timed
inside pipeq (`.timer on`), sqlite3's with its own `.timer on`, DuckDB's around the call
in Python, so process start-up counts for no one. Results go to stdout and
bench/results.md. Needs: a release build, sqlite3, and the duckdb Python package (installed
when missing).
"""
import csv as csvmodule
import os
import platform
import re
import resource
import select
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from prompt_latency import start_on_terminal  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PIPEQ = os.path.join(ROOT, ".build/release/pipeq")
GEN = os.path.join(ROOT, ".build/release/pipeq-gen")
TODAY = "2026-11-27"
CUTOFF = "2026-08-29"  # TODAY - 90 days: "last_interaction > 90d" means before this day
RUNS = 5
# Imports are repeated three times up to a few million deals; at 10M once (each takes
# seconds to minutes for every engine), so `make bench N=10000000` stays under 20 minutes.
IMPORTS = 3 if int(os.environ.get("N", "1000000")) < 5_000_000 else 1

MISSION = "count where stage != won and last_interaction > 90d"
SELECTIVE = "list id where account ~ \"acme\" and value > 50k"
GROUP = "sum value by stage"
# The same questions for every engine: pipeq's statement, the SQL (sqlite3 and DuckDB,
# with each one's case-insensitive match), and Polars' expression.
READS = [
    ("mission", MISSION,
     f"select count(*) from deals where stage != 'won' and last_interaction < DATE '{CUTOFF}'",
     lambda pl, df: df.filter((pl.col("stage") != "won") & (pl.col("last_interaction") < pl.lit(CUTOFF).str.to_date())).height),
    ("selective", SELECTIVE, "select id from deals where account ILIKE '%acme%' and value > 50000",
     lambda pl, df: df.filter(pl.col("account").str.to_lowercase().str.contains("acme", literal=True) & (pl.col("value") > 50000)).select("id").to_series().to_list()),
    ("account equals", "count where account = \"Acme Corp\"", "select count(*) from deals where lower(account) = 'acme corp'",
     lambda pl, df: df.filter(pl.col("account").str.to_lowercase() == "acme corp").height),
    ("name contains", "count where name ~ \"pilot\"", "select count(*) from deals where name ILIKE '%pilot%'",
     lambda pl, df: df.filter(pl.col("name").str.to_lowercase().str.contains("pilot", literal=True)).height),
    ("group-by", GROUP, "select stage, sum(value) from deals group by stage",
     lambda pl, df: df.group_by("stage").agg(pl.col("value").sum()).height),
    ("group-by two fields", "count by owner, stage", "select owner, stage, count(*) from deals group by owner, stage",
     lambda pl, df: df.group_by("owner", "stage").len().height),
    ("median by stage", "median value by stage", "select stage, median(value) from deals group by stage",
     lambda pl, df: df.group_by("stage").agg(pl.col("value").median()).height),
]
# The pipeline-health reports (target: each under 100 ms at a million deals).
REPORTS = ["board", "health last quarter", "health", "funnel this year", "team this quarter", "stale",
           "trend value by month(closed)", "count by stage as of 2026-06-01"]
CLOSE = "close lost where stage != won and last_interaction > 90d"


def ensure_duckdb():
    try:
        import duckdb  # noqa: F401
    except ImportError:
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", "duckdb"], check=True)
    try:
        import polars  # noqa: F401
    except ImportError:
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", "polars"], check=True)


def pipeq_times(db, statements, runs=RUNS, extra=()):
    """Runs each statement runs+1 times in one pipeq process; median ms of the last runs."""
    script = ".timer on\n" + "".join((s + "\n") * (runs + 1) for s in statements)
    out = subprocess.run([PIPEQ, "--db", db, "--now", TODAY, *extra], input=script, capture_output=True, text=True)
    if out.returncode != 0:
        raise RuntimeError(out.stderr)
    times = [float(t) for t in re.findall(r"time: ([0-9.]+) ms", out.stderr)][1:]
    result = {}
    for index, statement in enumerate(statements):
        chunk = times[index * (runs + 1):(index + 1) * (runs + 1)]
        result[statement] = statistics.median(chunk[1:])
    return result


def pipeq_once(db, statements, extra=()):
    script = ".timer on\n" + "".join(s + "\n" for s in statements)
    out = subprocess.run([PIPEQ, "--db", db, "--now", TODAY, *extra], input=script, capture_output=True, text=True)
    if out.returncode != 0:
        raise RuntimeError(out.stderr)
    return [float(t) for t in re.findall(r"time: ([0-9.]+) ms", out.stderr)][1:]


def wall(command, **kwargs):
    started = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, **kwargs)
    return (time.perf_counter() - started) * 1000


def peak_rss_kb(command, stdin=""):
    out = subprocess.run(["/usr/bin/time", "-f", "%M", *command], input=stdin, capture_output=True, text=True)
    if out.returncode != 0:
        raise RuntimeError(f"{command} failed: {out.stderr}")
    return int(out.stderr.strip().splitlines()[-1])


def resident_kb(binary, store):
    """Resident memory (kB) of pipeq at its prompt on a terminal: the store loaded, at rest."""
    pid, fd = start_on_terminal(binary, store)
    seen = b""
    deadline = time.perf_counter() + 120
    while b"pipeq> " not in seen and time.perf_counter() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.05)
        if ready:
            seen += os.read(fd, 4096)
    with open(f"/proc/{pid}/status") as status:
        rss = next(int(line.split()[1]) for line in status if line.startswith("VmRSS:"))
    os.kill(pid, 9)
    os.waitpid(pid, 0)
    os.close(fd)
    return rss


def sqlite_sql(sql):
    """DuckDB's SQL in sqlite3's dialect (text columns from .import, LIKE already ignores ASCII case)."""
    sql = sql.replace("ILIKE", "LIKE").replace(f"DATE '{CUTOFF}'", f"'{CUTOFF}' and last_interaction != ''")
    sql = sql.replace("value > 50000", "cast(value as real) > 50000").replace("sum(value)", "sum(cast(value as real))")
    return sql


def sqlite_times(csv):
    setup = f".mode csv\n.import {csv} deals\n"
    close = (f"update deals set stage = 'lost', closed = '{TODAY}', stage_entered = '{TODAY}' where stage not in "
             f"('won', 'lost') and last_interaction != '' and last_interaction < '{CUTOFF}';")
    reads = [(key, sqlite_sql(sql)) for key, _, sql, _ in READS if "median" not in sql]
    script = ".timer on\n" + setup
    for _, sql in reads:
        script += (sql + ";\n") * (RUNS + 1)
    script += close + "\n"
    out = subprocess.run(["sqlite3", ":memory:"], input=script, capture_output=True, text=True)
    times = [float(t) * 1000 for t in re.findall(r"Run Time: real ([0-9.]+)", out.stdout + out.stderr)]
    # .import is a dot-command the timer does not time: take the wall time of a run that
    # only imports (sqlite3 starts in about a millisecond).
    result = {"import": statistics.median([wall(["sqlite3", ":memory:"], input=setup, text=True) for _ in range(IMPORTS)])}
    # Into a database file (sqlite3 syncs each transaction; .import is one).
    durable = []
    for _ in range(IMPORTS):
        path = os.path.join(os.path.dirname(csv), "bench.sqlite")
        if os.path.exists(path):
            os.remove(path)
        durable.append(wall(["sqlite3", path], input=setup, text=True))
    result["durable_import"] = statistics.median(durable)
    for index, (key, _) in enumerate(reads):
        chunk = times[index * (RUNS + 1):(index + 1) * (RUNS + 1)]
        result[key] = statistics.median(chunk[1:])
    result["close"] = times[len(reads) * (RUNS + 1)]
    result["rss_kb"] = peak_rss_kb(["sqlite3", ":memory:"], setup + "select count(*) from deals;\n")
    return result


def timed(run):
    """Median ms of RUNS runs after a warm-up."""
    runs = []
    for _ in range(RUNS + 1):
        started = time.perf_counter()
        run()
        runs.append((time.perf_counter() - started) * 1000)
    return statistics.median(runs[1:])


def polars_times(csv):
    import polars as pl

    started = time.perf_counter()
    df = pl.read_csv(csv, infer_schema_length=10000)
    df = df.with_columns(pl.col("last_interaction").str.to_date(strict=False))
    result = {"import": (time.perf_counter() - started) * 1000}
    for key, _, _, query in READS:
        result[key] = timed(lambda: query(pl, df))
    return result


def duckdb_import_ms(csv):
    """Median of IMPORTS in-memory imports; the last connection is left open for queries."""
    import duckdb

    imports = []
    for _ in range(IMPORTS):
        con = duckdb.connect()
        con.execute("set enable_progress_bar = false")
        started = time.perf_counter()
        con.execute(f"create table deals as select * from read_csv('{csv}', header=true, all_varchar=false)")
        imports.append((time.perf_counter() - started) * 1000)
    return statistics.median(imports), con


def duckdb_times(csv):
    import duckdb

    imported, con = duckdb_import_ms(csv)
    result = {"import": imported}
    # Durable like pipeq's: into a database file, checkpointed to disk.
    durable = []
    for _ in range(IMPORTS):
        path = os.path.join(os.path.dirname(csv), "bench.duckdb")
        for leftover in [path, path + ".wal"]:
            if os.path.exists(leftover):
                os.remove(leftover)
        disk = duckdb.connect(path)
        disk.execute("set enable_progress_bar = false")
        started = time.perf_counter()
        disk.execute(f"create table deals as select * from read_csv('{csv}', header=true, all_varchar=false)")
        disk.execute("checkpoint")
        durable.append((time.perf_counter() - started) * 1000)
        disk.close()
    result["durable_import"] = statistics.median(durable)
    for key, _, sql, _ in READS:
        result[key] = timed(lambda: con.execute(sql).fetchall())
    # The file-backed database: DuckDB's compressed storage is its fastest mode for reads.
    disk = duckdb.connect(path)
    disk.execute("set enable_progress_bar = false")
    for key, _, sql, _ in READS:
        result["file " + key] = timed(lambda: disk.execute(sql).fetchall())
    started = time.perf_counter()
    disk.execute(f"update deals set stage = 'lost', closed = DATE '{TODAY}', stage_entered = DATE '{TODAY}' "
                 f"where stage not in ('won', 'lost') and last_interaction < DATE '{CUTOFF}'")
    disk.execute("checkpoint")
    result["file close"] = (time.perf_counter() - started) * 1000
    disk.close()
    started = time.perf_counter()
    con.execute(f"update deals set stage = 'lost', closed = DATE '{TODAY}', stage_entered = DATE '{TODAY}' "
                f"where stage not in ('won', 'lost') and last_interaction < DATE '{CUTOFF}'")
    result["close"] = (time.perf_counter() - started) * 1000
    return result


def changed_copy(source, out, every=100):
    """Next week's export: the same file with the amount of one deal in `every` raised."""
    with open(source, newline="") as src, open(out, "w", newline="") as dst:
        reader, writer = csvmodule.reader(src), csvmodule.writer(dst, lineterminator="\n")
        header = next(reader)
        writer.writerow(header)
        value = header.index("value")
        for index, row in enumerate(reader):
            if index % every == 0:
                row[value] = str(int(float(row[value] or 0)) + 1)
            writer.writerow(row)


# A CRM's export of the same deals as European Excel saves it: HubSpot's column names,
# `;` between cells, day/month/year dates, decimal commas, the CRM's own ids.
CRM_NAMES = {"id": "Record ID", "name": "Deal Name", "account": "Associated Company", "owner": "Deal Owner",
             "pipeline": "Pipeline", "stage": "Deal Stage", "value": "Amount", "currency": "Currency",
             "created": "Create Date", "expected_close": "Close Date", "last_interaction": "Last Activity Date"}


def crm_copy(source, out):
    with open(source, newline="") as src, open(out, "w", newline="", encoding="utf-8") as dst:
        reader = csvmodule.reader(src)
        writer = csvmodule.writer(dst, delimiter=";", lineterminator="\r\n")
        header = next(reader)
        kept = [index for index, name in enumerate(header) if name in CRM_NAMES]
        closed = header.index("closed")
        writer.writerow([CRM_NAMES[header[index]] for index in kept])
        for row in reader:
            cells = []
            for index in kept:
                name, cell = header[index], row[index]
                if name == "expected_close" and row[closed]:
                    cell = row[closed]  # one Close Date, the closing day once closed
                if name == "id":
                    cell = "D-" + cell
                elif name == "value":
                    cell = cell.replace(".", ",")
                elif name in ("created", "expected_close", "last_interaction") and cell:
                    cell = f"{cell[8:10]}/{cell[5:7]}/{cell[0:4]}"
                elif name == "stage":
                    cell = {"won": "Closed Won", "lost": "Closed Lost"}.get(cell, cell)
                cells.append(cell)
            writer.writerow(cells)


def main():
    n = int(os.environ.get("N", "1000000"))
    ensure_duckdb()
    work = tempfile.mkdtemp(prefix="pipeq-bench-")
    csv = os.path.join(work, "deals.csv")
    db = os.path.join(work, "bench.pipeq")
    # Shaped like a CRM's export (accounts ≈ 13% of deals, distinct names, 30–500 owners,
    # long-tailed values); SHAPE=demo for the demo's few dozen accounts.
    shape = os.environ.get("SHAPE", "crm")
    subprocess.run([GEN, "--deals", str(n), "--today", TODAY, "--shape", shape, "-o", csv], check=True)

    # pipeq: import, snapshot, open.
    # Import into a fresh store IMPORTS times (the disk's sync time varies); keep the last.
    imports = []
    for _ in range(IMPORTS):
        for leftover in [db, db + ".journal", db + ".lock"]:
            if os.path.exists(leftover):
                os.remove(leftover)
        shutil.rmtree(db + ".history", ignore_errors=True)
        imports.append(pipeq_once(db, [f".import {csv}"])[0])
    import_ms = statistics.median(imports)
    # The same import into a store kept in memory only, like sqlite3's and DuckDB's.
    memory_import_ms = statistics.median([pipeq_once(":memory:", [f".import {csv}"])[0] for _ in range(IMPORTS)])
    # Next week's export over this week's: 1% of the deals changed (target: under twice a
    # fresh import), and the same deals as a CRM's European export (the rewrite path).
    changed_csv = os.path.join(work, "changed.csv")
    changed_copy(csv, changed_csv)
    reimports = [pipeq_once(":memory:", [f".import {csv}", f".import {changed_csv}"]) for _ in range(IMPORTS)]
    fresh_ms = statistics.median(times[0] for times in reimports)
    reimport_ms = statistics.median(times[1] for times in reimports)
    crm_csv = os.path.join(work, "crm.csv")
    crm_copy(csv, crm_csv)
    crm_ms = statistics.median([pipeq_once(":memory:", [f".import {crm_csv}"])[0] for _ in range(IMPORTS)])
    checkpoint_ms = pipeq_once(db, [".checkpoint"])[0]
    rss = peak_rss_kb([PIPEQ, "--db", db, "-c", "count"])
    resident = resident_kb(PIPEQ, db)
    open_ms = statistics.median([wall([PIPEQ, "--db", db, "-c", ".quit"]) for _ in range(RUNS)])
    reads = pipeq_times(db, [statement for _, statement, _, _ in READS])
    reports = pipeq_times(db, REPORTS)
    singles = [f"set owner = 'bench{i}' where id = {i * 7919 % n + 1}" for i in range(50)]
    single = pipeq_once(db, singles)
    changed = subprocess.run([PIPEQ, "--db", db, "-c", "count where owner ~ 'bench'"], capture_output=True, text=True)
    assert changed.stdout.split()[-1] == "50", changed.stdout  # every single-deal action wrote
    close_ms, undo_ms = pipeq_once(db, [CLOSE, "undo"], extra=("--yes",))
    # Peaks of one bulk change, of its undo and of a checkpoint, each in a process of its own.
    close_peak = peak_rss_kb([PIPEQ, "--db", db, "--now", TODAY, "--yes", "-c", CLOSE])
    undo_peak = peak_rss_kb([PIPEQ, "--db", db, "--now", TODAY, "--yes", "-c", "undo"])
    checkpoint_peak = peak_rss_kb([PIPEQ, "--db", db, "-c", ".checkpoint"])
    sqlite = sqlite_times(csv)
    duck = duckdb_times(csv)
    polars = polars_times(csv)
    peers = ["sqlite3", "DuckDB", "DuckDB file", "Polars"]

    def row(name, mine, theirs):
        best = min((t for t in theirs if t), default=None)
        return (name, mine, theirs, best)

    rows = [
        row(f"CSV import into memory (pipeq --db :memory:; median of {IMPORTS})", memory_import_ms,
            [sqlite["import"], duck["import"], None, polars["import"]]),
        row(f"CSV import into a store file, synced (DuckDB: database file + checkpoint; median of {IMPORTS})", import_ms,
            [sqlite["durable_import"], None, duck["durable_import"], None]),
    ]
    for key, statement, _, _ in READS:
        rows.append(row(f"{key}: `{statement}`", reads[statement],
                        [sqlite.get(key), duck[key], duck["file " + key], polars[key]]))
    rows.append(row("bulk close incl. sync: " + CLOSE, close_ms, [sqlite["close"], duck["close"], duck["file close"], None]))
    cores = os.cpu_count()
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    lines = [
        f"# pipeq benchmark: {n:,} deals",
        "",
        f"Machine: {cores} cores, {memory:.0f} GiB, {platform.platform()}; sqlite3 "
        f"{subprocess.run(['sqlite3', '--version'], capture_output=True, text=True).stdout.split()[0]}, "
        f"DuckDB {__import__('duckdb').__version__} (in memory, and file-backed: its compressed storage), "
        f"Polars {__import__('polars').__version__}. Data: `pipeq-gen --shape {shape}`. Median of {RUNS} runs "
        "after a warm-up, in ms; the last column is pipeq's time over the best peer's (below 1: pipeq is faster).",
        "",
        "| operation | pipeq | " + " | ".join(peers) + " | pipeq ÷ best peer |",
        "|---|---:|" + "---:|" * len(peers) + "---:|",
    ]

    def cell(value):
        return f"{value:.2f}" if value else "–"

    for name, mine, theirs, best in rows:
        share = f"{mine / best:.2f}" if best else "–"
        lines.append(f"| {name} | {mine:.2f} | " + " | ".join(cell(t) for t in theirs) + f" | {share} |")
    lines += [
        "",
        "| pipeq only | value |",
        "|---|---:|",
        f"| import rate, in memory / into a store file | {n / memory_import_ms * 1000:,.0f} / "
        f"{n / import_ms * 1000:,.0f} rows/s |",
        f"| re-import of the same file with 1% of the deals changed, after a fresh import of "
        f"{fresh_ms:.0f} ms (median of {IMPORTS}) | {reimport_ms:.0f} ms ({reimport_ms / fresh_ms:.2f}× the fresh import) |",
        f"| import of the same deals as a CRM's European export (`;`, D/M/Y, decimal commas, "
        f"text ids; median of {IMPORTS}) | {crm_ms:.0f} ms ({n / crm_ms * 1000:,.0f} rows/s) |",
        f"| snapshot write (checkpoint) | {checkpoint_ms:.0f} ms |",
        f"| open the store, time to ready (process start to exit) | {open_ms:.0f} ms |",
        f"| undo of the bulk close | {undo_ms:.0f} ms |",
        f"| single-deal action incl. journal sync (median of 50) | {statistics.median(single):.2f} ms |",
        f"| resident memory with the store loaded, at rest | {resident / 1024:.0f} MiB ({resident * 1024 / n:.0f} bytes per deal) |",
        f"| peak memory opening the store and counting | {rss / 1024:.0f} MiB ({rss * 1024 / n:.0f} bytes per deal, "
        f"{rss / resident:.2f}× resident) |",
        f"| peak memory of the bulk close / its undo / a checkpoint, over resident | {close_peak / resident:.2f}× / "
        f"{undo_peak / resident:.2f}× / {checkpoint_peak / resident:.2f}× |",
        f"| sqlite3 peak memory, same data | {sqlite['rss_kb'] / 1024:.0f} MiB |",
    ]
    lines += ["", "| pipeq report (target under 100 ms) | ms |", "|---|---:|"]
    lines += [f"| `{report}` | {reports[report]:.1f} |" for report in REPORTS]
    lines.append("")
    lines.append("| pipeq only, continued | value |")
    lines.append("|---|---:|")
    latency = os.path.join(ROOT, "bench/prompt_latency.py")
    small = os.path.join(work, "small.pipeq")
    small_csv = os.path.join(work, "small.csv")
    subprocess.run([GEN, "--deals", "100000", "--today", TODAY, "-o", small_csv], check=True)
    pipeq_once(small, [f".import {small_csv}"])
    prompt = subprocess.run([sys.executable, latency, PIPEQ, small], capture_output=True, text=True).stdout.strip()
    lines.append(f"| interactive prompt on a 100,000-deal store | {prompt} ms |")
    text = "\n".join(lines) + "\n"
    print(text)
    # RESULTS=bench/results-10m.md keeps the committed 1M results when running another size.
    with open(os.path.join(ROOT, os.environ.get("RESULTS", "bench/results.md")), "w") as handle:
        handle.write(text)
    shutil.rmtree(work)


if __name__ == "__main__":
    main()
