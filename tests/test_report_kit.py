"""Every SMO report's .js takes the report kit the Frappe way (an include directive that Frappe's report loader
expands on the server), and what the browser receives is valid JavaScript."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
APP = REPO / "smo_extension"
REPORTS = sorted((APP / "smo" / "report").glob("*/*.js"))
INCLUDE = re.compile(r"""{% include\s['"](.*?)['"]\s%}""")


def render_include(content: str) -> str:
	"""What frappe.model.utils.render_include does with a report script (five levels of includes)."""
	for _ in range(5):
		paths = INCLUDE.findall(content)
		if not paths:
			break
		for path in paths:
			app, app_path = path.split("/", 1)
			included = (REPO / app / app_path).read_text()
			content = re.sub(
				rf"""{{% include\s['"]{path}['"]\s%}}""", included.replace("\\", "\\\\"), content
			)
	return content


def test_there_are_reports():
	assert len(REPORTS) >= 9


@pytest.mark.parametrize("path", REPORTS, ids=lambda p: p.stem)
def test_each_report_takes_the_kit_and_expands_completely(path):
	source = path.read_text()
	assert INCLUDE.findall(source) == ["smo_extension/smo/report/report_kit.js"]
	rendered = render_include(source)
	assert "{%" not in rendered
	assert "var smo_report" in rendered


@pytest.mark.skipif(not shutil.which("node"), reason="node is not installed")
@pytest.mark.parametrize("path", REPORTS, ids=lambda p: p.stem)
def test_what_the_browser_receives_is_valid_javascript(path, tmp_path):
	script = tmp_path / path.name
	script.write_text(render_include(path.read_text()))
	result = subprocess.run(["node", "--check", str(script)], capture_output=True, text=True)
	assert result.returncode == 0, result.stderr
