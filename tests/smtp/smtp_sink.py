"""An aiosmtpd handler that writes each message it accepts to a folder, for the alert tests.

Run: PYTHONPATH=tests/smtp python3 -m aiosmtpd -n -l 127.0.0.1:PORT -c smtp_sink.FolderSink FOLDER
Each message becomes FOLDER/<time>-<id>.eml, with an X-Rcpt-To line naming the envelope recipients;
it is written under a temporary name first, so a reader never sees half a message.
"""
import os
import time
import uuid


class FolderSink:
    def __init__(self, folder):
        self.folder = folder
        os.makedirs(folder, exist_ok=True)

    @classmethod
    def from_cli(cls, parser, *args):
        if len(args) != 1:
            parser.error("FolderSink needs the folder to write messages to")
        return cls(args[0])

    async def handle_DATA(self, server, session, envelope):
        name = f"{time.time_ns()}-{uuid.uuid4().hex}.eml"
        partial = os.path.join(self.folder, name + ".partial")
        content = envelope.original_content or envelope.content
        if isinstance(content, str):
            content = content.encode("utf-8")
        with open(partial, "wb") as f:
            f.write(("X-Rcpt-To: " + ", ".join(envelope.rcpt_tos) + "\r\n").encode("ascii"))
            f.write(content)
        os.replace(partial, os.path.join(self.folder, name))
        return "250 Message accepted for delivery"
