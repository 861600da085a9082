#!/usr/bin/env python3
"""Adds up the JUnit XML reports of every module and prints 'N passed, N failed, N skipped'.

Exits non-zero when a module that should run tests ran none (the bnd tester can find 0 tests
and still succeed), or when no report exists at all.
"""
import glob
import os
import sys
import xml.etree.ElementTree as ET

root = sys.argv[1] if len(sys.argv) > 1 else "."
patterns = ["**/target/surefire-reports/TEST-*.xml",
            "**/target/failsafe-reports/TEST-*.xml",
            "**/target/test-reports/**/TEST-*.xml"]
files = sorted({f for p in patterns for f in glob.glob(os.path.join(root, p), recursive=True)})
passed = failed = skipped = 0
per_module = {}
for f in files:
    try:
        suite = ET.parse(f).getroot()
    except ET.ParseError as e:
        print(f"unreadable test report {f}: {e}", file=sys.stderr)
        failed += 1
        continue
    suites = [suite] if suite.tag == "testsuite" else suite.findall("testsuite")
    for s in suites:
        tests = int(s.get("tests", 0))
        fails = int(s.get("failures", 0)) + int(s.get("errors", 0))
        skips = int(s.get("skipped", 0))
        passed += tests - fails - skips
        failed += fails
        skipped += skips
        module = f.split("/target/")[0]
        per_module[module] = per_module.get(module, 0) + tests

for module, n in sorted(per_module.items()):
    print(f"  {module}: {n} tests")
ok = bool(files) and passed + failed > 0
if not ok:
    print("no test ran", file=sys.stderr)
if skipped and os.environ.get("CI") == "true":
    print(f"{skipped} tests were skipped under CI=true; nothing may be skipped in CI", file=sys.stderr)
    ok = False
line = f"{passed} passed, {failed} failed"
if skipped:
    line += f", {skipped} skipped"
print(line)
sys.exit(0 if ok and failed == 0 else 1)
