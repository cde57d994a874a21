"""kubenb's own words for each anti-pattern of the lecture, in English and Japanese.

Each entry: the practice's title, the risk in the lecture's terms, and the fix.
``{...}`` fields are filled with what the finding is about (container, image,
variable, namespaces ...).
"""

from __future__ import annotations

# Lecture numbering (kubernetes-basics-lecture, "Kubernetes アンチパターンとベストプラクティス").
MESSAGES: dict[str, dict[str, dict[str, str]]] = {
    "baked-config": {
        "en": {"title": "Configuration baked into the image or manifest (anti-pattern 1)",
               "risk": "Environment-specific settings ({names}) are written into container {container}. Every "
                       "environment then needs its own image or manifest, and a version that was never tested "
                       "can reach production.",
               "fix": "Keep one generic image and move the settings out into a ConfigMap, read with envFrom or "
                      "valueFrom.configMapKeyRef:\n"
                      "  kubectl create configmap {workload}-config {literals}\n"
                      "  envFrom:\n  - configMapRef:\n      name: {workload}-config"},
        "ja": {"title": "設定情報をイメージやマニフェストに焼き付けている（アンチパターン1）",
               "risk": "環境ごとの設定（{names}）がコンテナ {container} に直接書かれています。環境ごとにイメージや"
                       "マニフェストを作り直すことになり、十分にテストされていない版が本番に出るおそれがあります。",
               "fix": "イメージは汎用のまま、設定を ConfigMap に外出しし envFrom か valueFrom.configMapKeyRef で"
                      "読み込みます:\n"
                      "  kubectl create configmap {workload}-config {literals}\n"
                      "  envFrom:\n  - configMapRef:\n      name: {workload}-config"},
    },
    "one-pipeline": {
        "en": {"title": "Application and infrastructure deployed together (anti-pattern 2)",
               "risk": "This manifest mixes infrastructure ({infra}) with the application ({app}). Application "
                       "changes are frequent and infrastructure changes rare; shipping both through one pipeline "
                       "re-applies the infrastructure on every release, wasting time and risking it for nothing.",
               "fix": "Split the file: the infrastructure objects go to their own repository or directory and "
                      "their own (rarely run) pipeline; the application pipeline applies only the workload, its "
                      "Service and its ConfigMaps."},
        "ja": {"title": "アプリケーションとインフラを同じパイプラインでデプロイしている（アンチパターン2）",
               "risk": "このマニフェストにはインフラ（{infra}）とアプリケーション（{app}）が混在しています。"
                       "アプリの変更は頻繁でインフラの変更はまれなので、同じパイプラインだとリリースのたびに"
                       "インフラも適用し直すことになり、時間とリソースを無駄にします。",
               "fix": "ファイルを分けます。インフラのオブジェクトは別のリポジトリやディレクトリと別の（まれに動く）"
                      "パイプラインへ、アプリのパイプラインはワークロードとその Service・ConfigMap だけを適用します。"},
    },
    "start-order": {
        "en": {"title": "Depends on start order (anti-pattern 3)",
               "risk": "Container {container} talks to {dependency} as soon as it starts, with no init container "
                       "or retry to wait for it. In Kubernetes everything starts at the same time: if the "
                       "dependency is late the container fails and the Pod crash-loops.",
               "fix": "Make the application retry with back-off, or wait in an init container:\n"
                      "  initContainers:\n  - name: wait-for-{short}\n    image: busybox:1.36\n"
                      "    command: ['sh', '-c', 'until nslookup {short}; do sleep 2; done']"},
        "ja": {"title": "起動順序に依存している（アンチパターン3）",
               "risk": "コンテナ {container} は起動直後に {dependency} へ接続しますが、待ち合わせの init コンテナも"
                       "再試行もありません。Kubernetes ではすべてが同時に起動するため、依存先が遅れると"
                       "コンテナが失敗し Pod がクラッシュを繰り返します。",
               "fix": "アプリケーション側でバックオフ付きの再試行を行うか、init コンテナで待ち合わせます:\n"
                      "  initContainers:\n  - name: wait-for-{short}\n    image: busybox:1.36\n"
                      "    command: ['sh', '-c', 'until nslookup {short}; do sleep 2; done']"},
    },
    "no-resources": {
        "en": {"title": "No resource requests/limits (anti-pattern 4)",
               "risk": "Container {container} has no {missing}. The scheduler cannot reserve room for it and "
                       "nothing stops it from taking a node's CPU and memory from its neighbours; under memory "
                       "pressure it is among the first Pods the kubelet evicts (QoS class BestEffort).",
               "fix": "Give every container requests and limits:\n"
                      "  resources:\n    requests:\n      cpu: 100m\n      memory: 128Mi\n"
                      "    limits:\n      memory: 256Mi"},
        "ja": {"title": "リソースの requests/limits を設定していない（アンチパターン4）",
               "risk": "コンテナ {container} には {missing} がありません。スケジューラは必要な量を確保できず、"
                       "ノードの CPU やメモリを他の Pod から奪うことも止められません。メモリが逼迫すると真っ先に"
                       "追い出される Pod（QoS クラス BestEffort）になります。",
               "fix": "すべてのコンテナに requests と limits を設定します:\n"
                      "  resources:\n    requests:\n      cpu: 100m\n      memory: 128Mi\n"
                      "    limits:\n      memory: 256Mi"},
    },
    "latest-tag": {
        "en": {"title": "Image without a fixed tag (anti-pattern 5)",
               "risk": "Container {container} runs {image}, which means \"whatever latest is when the node pulls\". "
                       "A rescheduled Pod can start a different version than its siblings, and neither the cause "
                       "of a failure nor a rollback target is clear.",
               "fix": "Use a unique, meaningful tag (a version, build date or commit hash), or a digest, and "
                      "never change an image after it was deployed:\n  image: {repository}:<version>"},
        "ja": {"title": "固定されたタグのないイメージ（アンチパターン5）",
               "risk": "コンテナ {container} は {image} を使っています。これは「ノードが pull した時点の latest」"
                       "という意味で、再スケジュールされた Pod だけ別の版で動くことがあり、障害の原因もロールバック先も"
                       "はっきりしません。",
               "fix": "バージョン・ビルド日時・コミットハッシュなど固有で意味のあるタグ（またはダイジェスト）を使い、"
                      "デプロイ後のイメージは変更しません:\n  image: {repository}:<version>"},
    },
    "shared-cluster": {
        "en": {"title": "Production and non-production in one cluster (anti-pattern 6)",
               "risk": "Namespaces {production} (production) and {other} (non-production) live in the same "
                       "cluster. A mistake, a noisy test or a compromised test workload reaches production, and "
                       "permissions and quotas become hard to reason about.",
               "fix": "Run production in its own cluster and switch with contexts:\n"
                      "  %kubenb cluster create prod\n  kubectl config use-context prod"},
        "ja": {"title": "本番環境と非本番環境を同じクラスターで運用している（アンチパターン6）",
               "risk": "本番の名前空間 {production} と非本番の {other} が同じクラスターにあります。操作ミスや"
                       "テストの負荷、乗っ取られたテスト用ワークロードが本番に及び、権限やクォータの管理も複雑になります。",
               "fix": "本番用のクラスターを分け、コンテキストで切り替えます:\n"
                      "  %kubenb cluster create prod\n  kubectl config use-context prod"},
    },
    "drift": {
        "en": {"title": "Changed by hand with kubectl edit/patch (anti-pattern 7)",
               "risk": "{target} no longer matches the configuration last applied from its manifest "
                       "(configuration drift):\n{diff}\nThe change is in no file and no history; the next "
                       "`kubectl apply` of the manifest silently overwrites it, and nobody can reproduce or roll "
                       "it back.",
               "fix": "Make the change in the manifest (in Git), review it, then `kubectl apply -f` it. Use "
                      "`kubectl diff -f FILE` to see drift before applying."},
        "ja": {"title": "kubectl edit/patch で手作業の変更をしている（アンチパターン7）",
               "risk": "{target} は、マニフェストから最後に apply された設定と一致していません"
                       "（コンフィグレーション・ドリフト）:\n{diff}\nこの変更はどのファイルにも履歴にも残らず、"
                       "次の `kubectl apply` で黙って上書きされ、再現もロールバックもできません。",
               "fix": "変更はマニフェスト（Git）で行い、レビューしてから `kubectl apply -f` します。"
                      "適用前に `kubectl diff -f FILE` でズレを確認できます。"},
    },
    "no-probes": {
        "en": {"title": "No health checks (anti-pattern 8)",
               "risk": "Container {container} has no {missing}. Kubernetes cannot tell whether the application "
                       "works: traffic is sent to it before it is ready, and a hung process is never restarted.",
               "fix": "Add both probes:\n"
                      "  readinessProbe:\n    httpGet: {{path: /ready, port: {port}}}\n"
                      "  livenessProbe:\n    httpGet: {{path: /healthz, port: {port}}}\n"
                      "    initialDelaySeconds: 10"},
        "ja": {"title": "ヘルスチェックを実装していない（アンチパターン8）",
               "risk": "コンテナ {container} には {missing} がありません。Kubernetes はアプリが正常か判断できず、"
                       "準備ができる前からトラフィックを送り、固まったプロセスも再起動しません。",
               "fix": "2 つのプローブを設定します:\n"
                      "  readinessProbe:\n    httpGet: {{path: /ready, port: {port}}}\n"
                      "  livenessProbe:\n    httpGet: {{path: /healthz, port: {port}}}\n"
                      "    initialDelaySeconds: 10"},
    },
    "plain-secret": {
        "en": {"title": "Secret handled badly (anti-pattern 9)",
               "risk": "{where} holds {names} in plain text. Anyone who can read the manifest, the Git history or "
                       "`kubectl get -o yaml` sees the credential, and each team ends up handling secrets its own "
                       "way.",
               "fix": "Keep credentials in a Secret (better: fed from a secret manager such as Vault) and pass "
                      "them at run time:\n"
                      "  kubectl create secret generic {workload}-secret --from-literal={first}=...\n"
                      "  env:\n  - name: {first}\n    valueFrom:\n      secretKeyRef:\n"
                      "        name: {workload}-secret\n        key: {first}"},
        "ja": {"title": "シークレットの不適切な管理（アンチパターン9）",
               "risk": "{where} に {names} が平文で書かれています。マニフェストや Git の履歴、"
                       "`kubectl get -o yaml` を読める人なら誰でも認証情報を見られ、チームごとに扱い方もばらばらに"
                       "なります。",
               "fix": "認証情報は Secret に置き（Vault などの専用ツールから供給するとなお良い）、実行時に渡します:\n"
                      "  kubectl create secret generic {workload}-secret --from-literal={first}=...\n"
                      "  env:\n  - name: {first}\n    valueFrom:\n      secretKeyRef:\n"
                      "        name: {workload}-secret\n        key: {first}"},
    },
    "multi-process": {
        "en": {"title": "Several processes in one container (anti-pattern 10)",
               "risk": "Container {container} starts several processes ({evidence}). Only PID 1 is watched: if "
                       "another process dies the container keeps running broken, logs are mixed, and when it "
                       "crashes it is hard to tell which process failed.",
               "fix": "One process per container; run the other component as a second container in the same "
                      "Pod (they share the network and volumes)."},
        "ja": {"title": "1つのコンテナで複数のプロセスを実行している（アンチパターン10）",
               "risk": "コンテナ {container} は複数のプロセスを起動しています（{evidence}）。監視されるのは PID 1 "
                       "だけなので、他のプロセスが落ちても壊れたまま動き続け、ログも混ざり、クラッシュ時に"
                       "どのプロセスが原因か特定しにくくなります。",
               "fix": "1コンテナ1プロセスを原則とし、別の部品は同じ Pod の2つ目のコンテナとして動かします"
                      "（ネットワークとボリュームを共有できます）。"},
    },
    "naked-pod": {
        "en": {"title": "Naked Pod without a controller (anti-pattern 10)",
               "risk": "Pod {name} is created directly, with no Deployment, StatefulSet or Job owning it. If it "
                       "is deleted, evicted or its node fails, nothing creates it again, and it can neither be "
                       "scaled nor rolled out.",
               "fix": "Wrap the Pod template in a workload resource:\n"
                      "  kubectl create deployment {name} --image={image}"},
        "ja": {"title": "コントローラーのない裸の Pod（アンチパターン10）",
               "risk": "Pod {name} は Deployment・StatefulSet・Job などに管理されず直接作られています。"
                       "削除・退避されたりノードが落ちたりしても誰も作り直さず、スケールもロールアウトもできません。",
               "fix": "Pod テンプレートをワークロードリソースで包みます:\n"
                      "  kubectl create deployment {name} --image={image}"},
    },
}

ORDER = ["baked-config", "one-pipeline", "start-order", "no-resources", "latest-tag", "shared-cluster", "drift",
         "no-probes", "plain-secret", "multi-process", "naked-pod"]

WORDS = {
    "en": {"header": "kubenb lint: {count} finding(s) in {source}", "clean": "kubenb lint: no anti-patterns found in {source}",
           "risk": "Why it hurts", "fix": "Fix", "requests": "requests", "limits": "limits",
           "liveness": "livenessProbe", "readiness": "readinessProbe", "and": " and "},
    "ja": {"header": "kubenb lint: {source} に {count} 件の指摘", "clean": "kubenb lint: {source} にアンチパターンは見つかりません",
           "risk": "問題点", "fix": "対策", "requests": "requests", "limits": "limits",
           "liveness": "livenessProbe", "readiness": "readinessProbe", "and": " と "},
}
