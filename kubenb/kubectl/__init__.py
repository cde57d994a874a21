"""kubectl, emulated: argv and stdin in; stdout, stderr and an exit code out.

kubectl only ever talks to the cluster through ``api.Client`` (one per
kubeconfig cluster) and lets virtual time pass only through the ``Waiter`` it
is given, exactly as the real one can only talk HTTP to an apiserver and wait.
"""

from kubenb.kubectl.cli import KubectlEnv, Outcome, Waiter, run, split_command

__all__ = ["KubectlEnv", "Outcome", "Waiter", "run", "split_command"]
