"""The search benchmarks still run and still measure what they say: both wrap or call
docsys's functions by name, so a rename or a changed request path would otherwise leave
them broken, or timing nothing, until someone quotes them. Tiny sizes; the figures
themselves are not asserted (speed lives in the benchmarks, not in tests)."""
from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TINY = ["--docs", "150", "--queries", "12", "--passes", "1"]


def run_bench(script: str, *args: str) -> str:
    done = subprocess.run([sys.executable, str(ROOT / "bench" / script), *TINY, *args],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def test_bench_search_times_every_engine_in_turns(tmp_path):
    out = tmp_path / "search.json"
    printed = run_bench("bench_search.py", "--no-whoosh", "--no-postgres", "--json", str(out))
    results = json.loads(out.read_text())
    assert set(results["latency_ms"]) >= {"api", "layer", "raw"}
    assert all(results["latency_ms"][name]["p50"] > 0 for name in ("api", "layer", "raw"))
    assert set(results["ratios_vs_raw"]) == {"api", "layer"}
    assert "target API/raw p50 ≤ 1.2× and p95 ≤ 1.1×" in printed


def test_bench_search_stages_times_the_stages_a_request_runs():
    printed = run_bench("bench_search_stages.py", "--layer")
    medians = {label.strip(): float(value) for label, value in
               re.findall(r"^ +(\S.*?)\s{2,}(\d+\.\d)$", printed, flags=re.M)}
    # every stage the lean path always runs was timed (a stage renamed or no longer called
    # would show 0.0); fitting runs only for some numbers and may be 0
    always = ["database connection taken", "bearer token check (one read)",
              "read-your-writes (outbox read)", "search layer (parse, query, hits, facets)",
              "results as JSON-ready dicts", "connection returned", "access line and metrics",
              "JSON encoding (orjson)", "parse the query", "index current? (stat calls)",
              "build the query tree", "a hit: stored fields, title, snippet",
              "facets in order"]
    for label in always:
        assert medians.get(label, 0.0) > 0.0, (label, printed)
    assert re.search(r"^floor \(raw .*\) p50 \d+\.\d{3} ms \(\d+\.\d\d× raw\)$", printed, re.M)
    assert re.search(r"^the same around the search layer .* p50 \d+\.\d{3} ms", printed, re.M)
