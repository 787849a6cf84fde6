"""The cycle collector held while the program starts (reviewdesk.collector)."""

from __future__ import annotations

import gc
import subprocess
import sys

import pytest

from reviewdesk import collector


@pytest.fixture
def collector_state():
    yield
    collector.release()
    gc.unfreeze()
    gc.enable()


def test_held_then_released_once_what_was_made_frozen(collector_state):
    frozen = gc.get_freeze_count()
    collector.hold()
    assert not gc.isenabled() and collector.held()
    made = [[] for _ in range(1000)]
    collector.release()
    assert gc.isenabled() and not collector.held()
    assert gc.get_freeze_count() >= frozen + len(made)
    gc.disable()  # someone else's choice afterwards is left alone
    collector.release()
    assert not gc.isenabled()


def test_a_collector_stopped_by_someone_else_stays_theirs(collector_state):
    gc.disable()
    collector.hold()
    assert not collector.held()
    collector.release()
    assert not gc.isenabled()


def test_a_command_runs_with_the_collector_released(tmp_path):
    """`reviewdesk COMMAND` holds the collector while its modules load, then lets it run."""
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "import gc, sys\n"
            "from reviewdesk import __main__, collector, cli\n"
            "seen = []\n"
            "real = cli.main\n"
            "def spy(argv=None):\n"
            "    code = real(argv)\n"
            "    seen.append((gc.isenabled(), collector.held()))\n"
            "    return code\n"
            "cli.main = spy\n"
            f"sys.argv = ['reviewdesk', '--db', {str(tmp_path / 'b.sqlite')!r}, '--plain',"
            " 'clients']\n"
            "__main__.main()\n"
            "assert seen == [(True, False)], seen\n",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
