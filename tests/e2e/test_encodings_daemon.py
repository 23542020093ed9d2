"""End to end (issue 16): a Russian article in cp1251 without any declaration, dropped into
a running daemon's inbox, is read as Russian and matches a Russian keyword; the log says
the charset was guessed."""

from __future__ import annotations

import os

from helpers.workspace import Workspace

RULE = """\
rules:
  - id: russia-nato
    description: Russia and NATO in the Russian press
    keywords:
      all: [Россия]
      any: [НАТО, альянс*]
"""

ARTICLE = """Россия и НАТО обсудили безопасность в Европе
Министр иностранных дел заявил в понедельник, что переговоры с НАТО о безопасности в
Европе зашли в тупик. Россия ждёт ответа альянса.
"""


def test_cp1251_file_in_the_inbox_matches_a_russian_keyword(workspace: Workspace) -> None:
    (workspace.rules / "ru.yaml").write_text(RULE, encoding="utf-8")
    workspace.start()
    tmp = workspace.inbox / "ria.txt.tmp"
    tmp.write_bytes(ARTICLE.encode("cp1251"))
    os.rename(tmp, workspace.inbox / "ria.txt")
    [record] = workspace.wait_for_alerts(1)
    assert record["rule"] == "russia-nato"
    assert record["article"]["title"] == "Россия и НАТО обсудили безопасность в Европе"
    assert {"Россия", "НАТО"} <= {hit["text"] for hit in record["hits"]}
    workspace.wait_for_log("ria.txt: not UTF-8 and no charset declared; read as cp1251")
    assert workspace.stop() == 0
