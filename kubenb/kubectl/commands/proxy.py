"""kubectl proxy (pkg/cmd/proxy/proxy.go): not available in a notebook.

The real command prints ``Starting to serve on 127.0.0.1:8001`` and then
serves the API over HTTP until interrupted. kubenb prints kubectl's line
(what a student following a tutorial expects to see) and then, on stderr, a
``kubenb:`` note that nothing is served and the proxy stopped at once, with
exit code 0 (the real command only ends when interrupted). Nothing changes in
the cluster.
"""

from __future__ import annotations

from kubenb.kubectl import flags as pflag
from kubenb.kubectl.cli import Command, Invocation
from kubenb.kubectl.flags import Flag

NO_SERVER = ("kubenb: a notebook cannot serve HTTP, so this proxy stopped at once and nothing listens on that port. "
             "Reach Services from inside the cluster instead, e.g. `kubectl exec <pod> -- curl http://<service>`.")


def run(inv: Invocation) -> int:
    inv.client  # noqa: B018 - fails as kubectl does when no cluster is configured
    address = inv.flags["address"]
    if inv.flags["unix-socket"]:
        inv.write(f"Starting to serve on {inv.flags['unix-socket']}\n")
    else:
        inv.write(f"Starting to serve on {address}:{inv.flags['port']}\n")
    inv.warn(NO_SERVER)
    return 0


COMMAND = Command(
    name="proxy",
    short="Run a proxy to the Kubernetes API server",
    usage="proxy [--port=PORT] [--www=static-dir] [--www-prefix=prefix] [--api-prefix=prefix]",
    help="Creates a proxy server or application-level gateway between localhost and the Kubernetes API server. "
         "(In kubenb: not served; see the note it prints.)",
    examples="  # Run a proxy to the Kubernetes API server on port 8011\n  kubectl proxy --port=8011",
    run=run,
    flags=[
        Flag("address", pflag.STRING, "127.0.0.1", usage="The IP address on which to serve on."),
        Flag("port", pflag.INT, 8001, shorthand="p", usage="The port on which to run the proxy. Set to 0 to pick a "
             "random port."),
        Flag("unix-socket", pflag.STRING, shorthand="u", usage="Unix socket on which to run the proxy."),
        Flag("accept-hosts", pflag.STRING, "^localhost$,^127\\.0\\.0\\.1$,^\\[::1\\]$", usage="Regular expression "
             "for hosts that the proxy should accept."),
        Flag("accept-paths", pflag.STRING, "^.*", usage="Regular expression for paths that the proxy should "
             "accept."),
        Flag("api-prefix", pflag.STRING, "/", usage="Prefix to serve the proxied API under."),
        Flag("disable-filter", pflag.BOOL, usage="If true, disable request filtering in the proxy."),
        Flag("keepalive", pflag.DURATION, 0.0, usage="keepalive specifies the keep-alive period for an active "
             "network connection."),
        Flag("reject-methods", pflag.STRING, "^$", usage="Regular expression for HTTP methods that the proxy "
             "should reject (example --reject-methods='POST,PUT,PATCH')."),
        Flag("reject-paths", pflag.STRING, "^/api/.*/pods/.*/exec,^/api/.*/pods/.*/attach", usage="Regular "
             "expression for paths that the proxy should reject."),
        Flag("www", pflag.STRING, shorthand="w", usage="Also serve static files from the given directory under "
             "the specified prefix."),
        Flag("www-prefix", pflag.STRING, "/static/", shorthand="P", usage="Prefix to serve static files under, if "
             "static file directory is specified."),
    ],
)
