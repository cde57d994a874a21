"""kubenb's own words for quiz feedback, in English and Japanese (``%kubenb lang ja|en``).

Every template exists in both languages (a test checks the keys match). Values
quoted from the cluster (names, images, reasons such as ImagePullBackOff) stay
as Kubernetes spells them; only kubenb's sentences are translated.
"""

from __future__ import annotations

from typing import Any

TEXTS: dict[str, dict[str, str]] = {
    "en": {
        "not_found": "{ref}: not found in namespace {ns}",
        "exists_ok": "{ref} exists",
        "field_ok": "{ref}: {path} is {actual!r}",
        "field_bad": "{ref}: {path} is {actual!r}, expected {want}",
        "field_missing": "{ref}: {path} is not set, expected {want}",
        "rollout_ok": "{ref}: rolled out, {ready}/{want} ready, {updated} updated, {available} available",
        "rollout_bad": "{ref}: {ready}/{want} ready ({updated} updated, {available} available)",
        "rollout_stale": "{ref}: the controller has not seen the latest spec yet "
                         "(observedGeneration {observed} < generation {generation})",
        "replicas_bad": "{ref}: spec.replicas is {actual}, expected {expected}",
        "pods_ok": "{ready} Pods Ready with {selector}",
        "pods_bad": "{ready}/{want} Pods Ready with {selector} ({total} found)",
        "svc_ok": "service/{name}: type {type}, selector matches {pods} Pods, {endpoints} endpoints",
        "svc_type": "service/{name}: type is {actual}, expected {expected}",
        "svc_no_selector": "service/{name}: has no selector, so no Pods become its endpoints",
        "svc_no_pods": "service/{name}: selector {selector} matches no Pods; check the labels "
                       "in the Pod template",
        "svc_endpoints": "service/{name}: {endpoints} ready endpoints, expected {expected}",
        "ing_ok": "ingress/{name} routes {host}{path} to service/{service}",
        "ing_bad": "no Ingress in namespace {ns} routes {host}{path} to service/{service}",
        "ing_other": "ingress/{name} routes {host}{path} to service/{actual}, expected service/{service}",
        "req_ok": "{method} {url} answered {status}",
        "req_status": "{method} {url} answered {actual}, expected {expected}",
        "req_error": "{method} {url} failed: curl: ({code}) {error}",
        "req_body": "{method} {url} answered {status} but the body does not contain {expected!r}",
        "req_unavailable": "this quiz cannot send requests here (no network)",
        "pinned_ok": "{ref}: every image is pinned ({images})",
        "pinned_bad": "{ref}: container {container} uses image {image!r}: {why}",
        "pinned_latest": "the tag latest moves; pin a version such as nginx:1.27",
        "pinned_none": "no tag means latest; pin a version such as nginx:1.27",
        "resources_ok": "{ref}: every container sets {fields}",
        "resources_bad": "{ref}: container {container} does not set resources.{field}",
        "probes_ok": "{ref}: every container has {kinds}",
        "probes_bad": "{ref}: container {container} has no {kind}",
        "practices_ok": "{ref}: no anti-pattern found (checked: {checked})",
        "practices_bad": "{ref}: {title}: {risk}",
        "practices_more": "{count} more: {titles}",
        "practices_fix": "Fix: {fix}",
        "practices_all": "all",
        "answer_missing": "{var}: no answer yet (set {var} in a cell above)",
        "choice_ok": "{var}: {answer!r} is right",
        "choice_bad": "{var}: {answer!r} is not the right answer",
        "choice_answered": "{var}: answered {answer!r} (graded later)",
        "choice_invalid": "{var}: {answer!r} is not one of the choices {options}",
        "short_ok": "{var}: accepted",
        "short_bad": "{var}: {answer!r} is not accepted",
        "tamper": "the cluster was changed {count} time(s) from Python, not with kubectl or %%manifest; "
                  "the quiz does not count such changes (start again with %kubenb reset)",
        "evidence_pods": "{count} Pod(s) in {reason}",
        "evidence_image": "image {image!r} not found",
        "evidence_events": "events: {text}",
        "summary": "{id}: {score:g}/{points:g} points",
        "hint": "hint {n}/{total}: {text}",
        "failed": "{id}: {score:g}/{points:g} points; {first}",
        "hidden": "(hidden check)",
    },
    "ja": {
        "not_found": "{ref}: 名前空間 {ns} に見つかりません",
        "exists_ok": "{ref} は存在します",
        "field_ok": "{ref}: {path} は {actual!r} です",
        "field_bad": "{ref}: {path} は {actual!r} ですが、{want} であるべきです",
        "field_missing": "{ref}: {path} が設定されていません（{want} であるべきです）",
        "rollout_ok": "{ref}: ロールアウト完了、Ready {ready}/{want}、更新済み {updated}、利用可能 {available}",
        "rollout_bad": "{ref}: Ready {ready}/{want}（更新済み {updated}、利用可能 {available}）",
        "rollout_stale": "{ref}: コントローラーがまだ最新の spec を反映していません"
                         "（observedGeneration {observed} < generation {generation}）",
        "replicas_bad": "{ref}: spec.replicas は {actual} ですが、{expected} であるべきです",
        "pods_ok": "{selector} の Pod が {ready} 個 Ready です",
        "pods_bad": "{selector} の Pod のうち Ready は {ready}/{want} 個です（{total} 個見つかりました）",
        "svc_ok": "service/{name}: type {type}、セレクターが Pod {pods} 個に一致、エンドポイント {endpoints} 個",
        "svc_type": "service/{name}: type は {actual} ですが、{expected} であるべきです",
        "svc_no_selector": "service/{name}: セレクターがないため、どの Pod もエンドポイントになりません",
        "svc_no_pods": "service/{name}: セレクター {selector} に一致する Pod がありません。"
                       "Pod テンプレートのラベルを確認してください",
        "svc_endpoints": "service/{name}: Ready なエンドポイントは {endpoints} 個ですが、{expected} 個であるべきです",
        "ing_ok": "ingress/{name} は {host}{path} を service/{service} へ振り分けます",
        "ing_bad": "名前空間 {ns} に {host}{path} を service/{service} へ振り分ける Ingress がありません",
        "ing_other": "ingress/{name} は {host}{path} を service/{actual} へ振り分けています"
                     "（service/{service} であるべきです）",
        "req_ok": "{method} {url} の応答は {status} です",
        "req_status": "{method} {url} の応答は {actual} ですが、{expected} であるべきです",
        "req_error": "{method} {url} が失敗しました: curl: ({code}) {error}",
        "req_body": "{method} {url} の応答は {status} ですが、本文に {expected!r} が含まれていません",
        "req_unavailable": "ここではリクエストを送れません（ネットワークなし）",
        "pinned_ok": "{ref}: すべてのイメージのバージョンが固定されています（{images}）",
        "pinned_bad": "{ref}: コンテナ {container} のイメージ {image!r}: {why}",
        "pinned_latest": "latest タグは変わっていきます。nginx:1.27 のようにバージョンを固定してください",
        "pinned_none": "タグなしは latest と同じです。nginx:1.27 のようにバージョンを固定してください",
        "resources_ok": "{ref}: すべてのコンテナが {fields} を設定しています",
        "resources_bad": "{ref}: コンテナ {container} に resources.{field} がありません",
        "probes_ok": "{ref}: すべてのコンテナに {kinds} があります",
        "probes_bad": "{ref}: コンテナ {container} に {kind} がありません",
        "practices_ok": "{ref}: アンチパターンは見つかりません（点検: {checked}）",
        "practices_bad": "{ref}: {title}。{risk}",
        "practices_more": "ほかに {count} 件: {titles}",
        "practices_fix": "対策: {fix}",
        "practices_all": "すべて",
        "answer_missing": "{var}: まだ答えがありません（上のセルで {var} に答えを入れてください）",
        "choice_ok": "{var}: {answer!r} は正解です",
        "choice_bad": "{var}: {answer!r} は正解ではありません",
        "choice_answered": "{var}: {answer!r} と回答しました（採点は後で行われます）",
        "choice_invalid": "{var}: {answer!r} は選択肢 {options} のどれでもありません",
        "short_ok": "{var}: 正解です",
        "short_bad": "{var}: {answer!r} は正解として認められません",
        "tamper": "kubectl や %%manifest ではなく Python からクラスターが {count} 回変更されました。"
                  "クイズはこの変更を認めません（%kubenb reset でやり直してください）",
        "evidence_pods": "{reason} の Pod が {count} 個",
        "evidence_image": "イメージ {image!r} が見つかりません",
        "evidence_events": "イベント: {text}",
        "summary": "{id}: {score:g}/{points:g} 点",
        "hint": "ヒント {n}/{total}: {text}",
        "failed": "{id}: {score:g}/{points:g} 点。{first}",
        "hidden": "（非公開のチェック）",
    },
}


def text(lang: str, key: str, **values: Any) -> str:
    table = TEXTS.get(lang) or TEXTS["en"]
    return table[key].format(**values)
