import { describe, expect, it } from 'vitest';
import { BOOKMARK_HEADER, BookmarkChain } from './bookmark';

describe('BookmarkChain', () => {
  it('sends back the last bookmark an answer gave, and keeps it across answers without one', async () => {
    const sent: (string | null)[] = [];
    const answers = ['FB:one', null, 'FB:two'];
    const send = async (_url: string, init?: RequestInit) => {
      sent.push(new Headers(init?.headers).get(BOOKMARK_HEADER));
      const b = answers.shift();
      return new Response('{}', { headers: b ? { [BOOKMARK_HEADER]: b } : {} });
    };
    const chain = new BookmarkChain();
    const fetchWith = chain.wrap(send);
    await fetchWith('/api/v1/lots', { headers: { Accept: 'application/json' } });
    await fetchWith('/api/v1/lots');
    await fetchWith('/api/v1/lots');
    await fetchWith('/api/v1/lots');
    expect(sent).toEqual([null, 'FB:one', 'FB:one', 'FB:two']);
    expect(chain.last).toBe('FB:two');
  });
});
