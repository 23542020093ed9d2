"""The desk's web page (`[web]`): stories, rule activity, a rule playground, silences and
sources, served by the daemon itself (issue 18). Read-mostly; every page has a JSON twin
under `/api/`."""
