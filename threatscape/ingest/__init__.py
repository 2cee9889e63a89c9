"""threatscape.ingest: inputs (files, folders, globs, stdin, URLs, feeds, JSONL) -> raw documents.

``iter_documents`` is the stage's entry point; ``fetch`` is the one place a URL is requested.
"""

from threatscape.ingest.documents import iter_documents
from threatscape.ingest.fetch import Fetched, check_url, fetch

__all__ = ["Fetched", "check_url", "fetch", "iter_documents"]
