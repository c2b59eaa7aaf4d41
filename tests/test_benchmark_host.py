"""The benchmarks' note of CPU time stolen by the host (benchmarks/host.py)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

HOST = Path(__file__).parent.parent / "benchmarks" / "host.py"


@pytest.fixture
def host():
    spec = importlib.util.spec_from_file_location("benchmark_host", HOST)
    module = importlib.util.module_from_spec(spec)
    sys.modules["benchmark_host"] = module
    spec.loader.exec_module(module)
    yield module
    del sys.modules["benchmark_host"]


def stat_file(tmp_path: Path, user: int, steal: int) -> Path:
    path = tmp_path / "stat"
    # user nice system idle iowait irq softirq steal guest guest_nice
    path.write_text(f"cpu  {user} 0 0 100 0 0 0 {steal} 0 0\ncpu0 1 2 3 4 5 6 7 8 9 10\n")
    return path


def test_the_stolen_share_is_measured_between_enter_and_exit(host, tmp_path, monkeypatch):
    monkeypatch.setattr(host, "STAT", stat_file(tmp_path, user=1000, steal=0))
    with host.StolenTime() as stolen:
        # 300 more ticks in all, 60 of them stolen: a fifth.
        monkeypatch.setattr(host, "STAT", stat_file(tmp_path, user=1240, steal=60))
    assert stolen.share == pytest.approx(0.2)
    assert stolen.report() == (
        "host: 20% of CPU time stolen by other guests "
        "(too much: seconds here read slow, rerun when the host is quieter)"
    )


def test_a_quiet_host_is_reported_fine(host, tmp_path, monkeypatch):
    monkeypatch.setattr(host, "STAT", stat_file(tmp_path, user=1000, steal=5))
    with host.StolenTime() as stolen:
        monkeypatch.setattr(host, "STAT", stat_file(tmp_path, user=1500, steal=6))
    assert stolen.report() == "host: 0% of CPU time stolen by other guests (fine)"


def test_without_proc_stat_the_share_is_unknown(host, tmp_path, monkeypatch):
    monkeypatch.setattr(host, "STAT", tmp_path / "missing")
    with host.StolenTime() as stolen:
        pass
    assert stolen.share is None
    assert stolen.report() == "host: stolen CPU time unknown (no /proc/stat)"
