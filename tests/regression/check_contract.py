"""Keeps docs/contract.md (the deck and output contract) in sync with the program's schema.

Usage: python3 check_contract.py CONTRACT.md SCHEMA.md
       python3 check_contract.py CONTRACT.md --run [LAUNCHER ...] SEAM

SCHEMA.md is the output of `seam schema` (the key reference, docs/deck.md); with --run, the script runs
`[LAUNCHER ...] SEAM schema` and reads its output. Checks:
  1. every key path in the contract's YAML blocks, and every key the contract names in its comments
     (COMMENT_KEYS), is a key of the schema, except the contract keys not implemented yet
     (NOT_IMPLEMENTED), which must NOT be in the schema: when one gets implemented, this test fails
     until it moves out of that list (and the schema documents it);
  2. every choice the contract names for an enumerated key (CHOICES: styles, types, faces, ...) is
     allowed by the schema, except NOT_IMPLEMENTED_CHOICES, which must not be; each of them must also
     appear on the contract's line for that key, so that these lists follow the contract;
  3. every section of the schema's top level appears in the contract (a new top-level section needs
     the contract to say what it is for).
Prints every difference and exits 1 if there is any.
"""
import re
import subprocess
import sys

import yaml

# Keys of the contract not implemented yet (none: run.style quasistatic runs MD-only decks; a coupled
# quasistatic deck is refused with an input error until the continuum's static solve exists).
NOT_IMPLEMENTED = set()
NOT_IMPLEMENTED_CHOICES = {}

# Keys the contract names in comments rather than as YAML (the style-specific keys).
COMMENT_KEYS = [
    "md.potential.epsilon", "md.potential.sigma", "md.potential.cutoff", "md.potential.d0",
    "md.potential.alpha", "md.potential.r0", "md.potential.k",
    "fe.material.youngs_modulus", "fe.material.poisson_ratio", "fe.material.density",
    "fe.material.c11", "fe.material.c12", "fe.material.c44", "fe.boundary[i].value",
    "md.indenter.position", "md.cut[i].normal", "md.cut[i].extent",
]

# Enumerated keys: the choices the contract names (on the key's line in a YAML block).
CHOICES = {
    "units": ["metal", "lj"],
    "md.lattice.style": ["fcc", "bcc", "sc", "hex", "chain"],
    "md.boundary": ["free", "periodic"],
    "md.potential.style": ["lj_cut", "morse", "harmonic", "eam", "eam_alloy"],
    "md.thermostat.style": ["langevin"],
    "fe.material.style": ["cauchy_born", "isotropic", "cubic"],
    "fe.boundary[i].faces": ["x_lo", "x_hi", "y_lo", "y_hi", "z_lo", "z_hi"],
    "fe.boundary[i].type": ["free", "fixed", "absorbing", "velocity", "traction"],
    "coupling.method": ["bridging_domain"],
    "coupling.weight": ["linear", "cubic"],
    "coupling.constraint": ["velocity", "displacement"],
    "coupling.damping.style": ["none", "fine_scale"],
    "run.style": ["dynamics", "quasistatic"],
}


def schema_keys(text):
    """{key path: allowed-values text} from the tables of `seam schema`."""
    keys = {}
    for line in text.splitlines():
        m = re.match(r"\|\s*`([^`]+)`\s*\|\s*((?:[^|\\]|\\.)*)\|", line)
        if m:
            keys[m.group(1)] = m.group(2).strip()
    return keys


def schema_choices(allowed):
    """The values of "one of a, b" or "list of entries from a, b" (plus "or `auto`"), else None."""
    m = re.search(r"(?:one of|entries from) ([a-z0-9_, ]+)", allowed)
    return [v.strip() for v in m.group(1).split(",") if v.strip()] if m else None


def yaml_blocks(text):
    """[(first line number, block text)] of the ```yaml blocks."""
    blocks, inside, start, lines = [], False, 0, []
    for n, line in enumerate(text.splitlines(), 1):
        if line.strip() == "```yaml":
            inside, start, lines = True, n + 1, []
        elif inside and line.strip() == "```":
            blocks.append((start, "\n".join(lines)))
            inside = False
        elif inside:
            lines.append(line)
    return blocks


def key_paths(node, prefix=""):
    """Every key path of a YAML tree; list items are `[i]`, as the schema writes them."""
    if isinstance(node, dict):
        for k, v in node.items():
            path = "%s.%s" % (prefix, k) if prefix else str(k)
            sections = isinstance(v, list) and any(isinstance(item, dict) for item in v)
            yield path + "[i]" if sections else path
            yield from key_paths(v, path)
    elif isinstance(node, list):
        for item in node:
            if isinstance(item, dict):
                yield from key_paths(item, prefix + "[i]")


def merge(a, b):
    """b's keys into a (the contract repeats sections across blocks: md, fe, run)."""
    for k, v in b.items():
        if isinstance(v, dict) and isinstance(a.get(k), dict):
            merge(a[k], v)
        elif isinstance(v, list) and isinstance(a.get(k), list):
            a[k] = a[k] + v
        else:
            a[k] = v
    return a


def lines_by_key(blocks):
    """{key path: the contract text that gives it}: the key's line, the lines that continue a flow
    mapping opened on it and the comment lines below it (where the contract names alternatives)."""
    found = {}
    for _, text in blocks:
        stack, current, depth = [], [], 0  # stack: (indent, path) of the open block keys
        for line in text.splitlines():
            stripped = line.strip()
            if depth > 0 or stripped.startswith("#") or not stripped:
                # Inside a flow mapping that spans lines, or a comment: belongs to the last key line.
                for path in current:
                    found[path] += "\n" + line
                depth += line.count("{") - line.count("}")
                continue
            m = re.match(r"(\s*)(- )?(\{?)([a-z_0-9]+):\s*(.*)", line)
            if not m:
                continue
            indent = len(m.group(1)) + (2 if m.group(2) else 0)
            while stack and stack[-1][0] >= indent:
                stack.pop()
            parent = stack[-1][1] if stack else ""
            value = m.group(3) + m.group(5).split("#")[0]
            inline = re.findall(r"[{,]\s*([a-z_0-9]+):", value)
            if m.group(2):
                # "- key: ..." or "- {key: ..., key: ...}": the list item's keys are parent[i].key.
                current = ["%s[i].%s" % (parent, k) for k in [m.group(4)] + inline]
                stack.append((indent, "%s[i].%s" % (parent, m.group(4))))
            else:
                path = "%s.%s" % (parent, m.group(4)) if parent else m.group(4)
                stack.append((indent, path))
                current = [path] + ["%s.%s" % (path, k) for k in inline]
            for c in current:
                found[c] = found.get(c, "") + "\n" + line
            depth = value.count("{") - value.count("}")
    return found


def main():
    if len(sys.argv) < 3 or (sys.argv[2] == "--run" and len(sys.argv) < 4):
        sys.exit(__doc__)
    contract = open(sys.argv[1], encoding="utf-8").read()
    if sys.argv[2] == "--run":
        command = sys.argv[3:] + ["schema"]
        run = subprocess.run(command, capture_output=True, text=True)
        if run.returncode != 0:
            sys.exit("check_contract: `%s` failed (%d):\n%s%s" % (" ".join(command), run.returncode, run.stdout,
                                                                    run.stderr))
        source, text = " ".join(command), run.stdout
    else:
        source, text = sys.argv[2], open(sys.argv[2], encoding="utf-8").read()
    schema = schema_keys(text)
    if not schema:
        sys.exit("check_contract: no key table in the output of %s: is it `seam schema`?" % source)
    blocks = yaml_blocks(contract)
    tree = {}
    for start, text in blocks:
        try:
            merge(tree, yaml.safe_load(text) or {})
        except yaml.YAMLError as e:
            sys.exit("check_contract: %s: the YAML block at line %d does not parse: %s" % (sys.argv[1], start, e))
    contract_keys = set(key_paths(tree)) | set(COMMENT_KEYS)
    by_key = lines_by_key(blocks)

    problems = []
    for path in sorted(contract_keys):
        if path in NOT_IMPLEMENTED:
            if path in schema:
                problems.append("%s is in the schema now: take it out of NOT_IMPLEMENTED in %s" % (path, __file__))
        elif path not in schema:
            problems.append("the contract's key %s is not in `seam schema`: implement it (and document it), or "
                            "if it is a contract for later, list it in NOT_IMPLEMENTED" % path)
    for path in sorted(NOT_IMPLEMENTED - contract_keys):
        problems.append("NOT_IMPLEMENTED lists %s, which the contract does not name" % path)

    for path, values in list(CHOICES.items()) + list(NOT_IMPLEMENTED_CHOICES.items()):
        line = by_key.get(path, "")
        allowed = schema_choices(schema.get(path, "")) if path in schema else None
        pending = NOT_IMPLEMENTED_CHOICES.get(path, [])
        for v in values:
            if not re.search(r"\b%s\b" % re.escape(v), line):
                problems.append("%s: the contract's line for this key does not name %s (update CHOICES in %s)"
                                % (path, v, __file__))
            if path in NOT_IMPLEMENTED:
                continue
            if allowed is None:
                problems.append("%s: the schema does not list its choices (allowed values: '%s')"
                                % (path, schema.get(path, "not in the schema")))
            elif v in pending and v in allowed:
                problems.append("%s: %s is implemented now: take it out of NOT_IMPLEMENTED_CHOICES" % (path, v))
            elif v not in pending and v not in allowed:
                problems.append("%s: the contract names %s, the schema allows only %s" % (path, v, ", ".join(allowed)))

    top = [k for k in schema if "." not in k and "[" not in k and schema[k].startswith("section")]
    for section in top:
        if not re.search(r"^%s:" % re.escape(section), "\n".join(t for _, t in blocks), re.M):
            problems.append("the schema's top-level section %s is not in the contract's deck" % section)

    for p in problems:
        print("check_contract: " + p, file=sys.stderr)
    if problems:
        sys.exit(1)
    print("check_contract: %d contract keys and %d choices agree with the schema (%d keys not implemented yet: %s)"
          % (len(contract_keys), sum(len(v) for v in CHOICES.values()), len(NOT_IMPLEMENTED),
             ", ".join(sorted(k for k in NOT_IMPLEMENTED if "." not in k.split(".", 1)[-1] or k.count(".") == 1))))


main()
