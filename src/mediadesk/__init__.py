"""mediadesk: a desktop media-asset manager for press offices and newsrooms."""


def _find_version() -> str:
    """The version without scanning the installed distributions (``importlib.metadata`` costs
    tens of milliseconds at every start of the command line): the module the build writes from
    pyproject.toml (packaging/mediadesk_build.py; a wheel and an editable install both have it),
    else pyproject.toml itself when running from a checkout, else the installed metadata."""
    try:
        from mediadesk._version import __version__ as built

        return built
    except ImportError:
        pass
    import os

    checkout = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
                            "pyproject.toml")
    try:
        import tomllib

        with open(checkout, "rb") as f:
            project = tomllib.load(f)["project"]
        if project.get("name") == "mediadesk" and isinstance(project.get("version"), str):
            return project["version"]
    except (OSError, ValueError, KeyError):
        pass
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("mediadesk")
    except PackageNotFoundError:  # a source tree without pyproject.toml, not installed
        return "0.0.0+src"


__version__ = _find_version()
APP_NAME = "mediadesk"
