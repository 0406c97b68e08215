#!/usr/bin/env python3
"""Assembles the split release build into a directory a static host serves as it is.

Input: a staging directory holding what wasm-split and wasm-bindgen wrote (crossrole.js,
crossrole_bg.wasm, __wasm_split.js, the chunks split_*.wasm and chunk_*.wasm, and the mock's
worker mock_worker.js and mock_worker_bg.wasm). Output: every file the console needs, those a
browser may keep forever under content-hashed names, and index.html (from the repository's,
the one Trunk also reads) pointing at them.

Names: a chunk's hash is of its own bytes, so a chunk that did not change keeps its name (and
the browser's cached copy) across deploys. crossrole.js and __wasm_split.js import each other,
so neither can be named after its own bytes alone: the two, with the main module, share one
hash of all three. The worker keeps fixed names (public/mock-worker.js loads it by name), so
hosts serve it, like index.html, without long-lived caching.

Usage: release.py STAGE OUT ROOT
"""

import base64
import hashlib
import re
import shutil
import sys
from pathlib import Path


def short_hash(*parts: bytes) -> str:
    """16 hex digits of SHA-256: the length Trunk uses for its hashed names."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part)
    return digest.hexdigest()[:16]


def integrity(data: bytes) -> str:
    """A Subresource Integrity value (sha384, as Trunk writes for the stylesheet and icon)."""
    return "sha384-" + base64.b64encode(hashlib.sha384(data).digest()).decode()


def replace_all(text: str, old: str, new: str, where: str) -> str:
    """Replaces every occurrence of `old`, which must occur: a tool that changed its output's
    shape fails the build here instead of shipping a console that cannot load."""
    if old not in text:
        raise SystemExit(f"release.py: {old!r} not found in {where}")
    return text.replace(old, new)


def read_leb128(data: bytes, at: int) -> tuple[int, int]:
    """An unsigned LEB128 number at `at`, and the offset after it."""
    value = shift = 0
    while True:
        byte = data[at]
        at += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return value, at


def without_relocations(wasm: bytes) -> bytes:
    """The module without its `linking` and `reloc.*` custom sections.

    The build keeps relocations for wasm-split (`--emit-relocs`); wasm-split drops them from
    the console's modules, but the worker does not pass through it and wasm-bindgen keeps
    them (they doubled its size). No tool the build already has removes custom sections
    (Debian's binaryen breaks the wasm), and the section layout is a few lines to walk."""
    if wasm[:8] != b"\0asm\x01\0\0\0":
        raise SystemExit("release.py: the worker is not a WebAssembly module")
    kept, at = bytearray(wasm[:8]), 8
    while at < len(wasm):
        start = at
        section_id = wasm[at]
        size, body = read_leb128(wasm, at + 1)
        at = body + size
        if section_id == 0:
            name_length, name_at = read_leb128(wasm, body)
            name = wasm[name_at : name_at + name_length]
            if name == b"linking" or name.startswith(b"reloc."):
                continue
        kept += wasm[start:at]
    return bytes(kept)


def hashed(data: bytes, stem: str, suffix: str) -> str:
    return f"{stem}-{short_hash(data)}{suffix}"


def copy_hashed(source: Path, out: Path, stem: str) -> tuple[str, str]:
    """Copies `source` under its content-hashed name; that name and its integrity value."""
    data = source.read_bytes()
    name = hashed(data, stem, source.suffix)
    (out / name).write_bytes(data)
    return name, integrity(data)


def main(stage: Path, out: Path, root: Path) -> None:
    out.mkdir(parents=True)
    loader = (stage / "__wasm_split.js").read_text()

    # The chunks, named after their bytes; the loader fetches them by the new names.
    chunks = sorted(stage.glob("split_*.wasm")) + sorted(stage.glob("chunk_*.wasm"))
    for chunk in chunks:
        data = chunk.read_bytes()
        name = hashed(data, chunk.stem, ".wasm")
        loader = replace_all(loader, f'"./{chunk.name}"', f'"./{name}"', "__wasm_split.js")
        (out / name).write_bytes(data)

    # The main module, its JS and the loader: one hash for the three.
    wasm = (stage / "crossrole_bg.wasm").read_bytes()
    js = (stage / "crossrole.js").read_text()
    main_hash = short_hash(wasm, js.encode(), loader.encode())
    js_name, wasm_name = f"crossrole-{main_hash}.js", f"crossrole-{main_hash}_bg.wasm"
    loader_name = f"__wasm_split-{main_hash}.js"
    # Only the JS imports: the import object's keys must keep the wasm's own module name.
    js = replace_all(js, 'from "./__wasm_split.js"', f'from "./{loader_name}"', "crossrole.js")
    loader = replace_all(loader, '"./crossrole.js"', f'"./{js_name}"', "__wasm_split.js")
    (out / js_name).write_text(js)
    (out / wasm_name).write_bytes(wasm)
    (out / loader_name).write_text(loader)

    # The worker, and the files copied as they are.
    shutil.copyfile(stage / "mock_worker.js", out / "mock_worker.js")
    worker = (stage / "mock_worker_bg.wasm").read_bytes()
    (out / "mock_worker_bg.wasm").write_bytes(without_relocations(worker))
    for name in ("boot.js", "config.json", "mock-worker.js"):
        shutil.copyfile(root / "public" / name, out / name)

    css_name, css_integrity = copy_hashed(root / "style/main.css", out, "main")
    icon_name, icon_integrity = copy_hashed(root / "public/favicon.svg", out, "favicon")

    html = (root / "index.html").read_text()
    html = replace_all(
        html,
        '<link data-trunk rel="rust" data-bin="crossrole" data-wasm-opt="0" />',
        f'<script type="module" src="/boot.js" data-js="/{js_name}" data-wasm="/{wasm_name}"></script>',
        "index.html",
    )
    html = replace_all(
        html,
        '<link data-trunk rel="css" href="style/main.css" />',
        f'<link rel="stylesheet" href="/{css_name}" integrity="{css_integrity}"/>',
        "index.html",
    )
    html = replace_all(
        html,
        '<link data-trunk rel="icon" href="public/favicon.svg" />',
        f'<link rel="icon" href="/{icon_name}" integrity="{icon_integrity}"/>',
        "index.html",
    )
    # The worker and the copied files are Trunk's business only; here they are copied above.
    html = re.sub(r'[ \t]*<link data-trunk rel="(rust|copy-file)"[^>]*/>\n', "", html)
    # Fetched alongside boot.js: the module, the loader it imports, and the main wasm. No
    # integrity attribute on the wasm: Chromium ignores it on a preload and warns.
    preloads = (
        f'<link rel="modulepreload" href="/{js_name}" crossorigin="anonymous">'
        f'<link rel="modulepreload" href="/{loader_name}" crossorigin="anonymous">'
        f'<link rel="preload" href="/{wasm_name}" crossorigin="anonymous" as="fetch" '
        'type="application/wasm">'
    )
    html = replace_all(html, "</head>", f"  {preloads}\n  </head>", "index.html")
    if "data-trunk" in html:
        raise SystemExit("release.py: index.html has a data-trunk link this script does not know")
    (out / "index.html").write_text(html)


if __name__ == "__main__":
    if len(sys.argv) != 4:
        raise SystemExit(__doc__)
    main(Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]))
