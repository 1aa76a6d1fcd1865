"""ComplaintRecord: the customer complaint record card (客户投诉记录卡) for Excel."""


def __getattr__(name: str) -> str:
    """``__version__``, looked up when first asked for: importing importlib.metadata and finding
    the installed version cost every command about 0.04 s of its start, and most never show it."""
    if name != "__version__":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib.metadata import PackageNotFoundError, version

    try:
        found = version("complaint-record")
    except PackageNotFoundError:  # running from a checkout that was not installed
        found = "0.1.0"
    globals()["__version__"] = found
    return found
