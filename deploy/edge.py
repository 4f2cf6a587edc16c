"""Varnish in front of gunicorn: `make serve`, the edge tests and the benchmark.

`python deploy/edge.py` (what `make serve` runs) starts gunicorn on loopback
(BACKEND_PORT, 8001) and varnishd on the public port (PORT, 8000) with
deploy/varnish/default.vcl, points the app's purges at it (VARNISH_URL), and
stops both when either stops or on Ctrl-C. Also: VARNISH_LISTEN (the address;
all interfaces by default), VARNISH_STORAGE (malloc,256m), VARNISH_PURGERS
(more addresses allowed to PURGE, comma-separated), VARNISH_WORKDIR.
"""

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VCL = ROOT / "deploy" / "varnish" / "default.vcl"
INSTALL_HINT = "varnishd is not installed (apt-get install varnish varnish-modules)"


def varnishd_path():
    return shutil.which("varnishd", path=f"{os.environ.get('PATH', '')}:/usr/sbin")


def render_vcl(*, backend_port, purgers=()):
    """The repository's VCL with this backend port and these extra purgers."""
    text, found = re.subn(
        r'(backend default \{\s*\.host = "[^"]*";\s*\.port = )"[^"]*";',
        rf'\g<1>"{int(backend_port)}";',
        VCL.read_text(),
        count=1,
    )
    if not found:
        raise ValueError(f"{VCL}: no `backend default` with .host and .port")
    extra = "".join(f'    "{a.strip()}";\n' for a in purgers if a.strip())
    return text.replace("acl purgers {\n", "acl purgers {\n" + extra, 1)


def wait_for_port(port, *, host="127.0.0.1", process=None, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            return False
        try:
            with socket.create_connection((host, port), timeout=0.5):
                return True
        except OSError:
            time.sleep(0.1)
    return False


def start_varnish(
    *,
    listen,
    backend_port,
    workdir,
    storage="malloc,256m",
    purgers=(),
    parameters=(),
    stdout=None,
    stderr=None,
):
    """varnishd in the foreground with the rendered VCL; returns the process
    once it accepts connections on `listen` ("host:port")."""
    binary = varnishd_path()
    if binary is None:
        raise RuntimeError(INSTALL_HINT)
    workdir = Path(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    vcl = workdir / "default.vcl"
    vcl.write_text(render_vcl(backend_port=backend_port, purgers=purgers))
    # -j none: one user for every process, as the working directory may be a
    # test's private tmp (production uses the packaged systemd unit instead).
    command = [
        binary,
        "-F",
        "-n",
        str(workdir / "varnish"),
        "-a",
        listen,
        "-T",
        "127.0.0.1:0",
        "-f",
        str(vcl),
        "-s",
        storage,
        "-j",
        "none",
    ]
    for parameter in parameters:
        command += ["-p", parameter]
    process = subprocess.Popen(  # noqa: S603 - our own command line
        command, stdout=stdout, stderr=stderr, start_new_session=True
    )
    host, _, port = listen.rpartition(":")
    if not wait_for_port(int(port), host=host or "127.0.0.1", process=process):
        stop(process)
        raise RuntimeError(f"varnishd did not start: {' '.join(command)}")
    return process


def stop(process, timeout=15):
    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def main():
    port = int(os.environ.get("PORT", "8000"))
    backend_port = int(os.environ.get("BACKEND_PORT", "8001"))
    env = {
        **os.environ,
        "BIND": f"127.0.0.1:{backend_port}",
        "VARNISH_URL": os.environ.get("VARNISH_URL", f"http://127.0.0.1:{port}"),
        "FORWARDED_ALLOW_IPS": "127.0.0.1",
    }
    gunicorn = subprocess.Popen(  # noqa: S603
        [str(Path(sys.executable).parent / "gunicorn"), "-c", "gunicorn.conf.py"],
        cwd=ROOT,
        env=env,
    )
    varnish = None

    def shut_down(signum=None, frame=None):
        stop(varnish)
        stop(gunicorn)
        sys.exit(0)

    signal.signal(signal.SIGTERM, shut_down)
    signal.signal(signal.SIGINT, shut_down)
    try:
        if not wait_for_port(backend_port, process=gunicorn, timeout=120):
            raise RuntimeError("gunicorn did not start")
        varnish = start_varnish(
            listen=f"{os.environ.get('VARNISH_LISTEN', '')}:{port}",
            backend_port=backend_port,
            workdir=os.environ.get("VARNISH_WORKDIR")
            or tempfile.mkdtemp(prefix="varnish-"),
            storage=os.environ.get("VARNISH_STORAGE", "malloc,256m"),
            purgers=os.environ.get("VARNISH_PURGERS", "").split(","),
        )
        print(  # noqa: T201 - the command's one line of output
            f"Serving on port {port}: Varnish -> gunicorn on 127.0.0.1:{backend_port}",
            flush=True,
        )
        while gunicorn.poll() is None and varnish.poll() is None:
            time.sleep(1)
    finally:
        stop(varnish)
        stop(gunicorn)
    return 1


if __name__ == "__main__":
    sys.exit(main())
