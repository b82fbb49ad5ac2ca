"""Latency of ``kubelint lsp``: from the last ``didChange`` to its diagnostics.

Generates a multi-document manifest of about 1,000 lines (Deployments and Services, with
findings), starts the server over stdio with pygls' client, opens the file and then types:
bursts of single-character edits a few milliseconds apart, as a user does. For each burst
it measures the time from sending the last change to receiving the diagnostics published
for that version, and prints the distribution (milliseconds). The target is 100 ms; this
script reports, it does not assert.

``--big MB`` measures something else: hovers on a document of about MB megabytes (the same
objects, repeated), sent right after it is opened, while the server checks it, and a hover on
a small document at the same time: the time each answer takes (milliseconds).

usage: python bench/lsp_latency.py [--rounds N] [--lines N] [--log FILE] [--big MB]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

from lsprotocol import types as lsp
from pygls.lsp.client import LanguageClient

from kubelint.lsp.server import DEBOUNCE


def server_command(log: str | None) -> list[str]:
    """The server, started as an editor starts ``kubelint lsp``."""
    command = [sys.executable, "-m", "kubelint", "lsp"]
    return [*command, "--log-file", log, "--verbose"] if log else command


DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web-{i}
  labels:
    app: web-{i}
spec:
  replicas: 2
  selector:
    matchLabels:
      app: web-{i}
  template:
    metadata:
      labels:
        app: web-{i}
    spec:
      containers:
      - name: web
        image: nginx:1.27
        ports:
        - containerPort: 8080
        resources:
          limits:
            memory: 256Mi
---
apiVersion: v1
kind: Service
metadata:
  name: web-{i}
spec:
  selector:
    app: web-{i}
  ports:
  - port: 80
    targetPort: 8080
---
"""


def manifest(lines: int) -> str:
    """Deployment + Service pairs until the text has at least ``lines`` lines."""
    parts: list[str] = []
    count = 0
    index = 0
    while count < lines:
        part = DEPLOYMENT.format(i=index)
        parts.append(part)
        count += part.count("\n")
        index += 1
    return "".join(parts)


async def measure(rounds: int, lines: int, log: str | None) -> list[float]:
    folder = Path(tempfile.mkdtemp(prefix="kubelint-lsp-bench-"))
    path = folder / "big.yaml"
    text = manifest(lines)
    path.write_text(text, encoding="utf-8")
    uri = path.as_uri()
    received: dict[int, float] = {}
    arrived = asyncio.Event()

    client = LanguageClient("kubelint-bench", "1")

    @client.feature(lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def diagnostics(params: lsp.PublishDiagnosticsParams) -> None:
        if params.uri == uri and params.version is not None:
            received.setdefault(params.version, time.perf_counter())
            arrived.set()

    await client.start_io(*server_command(log))
    await client.initialize_async(
        lsp.InitializeParams(capabilities=lsp.ClientCapabilities(), root_uri=folder.as_uri())
    )
    client.initialized(lsp.InitializedParams())
    client.text_document_did_open(
        lsp.DidOpenTextDocumentParams(
            text_document=lsp.TextDocumentItem(uri=uri, language_id="yaml", version=0, text=text)
        )
    )

    async def until(version: int) -> None:
        while version not in received:
            arrived.clear()
            await asyncio.wait_for(arrived.wait(), timeout=60)

    await until(0)
    replicas = text.split("\n").index("  replicas: 2")
    latencies: list[float] = []
    version = 0
    for round_ in range(rounds):
        sent = 0.0
        for keystroke in range(3):  # a short burst of typing
            version += 1
            digit = str((round_ + keystroke) % 9 + 1)
            client.text_document_did_change(
                lsp.DidChangeTextDocumentParams(
                    text_document=lsp.VersionedTextDocumentIdentifier(uri=uri, version=version),
                    content_changes=[
                        lsp.TextDocumentContentChangePartial(
                            range=lsp.Range(lsp.Position(replicas, 12), lsp.Position(replicas, 13)),
                            text=digit,
                        )
                    ],
                )
            )
            sent = time.perf_counter()
            await asyncio.sleep(0.02)
        await until(version)
        latencies.append((received[version] - sent) * 1000)
        await asyncio.sleep(0.2)  # let the server go idle between rounds
    await client.shutdown_async(None)
    client.exit(None)
    await client.stop()
    return latencies


async def measure_big_hover(megabytes: float, log: str | None) -> dict[str, float]:
    """Milliseconds to answer hovers on a big document while the server checks it."""
    folder = Path(tempfile.mkdtemp(prefix="kubelint-lsp-bench-"))
    text = manifest(int(megabytes * 1_000_000 / len(DEPLOYMENT) * DEPLOYMENT.count("\n")))
    big, small = (folder / "big.yaml").as_uri(), (folder / "small.yaml").as_uri()
    client = LanguageClient("kubelint-bench", "1")

    @client.feature(lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def diagnostics(params: lsp.PublishDiagnosticsParams) -> None:
        pass  # not measured here

    await client.start_io(*server_command(log))
    await client.initialize_async(
        lsp.InitializeParams(capabilities=lsp.ClientCapabilities(), root_uri=folder.as_uri())
    )
    client.initialized(lsp.InitializedParams())
    for uri, content in ((small, DEPLOYMENT.format(i=0)), (big, text)):
        client.text_document_did_open(
            lsp.DidOpenTextDocumentParams(
                text_document=lsp.TextDocumentItem(
                    uri=uri, language_id="yaml", version=1, text=content
                )
            )
        )

    async def hover(uri: str, line: int) -> float:
        start = time.perf_counter()
        await asyncio.wait_for(
            client.text_document_hover_async(
                lsp.HoverParams(
                    text_document=lsp.TextDocumentIdentifier(uri=uri),
                    position=lsp.Position(line, 4),
                )
            ),
            timeout=300,
        )
        return (time.perf_counter() - start) * 1000

    lines = text.count("\n")
    results: dict[str, float] = {}
    for name, line in (("start", 3), ("middle", lines // 2 + 3), ("end", lines - 30)):
        small_hover = asyncio.ensure_future(hover(small, 3))
        results[f"big document, line {line} ({name})"] = await hover(big, line)
        results[f"small document, meanwhile ({name})"] = await small_hover
    await client.shutdown_async(None)
    client.exit(None)
    await client.stop()
    return results


def check_cost(lines: int, rounds: int) -> list[float]:
    """CPU milliseconds the server spends on one version of the file (in this process).

    The part of the latency that is kubelint's own work, apart from the debounce, the pipe
    and the machine's load.
    """
    from kubelint.lsp.workspace import Projects

    folder = Path(tempfile.mkdtemp(prefix="kubelint-lsp-bench-"))
    path = folder / "big.yaml"
    text = manifest(lines)
    path.write_text(text, encoding="utf-8")
    projects = Projects()
    projects.set_folders([folder])
    project, _ = projects.project_for(str(path))
    project.refresh()
    costs: list[float] = []
    for round_ in range(rounds):
        edited = text.replace("replicas: 2", f"replicas: {round_ % 9 + 1}", 1)
        start = time.process_time()
        project.update_buffer(str(path), edited)
        project.findings(str(path))
        costs.append((time.process_time() - start) * 1000)
    return costs


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--lines", type=int, default=1000)
    parser.add_argument("--log", metavar="FILE", help="the server's log, with each check's time")
    parser.add_argument("--big", type=float, metavar="MB", help="hovers on a document of MB MB")
    args = parser.parse_args()
    if args.big:
        answers = asyncio.run(measure_big_hover(args.big, args.log))
        print(f"hover on a {args.big:g} MB document, sent right after opening it (ms):")
        for what, milliseconds in answers.items():
            print(f"  {what}: {milliseconds:.0f}")
        return 0
    latencies = asyncio.run(measure(args.rounds, args.lines, args.log))
    costs = check_cost(args.lines, args.rounds)
    ordered = sorted(latencies)
    p90 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.9))]
    print(
        f"last didChange -> publishDiagnostics, {args.lines}-line file, {len(latencies)} rounds: "
        f"median {statistics.median(latencies):.0f} ms, p90 {p90:.0f} ms, "
        f"min {ordered[0]:.0f} ms, max {ordered[-1]:.0f} ms"
    )
    print(
        f"of which the check of one version (CPU, in process): median "
        f"{statistics.median(costs):.0f} ms, min {min(costs):.0f} ms; "
        f"debounce {DEBOUNCE * 1000:.0f} ms"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
