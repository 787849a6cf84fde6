"""The profile in the Chinese interface with several refused fields, all marked on one
Save, the whole screen (docs/shots.py).

    xvfb-run -a -s "-screen 0 1440x900x24" sh -c \
        'openbox & sleep 1; PYTHONPATH=$PWD python docs/screenshot_profile_errors.py docs/'

Writes profile-errors-zh.png.
"""

from __future__ import annotations

import shots


def main() -> int:
    run = shots.Shots(shots.arguments(__doc__))
    run.demo_book()
    window = run.main_window()
    run.open_client(window.model.rows[0].id)
    workspace = window.workspace
    workspace.tabs.setCurrentWidget(workspace.profile)
    run.settle(2)
    profile = workspace.profile
    profile.editors["birthday"].setText("1990-02-30")
    profile.editors["phone"].setText("电话 138")
    profile.editors["email"].setText("wang at example")
    profile.editors["annual_income"].setText("很多")
    profile.editors["contact_cadence_days"].setText("三十")
    profile.save_button.click()
    run.settle(1.5)
    run.save(f"profile-errors-{run.lang}.png")
    return run.close()


if __name__ == "__main__":
    raise SystemExit(main())
