import { describe, expect, it } from 'vitest';
import { stderrLog } from '../src/kernel/log.ts';

describe('the kernel log', () => {
  it('writes a warning as one readable line with the error below, and nothing when LOG_LEVEL is error or silent', () => {
    const lines: string[] = [];
    const out = { write: (text: string) => lines.push(text) };
    stderrLog('info', out).warn('A PostgreSQL connection was lost', new Error('Connection terminated unexpectedly'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^\d\d:\d\d:\d\d WARN {2}A PostgreSQL connection was lost\n {4}Error: Connection terminated unexpectedly\n/);
    stderrLog('warn', out).warn('Views lost', 'disk full');
    expect(lines[1]).toMatch(/WARN {2}Views lost: disk full\n$/);
    for (const quiet of ['error', 'silent']) stderrLog(quiet, out).warn('unheard');
    expect(lines).toHaveLength(2);
  });
});
