// Causal consistency across the service's replicas: every answer that ran a database
// transaction carries a Neo4j-Bookmark header, and the explorer sends the last one it got with
// its next call, so that whichever replica answers reads at least what the last answer saw
// (README, "Many replicas on a Neo4j cluster").

export const BOOKMARK_HEADER = 'Neo4j-Bookmark';

type Send = (url: string, init?: RequestInit) => Promise<Response>;

/** BookmarkChain keeps the last bookmark the service gave and sends it back. */
export class BookmarkChain {
  last: string | null = null;

  /** wrap returns send with the last bookmark added to each request, and kept from each answer. */
  wrap(send: Send): Send {
    return async (url, init = {}) => {
      const headers = new Headers(init.headers);
      if (this.last && !headers.has(BOOKMARK_HEADER)) headers.set(BOOKMARK_HEADER, this.last);
      const res = await send(url, { ...init, headers });
      const got = res.headers.get(BOOKMARK_HEADER);
      if (got) this.last = got;
      return res;
    };
  }
}
