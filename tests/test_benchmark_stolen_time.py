"""The benchmarks' note of running time stolen by the host (benchmarks/stolen_time.py)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

STOLEN_TIME = Path(__file__).parent.parent / "benchmarks" / "stolen_time.py"


@pytest.fixture
def host():
    spec = importlib.util.spec_from_file_location("benchmark_host", STOLEN_TIME)
    module = importlib.util.module_from_spec(spec)
    sys.modules["benchmark_host"] = module
    spec.loader.exec_module(module)
    yield module
    del sys.modules["benchmark_host"]


def stat_file(tmp_path: Path, user: int, steal: int, idle: int = 100) -> Path:
    path = tmp_path / "stat"
    # user nice system idle iowait irq softirq steal guest guest_nice
    path.write_text(f"cpu  {user} 0 0 {idle} 0 0 0 {steal} 0 0\ncpu0 1 2 3 4 5 6 7 8 9 10\n")
    return path


def test_the_stolen_share_of_running_time_is_measured_between_enter_and_exit(
    host, tmp_path, monkeypatch
):
    monkeypatch.setattr(host, "STAT", stat_file(tmp_path, user=1000, steal=0, idle=100))
    with host.StolenTime() as stolen:
        # 300 more ticks of running time, 60 of them stolen: a fifth; idle time, however
        # long, does not dilute it.
        monkeypatch.setattr(host, "STAT", stat_file(tmp_path, user=1240, steal=60, idle=5000))
    assert stolen.share == pytest.approx(0.2)
    assert stolen.report() == (
        "host: 20% of running time stolen by other guests "
        "(too much: seconds here read slow, rerun when the host is quieter)"
    )


def test_a_quiet_host_is_reported_fine(host, tmp_path, monkeypatch):
    monkeypatch.setattr(host, "STAT", stat_file(tmp_path, user=1000, steal=5))
    with host.StolenTime() as stolen:
        monkeypatch.setattr(host, "STAT", stat_file(tmp_path, user=1500, steal=6))
    assert stolen.report() == "host: 0% of running time stolen by other guests (fine)"


@pytest.mark.parametrize("content", [None, "", "cpu  1 2 three\n", "intr 1 2 3 4 5 6 7 8\n"])
def test_without_a_readable_proc_stat_the_share_is_unknown(host, tmp_path, monkeypatch, content):
    path = tmp_path / "stat"
    if content is not None:
        path.write_text(content)
    monkeypatch.setattr(host, "STAT", path)
    with host.StolenTime() as stolen:
        pass
    assert stolen.share is None
    assert stolen.report() == "host: stolen time unknown (no readable /proc/stat)"
