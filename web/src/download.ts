// Exports fetched by the page rather than followed as links, so that they carry the API key:
// the answer becomes a Blob, saved under the name the server gives in Content-Disposition.

import { request } from './api';

/** Download is what one fetched export was, kept for the end-to-end tests. */
export interface Download {
  url: string;
  name: string;
  type: string;
  size: number;
}

/** filenameFrom reads the file name of a Content-Disposition header (RFC 6266): filename*
 * (RFC 8187, UTF-8) wins over filename; a name holding a path keeps only its last part. */
export function filenameFrom(header: string | null, fallback: string): string {
  const h = header ?? '';
  let name = '';
  const extended = /filename\*\s*=\s*[\w-]*'[^']*'([^;\s]+)/i.exec(h);
  if (extended) {
    try {
      name = decodeURIComponent(extended[1]);
    } catch {
      name = '';
    }
  }
  if (!name) {
    const plain = /(?:^|;)\s*filename\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;\s]+))/i.exec(h);
    if (plain) name = plain[1] !== undefined ? plain[1].replace(/\\(.)/g, '$1') : plain[2];
  }
  name = name.split(/[/\\]/).pop()!.trim();
  return name || fallback;
}

/** saveDownload fetches an export and hands it to the browser as a file. */
export async function saveDownload(url: string, fallback: string): Promise<Download> {
  const res = await request(url);
  return saveBlob(url, await res.blob(), filenameFrom(res.headers.get('Content-Disposition'), fallback));
}

/**
 * openPage fetches a page (the printable recall report) and shows it in a new tab. The tab is
 * opened at the click, before the answer comes, so that popup blockers let it through; where
 * one is blocked all the same, the page is saved as a file instead.
 */
export async function openPage(url: string, fallback: string): Promise<Download> {
  const tab = window.open('', '_blank');
  try {
    const res = await request(url);
    const blob = await res.blob();
    if (!tab) return saveBlob(url, blob, fallback);
    tab.location.href = objectURL(blob);
    return { url, name: fallback, type: blob.type, size: blob.size };
  } catch (err) {
    tab?.close();
    throw err;
  }
}

function saveBlob(url: string, blob: Blob, name: string): Download {
  const a = document.createElement('a');
  a.href = objectURL(blob);
  a.download = name;
  a.click();
  return { url, name, type: blob.type, size: blob.size };
}

/** objectURL makes a blob: URL, let go of a minute later (long enough to save or show it). */
function objectURL(blob: Blob): string {
  const url = URL.createObjectURL(blob);
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
  return url;
}
