#!/usr/bin/env python3
"""List the files under src/ over 700 lines and the functions over 80 lines
(from their `fn` line to the closing brace at the same indentation).

    scripts/size_limits.py      # prints nothing and exits 0 when all fit
"""
import os
import re
import sys

FILE_LINES, FUNCTION_LINES = 700, 80
found = []
for root, _, names in os.walk("src"):
    for name in sorted(n for n in names if n.endswith(".rs")):
        path = os.path.join(root, name)
        lines = open(path, encoding="utf-8").read().split("\n")
        if len(lines) > FILE_LINES:
            found.append(f"{path}: {len(lines)} lines")
        for i, line in enumerate(lines):
            m = re.match(r"^(\s*)(pub(\([a-z]+\))? )?(const )?fn (\w+)", line)
            if not m:
                continue
            end = next((j for j in range(i, len(lines)) if lines[j] == m.group(1) + "}"), i)
            if end - i + 1 > FUNCTION_LINES:
                found.append(f"{path}:{i + 1}: fn {m.group(5)}: {end - i + 1} lines")
print("\n".join(found))
sys.exit(1 if found else 0)
