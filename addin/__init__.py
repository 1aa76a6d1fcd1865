"""ComplaintRecord: the customer complaint record card (客户投诉记录卡) for Excel."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("complaint-record")
except PackageNotFoundError:  # running from a checkout that was not installed
    __version__ = "0.1.0"
