import os

import pytest

from tests.stress.kill_during_save import run

pytestmark = [pytest.mark.stress, pytest.mark.timeout(0)]  # minutes by design


def test_kill_9_during_saves_leaves_the_old_or_the_new_holdings(tmp_path):
    kills = int(os.environ.get("REVIEWDESK_STRESS_KILLS", "200"))
    results = run(kills, tmp_path)
    print(results)
    assert results["kills"] == kills
    assert results["integrity_ok"] == results["old_or_new"] == kills
    assert results["G0"] > 0 and results["G1"] > 0
