"""Only the compiled part of the build; everything else is in pyproject.toml.

The extension is optional: without a C compiler the install still succeeds and the matcher
uses the pure-Python versions in `monitor/matching/speedups.py` (same answers, slower).
"""

from setuptools import Extension, setup

setup(
    ext_modules=[
        Extension(
            "monitor.matching._speedups",
            ["monitor/matching/_speedups.c"],
            optional=True,
            extra_compile_args=["-O2"],
        )
    ]
)
