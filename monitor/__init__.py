"""monitor: a media-monitoring alert daemon.

Articles dropped into an inbox folder are matched against YAML watch rules and every match
is sent, exactly once per (article, rule, channel), to the configured channels.
"""

__version__ = "0.1.0"
