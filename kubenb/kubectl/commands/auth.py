"""kubectl auth (pkg/cmd/auth): ``can-i`` (a SelfSubjectAccessReview) and ``whoami`` (a SelfSubjectReview).

``can-i VERB TYPE[/NAME]`` prints ``yes`` (exit 0) or ``no`` (exit 1) for
the identity in force, which is the kubeconfig's admin or the one given
with ``--as``/``--as-group``; the answer comes from the simulated RBAC
authorizer. ``whoami`` prints the ATTRIBUTE/VALUE table or the
SelfSubjectReview as YAML/JSON.
Left out: ``can-i --list`` (SelfSubjectRulesReview), ``auth reconcile``,
non-resource URLs (always answered from the bootstrap discovery roles).
"""

from __future__ import annotations

from kubenb.api import resources
from kubenb.kubectl import flags as pflag
from kubenb.kubectl.cli import Command, Invocation, KubectlError, UsageError
from kubenb.kubectl.flags import Flag
from kubenb.kubectl.printers.structured import to_json, to_yaml
from kubenb.kubectl.printers.table import format_cells

# cani.go's lists of verbs it knows; any other verb is still asked, after a warning.
RESOURCE_VERBS = ("get", "list", "watch", "create", "update", "patch", "delete", "deletecollection", "use", "bind",
                  "impersonate", "*", "approve", "sign", "escalate", "attest")
NON_RESOURCE_VERBS = ("get", "put", "post", "head", "options", "delete", "patch", "*")
DISCOVERY_PATHS = ("/api", "/apis", "/healthz", "/livez", "/openapi", "/readyz", "/version", "/version/")


def run_can_i(inv: Invocation) -> int:
    if inv.flags.get("list"):
        if inv.args:
            raise KubectlError("list option must be specified with no arguments")
        if inv.flags.get("quiet") or inv.flags.get("all-namespaces") or inv.flags.get("subresource"):
            raise KubectlError("list option can't be specified with neither quiet, all-namespaces nor subresource "
                               "options")
        raise KubectlError("kubenb does not simulate \"kubectl auth can-i --list\"", raw=False)
    if len(inv.args) != 2:
        # This message reaches the user with a full stop after the hint, unlike other usage errors.
        raise KubectlError("error: you must specify two arguments: verb resource or verb resource/resourceName.\n"
                           "See 'kubectl auth can-i -h' for help and examples.", raw=True)
    verb, target = inv.args
    subresource = inv.flags.get("subresource") or ""
    client = inv.client
    if target.startswith("/"):
        if subresource:
            raise KubectlError("--subresource can not be used with NonResourceURL")
        if inv.flags.get("no-headers"):
            raise KubectlError("--no-headers cannot be set without --list specified")
        if verb not in NON_RESOURCE_VERBS:
            inv.warn(f"Warning: verb '{verb}' is not a known verb")
        allowed = client.who_am_i().name == "kubernetes-admin" and client.user is None or (
            verb == "get" and any(target == p or target.startswith(p.rstrip("/") + "/") for p in DISCOVERY_PATHS))
        return _answer(inv, allowed)
    if inv.flags.get("no-headers"):
        raise KubectlError("--no-headers cannot be set without --list specified")
    resource_text, _, name = target.partition("/")
    namespace = "" if inv.flags.get("all-namespaces") else inv.namespace
    if resource_text == "*":
        group, plural = "", "*"
    else:
        rtype = resources.resolve(resource_text)
        if rtype is None:
            base, _, group_text = resource_text.lower().partition(".")
            if group_text:
                inv.warn(f"Warning: the server doesn't have a resource type '{base}' in group '{group_text}'")
            else:
                inv.warn(f"Warning: the server doesn't have a resource type '{base}'")
            group, plural = "", resource_text
        else:
            group, plural = rtype.group, rtype.plural
            if not rtype.namespaced and not inv.flags.get("all-namespaces"):
                if group:
                    inv.warn(f"Warning: resource '{plural}' is not namespace scoped in group '{group}'")
                else:
                    inv.warn(f"Warning: resource '{plural}' is not namespace scoped")
    if verb not in RESOURCE_VERBS:
        inv.warn(f"Warning: verb '{verb}' is not a known verb")
    return _answer(inv, client.review_access(verb, group, plural, namespace, name, subresource))


def _not_simulated(what: str) -> int:
    raise KubectlError(f'kubenb does not simulate "kubectl {what}"', raw=False)


def _answer(inv: Invocation, allowed: bool) -> int:
    if not inv.flags.get("quiet"):
        inv.write("yes\n" if allowed else "no\n")
    return 0 if allowed else 1


def run_whoami(inv: Invocation) -> int:
    if inv.args:
        raise UsageError(f'unknown command "{inv.args[0]}" for "kubectl auth whoami"')
    user = inv.client.who_am_i()
    output = inv.flags.get("output") or ""
    review = {"kind": "SelfSubjectReview", "apiVersion": "authentication.k8s.io/v1",
              "metadata": {"creationTimestamp": inv.client.now()},
              "status": {"userInfo": {"username": user.name, "groups": list(user.groups)}}}
    if output == "yaml":
        inv.write(to_yaml(review))
        return 0
    if output == "json":
        inv.write(to_json(review))
        return 0
    if output == "name":
        inv.write("selfsubjectreview.authentication.k8s.io/\n")
        return 0
    if output:
        raise KubectlError(f'unable to match a printer suitable for the output format "{output}", allowed formats '
                           "are: json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,yaml")
    rows = ["ATTRIBUTE\tVALUE", f"Username\t{user.name}"]
    if user.groups:
        rows.append(f"Groups\t[{' '.join(user.groups)}]")
    inv.write(format_cells("\n".join(rows) + "\n"))
    return 0


COMMAND = Command(
    name="auth",
    short="Inspect authorization",
    usage="auth [flags] [options]",
    help="Inspect authorization.",
    subcommands={
        "can-i": Command(
            name="can-i", short="Check whether an action is allowed",
            usage="auth can-i VERB [TYPE | TYPE/NAME | NONRESOURCEURL] [options]", run=run_can_i,
            help="Check whether an action is allowed.\n\n VERB is a logical Kubernetes API verb like 'get', 'list', "
                 "'watch', 'delete', etc. TYPE is a Kubernetes resource. Shortcuts and groups will be resolved. "
                 "NONRESOURCEURL is a partial URL that starts with \"/\". NAME is the name of a particular "
                 "Kubernetes resource. This command pairs nicely with impersonation. See --as global flag.",
            examples="  # Check to see if I can create pods in any namespace\n"
                     "  kubectl auth can-i create pods --all-namespaces\n  \n"
                     "  # Check to see if service account \"foo\" of namespace \"dev\" can list pods in the "
                     "namespace \"prod\"\n"
                     "  kubectl auth can-i list pods --as=system:serviceaccount:dev:foo -n prod",
            flags=[Flag("all-namespaces", pflag.BOOL, shorthand="A",
                        usage="If true, check the specified action in all namespaces."),
                   Flag("list", pflag.BOOL, usage="If true, prints all allowed actions."),
                   Flag("no-headers", pflag.BOOL, usage="If true, prints allowed actions without headers"),
                   Flag("quiet", pflag.BOOL, shorthand="q",
                        usage="If true, suppress output and just return the exit code."),
                   Flag("subresource", pflag.STRING, usage="SubResource such as pod/log or deployment/scale")]),
        "reconcile": Command(
            name="reconcile", short="Reconciles rules for RBAC role, role binding, cluster role, and cluster role "
                                    "binding objects",
            usage="auth reconcile -f FILENAME [options]", run=lambda inv: _not_simulated("auth reconcile"),
            help="Reconcile RBAC objects from a file (not simulated by kubenb)."),
        "whoami": Command(
            name="whoami", short="Experimental: Check self subject attributes", usage="auth whoami [options]",
            run=run_whoami, help="Experimental: Check who you are and your attributes (groups, extra).",
            examples="  # Get your subject attributes\n  kubectl auth whoami",
            flags=[Flag("output", pflag.STRING, shorthand="o", usage="Output format. One of: (json, yaml, name)."),
                   Flag("allow-missing-template-keys", pflag.BOOL, True, usage="If true, ignore any errors in "
                        "templates when a field or map key is missing in the template."),
                   Flag("show-managed-fields", pflag.BOOL, usage="If true, keep the managedFields when printing "
                        "objects in JSON or YAML format."),
                   Flag("template", pflag.STRING, usage="Template string or path to template file to use when "
                        "-o=go-template, -o=go-template-file.")]),
    },
)
