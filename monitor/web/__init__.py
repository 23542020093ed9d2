"""The web page the daemon serves (issue 18): today's stories, rule activity, silences, and a
rule playground. The modules here hold what the pages show; the HTTP server renders it."""
