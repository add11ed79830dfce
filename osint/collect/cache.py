"""HTTP cache policy: always revalidate, and trust a cached copy only on 304 Not Modified.

Scrapy's RFC2616Policy would also serve the cached copy when the server answers with an
error; for lists that must be current, an error must stay an error (the run fails and says
so), never turn silently into yesterday's data.
"""

from __future__ import annotations

from scrapy.extensions.httpcache import RFC2616Policy
from scrapy.http import Request, Response


class RevalidatePolicy(RFC2616Policy):
    """RFC 2616 caching where only a 304 validates the cached response."""

    def is_cached_response_valid(
        self, cachedresponse: Response, response: Response, request: Request
    ) -> bool:
        return bool(response.status == 304)
