"""Operating-system errors while reading or writing a workbook, said as refusals staff can act on.

A full disk, a read-only folder or file system, a missing folder or a name too long for the file
system are not bugs of the program: each gets a message that names the file and what to do, in
both languages, instead of the catch-all "unexpected error".
"""

from __future__ import annotations

import errno
from pathlib import Path

from addin.core.text import Text

from .refusal import WorkbookRefused

# errno -> what happened and what to do; {name} and {folder} are filled in.
_KNOWN: dict[int, tuple[Text, Text]] = {
    errno.ENOSPC: (Text("the disk holding {folder} is full", "{folder} 所在磁盘已满"),
                   Text("free some space there (or write elsewhere with --output) and run again",
                        "请腾出空间（或用 --output 写到别处）后重新运行")),
    errno.EDQUOT: (Text("your disk quota for {folder} is used up", "{folder} 的磁盘配额已用完"),
                   Text("free some space there and run again", "请腾出空间后重新运行")),
    errno.EROFS: (Text("{folder} is on a read-only drive", "{folder} 位于只读磁盘上"),
                  Text("copy the workbook to a folder you can write to, or write elsewhere with "
                       "--output, and run again",
                       "请把工作簿复制到可写的文件夹，或用 --output 写到别处，然后重新运行")),
    errno.EACCES: (Text("you may not use {name} or its folder {folder} (permission denied)",
                        "没有权限使用 {name} 或其所在文件夹 {folder}"),
                   Text("check that you may read and save files there (and that the file is not "
                        "read-only), then run again",
                        "请确认对该文件夹有读写权限（且文件不是只读）后重新运行")),
    errno.ENOENT: (Text("the folder {folder} does not exist", "文件夹 {folder} 不存在"),
                   Text("create the folder or give another path, then run again",
                        "请先创建该文件夹或改用其他路径，然后重新运行")),
    errno.ENAMETOOLONG: (Text("the name {name} is too long for the file system",
                              "文件名 {name} 超出文件系统允许的长度"),
                         Text("use a shorter file or folder name and run again",
                              "请改用较短的文件名或文件夹名后重新运行")),
}
_NO_SUCH_FILE = Text("{path}: no such file; check the name and folder.",
                     "{path}：文件不存在；请检查文件名和文件夹。")
_UNKNOWN = Text("{name} could not be read or written ({reason}). Nothing was changed; check the "
                "file and its folder, then run again.",
                "无法读写 {name}（{reason}）。未做任何改动；请检查该文件及其所在文件夹后重新运行。")
_KNOWN_SAID = Text("{name}: {what}. Nothing was changed; {todo}.",
                   "{name}：{what}。未做任何改动；{todo}。")
_SAME_AS = {errno.EPERM: errno.EACCES, errno.ENOTDIR: errno.ENOENT}


def os_refusal(path: Path | str, err: OSError) -> WorkbookRefused:
    """The refusal for ``err`` met while reading or writing ``path``."""
    path = Path(path)
    code = _SAME_AS.get(err.errno or 0, err.errno or 0)
    folder = str(path.parent) if str(path.parent) not in ("", ".") else "."
    if code == errno.ENOENT and path.parent.is_dir():
        return WorkbookRefused(_NO_SUCH_FILE.format(path=path))
    known = _KNOWN.get(code)
    if known is None:
        reason = err.strerror or str(err) or type(err).__name__
        return WorkbookRefused(_UNKNOWN.format(name=path.name, reason=reason))
    what, todo = (text.format(name=path.name, folder=folder) for text in known)
    return WorkbookRefused(_KNOWN_SAID.format(name=path.name, what=what, todo=todo))
