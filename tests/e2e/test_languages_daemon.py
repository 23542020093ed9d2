"""End to end (issue 16): articles in other languages and scripts through a running daemon.

A Chinese headline without spaces matches a Chinese keyword and the built-in South Korea by
its Chinese name (never by North Korea's); a rule limited to German articles alerts for the
German one only; every alert record carries the article's language.
"""

from __future__ import annotations

import os

from helpers.workspace import Workspace

RULES = """\
rules:
  - id: taiwan-chips
    keywords:
      all: [台湾]
      any: [半导体, 芯片]
  - id: korea-zh
    entities: [South Korea]
    languages: [zh]
  - id: nato-de
    entities: [NATO]
    languages: [de]
"""

ARTICLES = {
    "zh.txt": "台湾半导体出口创新高\n"
    "台湾经济部周一表示，受人工智能需求推动，上月半导体出口同比增长三成。"
    "韩国和日本的芯片企业也受益于这一趋势。\n",
    "zh-north.txt": "朝鲜再次试射弹道导弹\n"
    "朝鲜周四向东部海域发射了两枚短程弹道导弹，日本政府对此提出强烈抗议。\n",
    "de.txt": "Nato-Gipfel in Vilnius: Bündnis sagt der Ukraine weitere Hilfe zu\n"
    "Die Staats- und Regierungschefs der Nato haben sich am Dienstag in Vilnius auf neue "
    "Zusagen für die Ukraine verständigt. Der Generalsekretär sprach von einem starken "
    "Signal an Moskau.\n",
    "fr.txt": "Sommet de l'OTAN à Vilnius : l'Alliance promet davantage d'aide à l'Ukraine\n"
    "Les dirigeants des pays de l'OTAN se sont mis d'accord mardi à Vilnius sur de "
    "nouveaux engagements envers l'Ukraine, a indiqué le secrétaire général.\n",
}


def test_chinese_and_german_articles_alert_by_script_and_language(workspace: Workspace) -> None:
    (workspace.rules / "world.yaml").write_text(RULES, encoding="utf-8")
    workspace.start()
    for name, text in ARTICLES.items():
        tmp = workspace.inbox / f"{name}.tmp"
        tmp.write_text(text, encoding="utf-8")
        os.rename(tmp, workspace.inbox / name)
    records = workspace.wait_for_alerts(3)
    workspace.wait_until(lambda: not any(workspace.inbox.iterdir()), timeout=20)
    assert workspace.stop() == 0
    by_rule = {record["rule"]: record for record in records}
    assert sorted(by_rule) == ["korea-zh", "nato-de", "taiwan-chips"]
    assert len(records) == 3  # neither the North Korea article nor the French one alerted
    taiwan = by_rule["taiwan-chips"]
    assert taiwan["article"]["title"] == "台湾半导体出口创新高"
    assert {"台湾", "半导体"} <= {hit["text"] for hit in taiwan["hits"]}
    assert {hit["text"] for hit in by_rule["korea-zh"]["hits"]} == {"韩国"}
    assert by_rule["korea-zh"]["article"]["path"].endswith("zh.txt")
    assert by_rule["nato-de"]["article"]["path"].endswith("de.txt")
    assert [r["article"]["language"] for r in records].count("zh") == 2
    assert by_rule["nato-de"]["article"]["language"] == "de"
