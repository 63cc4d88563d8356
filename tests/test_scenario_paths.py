"""Only a file key names a file: `simulation.recognition.platforms` (a recognition programme that
happens to be called like the `awards.platforms` file key) keeps its settings as written."""

from pathlib import Path

from fundalloc.core.scenario import load_scenario

ROOT = Path(__file__).resolve().parents[1]


def test_a_programme_named_like_a_file_key_is_not_taken_for_paths(tmp_path):
    base = (ROOT / "scenarios" / "jiaxing-sim-baseline.toml").as_posix()
    scenario = tmp_path / "s.toml"
    scenario.write_text(
        f'extends = "{base}"\n'
        "[simulation.recognition]\n"
        'platforms = { kind = "service_mfg_demo", award = "service_mfg_demo", '
        'level = "municipal", per_year = 3 }\n',
        encoding="utf-8",
    )
    s = load_scenario(scenario, reads=("simulation", "awards"))
    programme = s.get("simulation.recognition.platforms")
    assert programme["kind"] == "service_mfg_demo" and programme["level"] == "municipal"
    # the file keys of a section are still made absolute, relative to the file that sets them
    assert Path(s.get("awards.firms")).is_absolute()
