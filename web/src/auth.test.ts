import { describe, expect, it } from 'vitest';
import { KEY_STORAGE, KeyAuth, type AskReason } from './auth';

/** server answers 401 unless the request carries one of the keys; it records what it saw. */
function server(keys: string[]) {
  const seen: (string | null)[] = [];
  const send = async (_url: RequestInfo | URL, init?: RequestInit) => {
    const auth = new Headers(init?.headers).get('Authorization');
    seen.push(auth);
    const ok = auth !== null && keys.some((k) => auth === `Bearer ${k}`);
    return new Response(ok ? '{}' : '{"status": 401}', { status: ok ? 200 : 401 });
  };
  return { send: send as typeof fetch, seen };
}

function memoryStorage(initial: Record<string, string> = {}) {
  const m = new Map(Object.entries(initial));
  return {
    getItem: (k: string) => m.get(k) ?? null,
    setItem: (k: string, v: string) => void m.set(k, v),
    removeItem: (k: string) => void m.delete(k),
    map: m,
  };
}

/** prompter answers the questions in turn, recording why each was asked. */
function prompter(...answers: (string | null)[]) {
  const asked: AskReason[] = [];
  const prompt = async (reason: AskReason) => {
    asked.push(reason);
    return answers.shift() ?? null;
  };
  return { prompt, asked };
}

describe('KeyAuth', () => {
  it('sends no header and asks nothing when the server has no keys', async () => {
    const seen: (string | null)[] = [];
    const send = (async (_u: RequestInfo | URL, init?: RequestInit) => {
      seen.push(new Headers(init?.headers).get('Authorization'));
      return new Response('{}');
    }) as typeof fetch;
    const p = prompter();
    const auth = new KeyAuth(memoryStorage(), p.prompt, send);
    expect((await auth.fetch('/api/v1/lots')).status).toBe(200);
    expect(seen).toEqual([null]);
    expect(p.asked).toEqual([]);
    expect(auth.used).toBe(false);
  });

  it('adds the kept key to every request, beside the other headers', async () => {
    const s = server(['reader-secret-0123456789']);
    const auth = new KeyAuth(memoryStorage({ [KEY_STORAGE]: 'reader-secret-0123456789' }), prompter().prompt, s.send);
    expect(auth.used).toBe(true);
    expect(auth.headers({ Accept: 'application/json' }).get('Accept')).toBe('application/json');
    expect((await auth.fetch('/api/v1/lots', { headers: { Accept: 'application/json' } })).status).toBe(200);
    expect(s.seen).toEqual(['Bearer reader-secret-0123456789']);
  });

  it('asks for a key on a 401, keeps it for the tab and sends the request again', async () => {
    const s = server(['good-key-0123456789']);
    const storage = memoryStorage();
    const p = prompter('  good-key-0123456789 ');
    const auth = new KeyAuth(storage, p.prompt, s.send);
    const res = await auth.fetch('/api/v1/lots/FG-1/trace');
    expect(res.status).toBe(200);
    expect(p.asked).toEqual(['required']);
    expect(s.seen).toEqual([null, 'Bearer good-key-0123456789']);
    expect(storage.map.get(KEY_STORAGE)).toBe('good-key-0123456789');
    expect(auth.used).toBe(true);
  });

  it('asks again, saying so, when the server turns the key down', async () => {
    const s = server(['good-key-0123456789']);
    const storage = memoryStorage({ [KEY_STORAGE]: 'stale-key-0123456789' });
    const p = prompter('typo-key-0123456789', 'good-key-0123456789');
    const auth = new KeyAuth(storage, p.prompt, s.send);
    expect((await auth.fetch('/api/v1/lots')).status).toBe(200);
    expect(p.asked).toEqual(['rejected', 'rejected']);
    expect(s.seen).toEqual(['Bearer stale-key-0123456789', 'Bearer typo-key-0123456789', 'Bearer good-key-0123456789']);
    expect(storage.map.get(KEY_STORAGE)).toBe('good-key-0123456789');
  });

  it('returns the 401 when the person cancels, and forgets the refused key', async () => {
    const s = server(['good-key-0123456789']);
    const storage = memoryStorage({ [KEY_STORAGE]: 'stale-key-0123456789' });
    const auth = new KeyAuth(storage, prompter(null).prompt, s.send);
    expect((await auth.fetch('/api/v1/lots')).status).toBe(401);
    expect(storage.map.has(KEY_STORAGE)).toBe(false);
  });

  it('asks once for requests turned down together', async () => {
    const s = server(['good-key-0123456789']);
    let answer: (k: string) => void = () => {};
    const asked: AskReason[] = [];
    const prompt = (reason: AskReason) => {
      asked.push(reason);
      return new Promise<string | null>((resolve) => (answer = resolve));
    };
    const auth = new KeyAuth(memoryStorage(), prompt, s.send);
    const all = Promise.all([auth.fetch('/a'), auth.fetch('/b'), auth.fetch('/c')]);
    await new Promise((r) => setTimeout(r, 0));
    answer('good-key-0123456789');
    expect((await all).map((r) => r.status)).toEqual([200, 200, 200]);
    expect(asked).toEqual(['required']);
  });

  it('passes a 403 through, for the caller to show the problem', async () => {
    const send = (async () => new Response('{"detail": "role reader may not use POST /api/v1/cypher"}', { status: 403 })) as typeof fetch;
    const p = prompter();
    const auth = new KeyAuth(memoryStorage({ [KEY_STORAGE]: 'reader-secret-0123456789' }), p.prompt, send);
    const res = await auth.fetch('/api/v1/cypher', { method: 'POST' });
    expect(res.status).toBe(403);
    expect(p.asked).toEqual([]);
  });
});
