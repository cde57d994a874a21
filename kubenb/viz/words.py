"""The words kubenb writes on its graphs, in the learner's language (``%kubenb lang ja|en``).

Only kubenb's own annotations are translated ("endpoints of web", "not scheduled yet"); Kubernetes'
words stay as a cluster prints them (kinds, names, STATUS values such as Running or CrashLoopBackOff,
Service types, field names such as ClusterIP or nodePort), so a learner meets the same terms in kubectl.
"""

from __future__ import annotations

import re

# Whole lines or labels.
_JA_EXACT = {
    "no selector: endpoints are managed by hand": "セレクタなし: エンドポイントは手動で管理",
    "no ready endpoints:": "Ready なエンドポイントがない:",
    "requests are refused": "リクエストは拒否される",
    "ingress controller": "Ingress コントローラ",
    "reads rules": "ルールを読む",
    "kubenb: no ingress controller is running:": "kubenb: Ingress コントローラが動いていない:",
    "these rules are not served": "このルールでは誰も応答しない",
    "not found": "見つからない",
    "default backend": "デフォルトバックエンド",
    "(no rule matched)": "(どのルールにも一致しない)",
    "control plane": "コントロールプレーン",
    "not running": "動いていない",
    "stores objects": "オブジェクトを保存",
    "watches, binds": "監視・バインド",
    "watches, writes": "監視・書き込み",
    "not scheduled yet": "まだスケジュールされていない",
    "client Pod": "クライアント Pod",
    "(inside the cluster)": "(クラスタ内)",
    "client": "クライアント",
    "(outside the cluster)": "(クラスタ外)",
    "DNS answers": "DNS が応答",
    "DNS: Pod IPs": "DNS: Pod の IP",
}

# Lines with a value in them: (pattern, replacement).
_JA_PATTERNS = [
    (re.compile(r"^cluster at (.+)$"), r"クラスタ (\1 時点)"),
    (re.compile(r"^(.+) at (\d{4}-\d\d-\d\dT[\d:]+Z)$"), r"\1 (\2 時点)"),
    (re.compile(r"^endpoints of (.+)$"), r"\1 のエンドポイント"),
    (re.compile(r"^revision (.+)$"), r"リビジョン \1"),
    (re.compile(r"^restarts: (.+)$"), r"再起動: \1"),
    (re.compile(r"^external IP (.+)$"), r"外部 IP \1"),
]


def translate(text: str, lang: str) -> str:
    """``text`` as kubenb says it in ``lang`` (English text is returned unchanged)."""
    if lang != "ja" or not text:
        return text
    exact = _JA_EXACT.get(text)
    if exact is not None:
        return exact
    for pattern, replacement in _JA_PATTERNS:
        if pattern.match(text):
            return pattern.sub(replacement, text)
    return text
