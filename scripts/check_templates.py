#!/usr/bin/env python3
"""CI check of the project templates, end to end through the real `dark8` binary.

For every template: `dark8 tools call project_create --args {...} --yes --json` into a
temporary workspace, then the generated project's own checks (dependency installation, its
test suite, its linter) exactly as the template's `template.toml` lists them, run in the
project. Exits non-zero at the first failure, printing what failed.

Usage: scripts/check_templates.py path/to/dark8 [template ...]
"""

import json
import os
import subprocess
import sys
import tempfile
import time

TEMPLATES = ["fastapi", "flask", "django", "nodejs", "rust"]
APP_TYPES = {"fastapi": "produkt", "flask": "notatka", "django": "zadanie", "nodejs": "todo", "rust": "todo"}


def run_template(dark8: str, framework: str, home: str) -> float:
    started = time.monotonic()
    workspace = tempfile.mkdtemp(prefix=f"dark8-tpl-{framework}-")
    args = {"framework": framework, "name": f"Próbny {framework}", "app_type": APP_TYPES[framework]}
    created = subprocess.run(
        [dark8, "tools", "call", "project_create", "--yes", "--json", "--workdir", workspace,
         "--args", json.dumps(args)],
        capture_output=True, text=True, env={**os.environ, "DARK8_HOME": home}, check=False,
    )
    if created.returncode != 0:
        sys.exit(f"{framework}: project_create failed ({created.returncode}):\n{created.stdout}\n{created.stderr}")
    result = json.loads(created.stdout)
    project = result["output"]["path"]
    print(f"== {framework}: {result['summary']}", flush=True)
    for check in result["output"]["checks"]:
        step = time.monotonic()
        env = {**os.environ, **check.get("env", {})}
        done = subprocess.run(check["argv"], cwd=project, env=env, capture_output=True, text=True, check=False)
        took = time.monotonic() - step
        if done.returncode != 0:
            sys.exit(f"{framework}: {check['name']} failed ({done.returncode}):\n{done.stdout[-4000:]}\n{done.stderr[-4000:]}")
        print(f"   OK {check['name']} ({took:.1f} s)", flush=True)
    return time.monotonic() - started


def main() -> None:
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    dark8 = os.path.abspath(sys.argv[1])
    chosen = sys.argv[2:] or TEMPLATES
    home = tempfile.mkdtemp(prefix="dark8-tpl-home-")
    for framework in chosen:
        took = run_template(dark8, framework, home)
        print(f"   {framework}: {took:.1f} s in all", flush=True)


if __name__ == "__main__":
    main()
