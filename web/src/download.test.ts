import { describe, expect, it } from 'vitest';
import { filenameFrom } from './download';

describe('filenameFrom', () => {
  it.each([
    ['attachment; filename=lot-trace_FG-1_both_2026-11-27.xlsx', 'lot-trace_FG-1_both_2026-11-27.xlsx'],
    ['attachment; filename="report (1).csv"', 'report (1).csv'],
    ['attachment; filename="a \\"quoted\\" name.csv"', 'a "quoted" name.csv'],
    ["attachment; filename*=utf-8''lot%20caf%C3%A9.csv", 'lot café.csv'],
    ["attachment; filename=\"plain.csv\"; filename*=UTF-8''fancy%E2%82%AC.csv", 'fancy€.csv'],
    ['attachment; filename="../../etc/passwd"', 'passwd'],
    ['attachment', 'fallback.xlsx'],
    [null, 'fallback.xlsx'],
  ])('reads %s', (header, want) => {
    expect(filenameFrom(header, 'fallback.xlsx')).toBe(want);
  });
});
