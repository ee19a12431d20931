// API keys: when the server has keys configured, every /api/v1 call needs
// "Authorization: Bearer <key>". The key is asked for on the first 401, kept in
// sessionStorage (this browser tab only) and asked for again when the server turns it down.

import { byId } from './dom';

export const KEY_STORAGE = 'lot-trace.key';

/** Why the key is asked for: the server wants one, it refused the one sent, or the person asked. */
export type AskReason = 'required' | 'rejected' | 'change';

/** KeyPrompt asks the person for a key; null when they cancel. */
export type KeyPrompt = (reason: AskReason) => Promise<string | null>;

type KeyStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

/**
 * KeyAuth sends API requests with the key, if there is one. On a 401 it asks for a key (one
 * question at a time, however many requests were turned down) and sends the request again;
 * when the person cancels, the 401 answer is returned for the caller to report.
 */
export class KeyAuth {
  private asking: Promise<string | null> | null = null;
  /** used is true once the server has asked for a key, or a key is kept from before. */
  used: boolean;
  onChange: () => void = () => {};

  constructor(
    private readonly storage: KeyStorage,
    private readonly prompt: KeyPrompt,
    private readonly send: typeof fetch = (input, init) => fetch(input, init),
  ) {
    this.used = !!this.key;
  }

  get key(): string | null {
    return this.storage.getItem(KEY_STORAGE) || null;
  }

  setKey(key: string | null): void {
    if (key) this.storage.setItem(KEY_STORAGE, key);
    else this.storage.removeItem(KEY_STORAGE);
    this.onChange();
  }

  /** headers adds the key to a request's headers, when there is one. */
  headers(init?: HeadersInit): Headers {
    const h = new Headers(init);
    const key = this.key;
    if (key) h.set('Authorization', `Bearer ${key}`);
    return h;
  }

  async fetch(url: string, init: RequestInit = {}): Promise<Response> {
    for (;;) {
      const sent = this.key;
      const res = await this.send(url, { ...init, headers: this.headers(init.headers) });
      if (res.status !== 401 || init.signal?.aborted) return res;
      const next = await this.ask(sent ? 'rejected' : 'required', sent);
      if (!next) return res;
    }
  }

  /** ask asks for a key after a 401 of a request sent with `tried` (or none). */
  ask(reason: AskReason, tried: string | null = this.key): Promise<string | null> {
    if (!this.used) {
      this.used = true;
      this.onChange();
    }
    const current = this.key;
    // Another request's question may have been answered while this one was under way.
    if (reason !== 'change' && current && current !== tried) return Promise.resolve(current);
    if (reason === 'rejected') this.setKey(null);
    this.asking ??= this.prompt(reason).then((answer) => {
      this.asking = null;
      const key = answer?.trim() || null;
      if (key) this.setKey(key);
      return key;
    });
    return this.asking;
  }
}

/** sessionKeys is this tab's sessionStorage or, where the browser blocks it, the page's memory. */
export function sessionKeys(): KeyStorage {
  try {
    return window.sessionStorage;
  } catch {
    const m = new Map<string, string>();
    return { getItem: (k) => m.get(k) ?? null, setItem: (k, v) => void m.set(k, v), removeItem: (k) => void m.delete(k) };
  }
}

const ASK_TEXT: Record<AskReason, string> = {
  required: 'This server needs an API key to show lots and traces.',
  rejected: 'The server did not accept that key: check it and enter it again.',
  change: 'Enter another API key, or forget the one this tab keeps.',
};

/**
 * dialogPrompt asks for the key in the page's modal dialog (#key-dialog in index.html):
 * focus moves into it; Escape or Cancel answers null; "Forget key" (offered when the person
 * asked to change the key) calls forget and answers null.
 */
export function dialogPrompt(forget: () => void): KeyPrompt {
  const dialog = byId<HTMLDialogElement>('key-dialog');
  const input = byId<HTMLInputElement>('key-input');
  const reasonText = byId('key-reason');
  const forgetButton = byId<HTMLButtonElement>('key-forget');
  let answer: ((key: string | null) => void) | null = null;

  const close = (key: string | null) => {
    const done = answer;
    answer = null;
    if (dialog.open) dialog.close();
    input.value = '';
    done?.(key);
  };
  byId<HTMLFormElement>('key-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    if (input.value.trim()) close(input.value);
  });
  byId('key-cancel').addEventListener('click', () => close(null));
  forgetButton.addEventListener('click', () => {
    forget();
    close(null);
  });
  dialog.addEventListener('cancel', (ev) => {
    ev.preventDefault();
    close(null);
  });
  return (reason) =>
    new Promise<string | null>((resolve) => {
      answer = resolve;
      reasonText.textContent = ASK_TEXT[reason];
      reasonText.classList.toggle('error', reason === 'rejected');
      forgetButton.hidden = reason !== 'change';
      if (!dialog.open) dialog.showModal();
      input.focus();
    });
}
