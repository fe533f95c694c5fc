"""The reliable Redis queue between the crawler processes and the single writer.

Crawlers push messages (an article item with its raw page, a reject, an article seen again,
the end of a run) to one list; the writer moves a batch into its processing list with LMOVE,
stores it, commits the database, and only then deletes the processing list (`ack`). A writer
killed in between leaves the batch in the processing list, and the next writer's `recover`
moves it back to the head of the queue in its original order: nothing is lost, and storing
is idempotent, so nothing is stored twice.

    queue = ItemQueue(redis_client)
    queue.push({"kind": "item", ...})          # crawler side
    queue.recover(); batch = queue.take(200, timeout=1.0); ...commit...; queue.ack()

Messages are JSON; bytes (the raw page) travel as {"$bytes": base64}.
"""
from __future__ import annotations

import base64
import json

QUEUE_KEY = "aggregator:items"
PROCESSING_KEY = "aggregator:items:processing"
_BYTES = "$bytes"


def _to_json(value):
    if isinstance(value, (bytes, bytearray)):
        return {_BYTES: base64.b64encode(bytes(value)).decode("ascii")}
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def _from_json(obj):
    if len(obj) == 1 and _BYTES in obj:
        return base64.b64decode(obj[_BYTES])
    return obj


def encode(message: dict) -> bytes:
    return json.dumps(message, ensure_ascii=False, default=_to_json).encode("utf-8")


def decode(raw: bytes) -> dict | None:
    """A message, or None when the bytes are not one (a foreign or damaged entry)."""
    try:
        message = json.loads(raw, object_hook=_from_json)
    except (ValueError, UnicodeDecodeError):
        return None
    return message if isinstance(message, dict) else None


class ItemQueue:
    def __init__(self, client, key=QUEUE_KEY, processing_key=PROCESSING_KEY):
        self.client, self.key, self.processing_key = client, key, processing_key

    def push(self, message: dict):
        self.client.rpush(self.key, encode(message))

    def __len__(self):
        return self.client.llen(self.key)

    def recover(self) -> int:
        """Move what a killed writer was processing back to the head of the queue, in order."""
        moved = 0
        while self.client.lmove(self.processing_key, self.key, "RIGHT", "LEFT") is not None:
            moved += 1
        return moved

    def take(self, limit: int, timeout: float = 1.0) -> list[bytes]:
        """Up to `limit` raw messages, moved into the processing list (waits up to `timeout`
        seconds for the first). The caller decodes them, stores them, then calls ack()."""
        first = self.client.blmove(self.key, self.processing_key, timeout, "LEFT", "RIGHT")
        if first is None:
            return []
        batch = [first]
        while len(batch) < limit:
            raw = self.client.lmove(self.key, self.processing_key, "LEFT", "RIGHT")
            if raw is None:
                break
            batch.append(raw)
        return batch

    def ack(self, pipe=None):
        """The batch taken is stored and committed: it leaves the queue. With `pipe` (a Redis
        MULTI pipeline) the deletion is queued there, to go with the writer's counters."""
        (pipe or self.client).delete(self.processing_key)
