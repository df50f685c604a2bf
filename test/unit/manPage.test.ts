/**
 * The man page (cli/manPage.ts) says what `--help` says: every command of the command
 * table has its section with its synopsis, every line of its help, and every option; help
 * text is escaped, never read as roff requests. The packaging test renders the installed
 * page with the real man(1).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { COMMAND_NAMES, commandSpec } from '../../cli/commandTable';
import { HELP, SYNOPSIS } from '../../cli/help';
import { helpBodyToRoff, manPage, roffEscape } from '../../cli/manPage';

const PAGE = manPage({ version: '9.8.7', date: '2026-01-02' });
const LINES = PAGE.split('\n');
/** The requests the generator writes; any other line starting with . or ' would be help text read as roff. */
const REQUESTS = new Set(['TH', 'SH', 'SS', 'PP', 'RS', 'RE', 'nf', 'fi', 'B', 'BR', 'I', 'IR', 'TP', 'br', 'ad', 'nh', '\\"']);

/** Roff text back to plain text, for the escapes the generator writes. */
const plain = (line: string): string =>
  line
    .replace(/\\\[u([0-9A-F]{4,6})\]/g, (_, h: string) => String.fromCodePoint(parseInt(h, 16)))
    .replace(/\\-/g, '-')
    .replace(/\\&/g, '')
    .replace(/\\e/g, '\\');

/** The page's lines of one command's section (up to the next section). */
function section(name: string): string[] {
  const from = LINES.indexOf(`.SS ${roffEscape(name)}`);
  assert.ok(from > 0, `no section for ${name}`);
  const next = LINES.findIndex((l, i) => i > from && /^\.S[SH] /.test(l));
  return LINES.slice(from, next);
}

describe('man page', () => {
  it('has the header, the version and the date', () => {
    assert.equal(LINES[1], '.TH HANDOFF\\-JOURNAL 1 2026-01-02 "handoff\\-journal 9.8.7" "User Commands"');
    for (const s of ['NAME', 'SYNOPSIS', 'DESCRIPTION', 'COMMANDS', 'EXIT STATUS', 'FILES', 'SEE ALSO'])
      assert.ok(LINES.includes(`.SH ${s}`), s);
  });

  it('has a section per command with its synopsis, every line of its help, and every option', () => {
    for (const name of COMMAND_NAMES) {
      const text = section(name)
        .map(plain)
        .map((l) => l.trim());
      for (const syn of SYNOPSIS[name].split('\n')) assert.ok(text.includes(syn.trim()), `${name}: synopsis ${syn}`);
      const body = HELP[name].slice(HELP[name].indexOf('\n\n') + 2);
      for (const l of body.split('\n').filter((x) => x.trim() !== ''))
        assert.ok(text.includes(l.trim()), `${name}: help line ${JSON.stringify(l)}`);
      for (const opt of Object.keys(commandSpec(name).options).filter((o) => o !== 'help'))
        assert.ok(text.join('\n').includes(`--${opt}`), `${name}: --${opt}`);
    }
  });

  it('lists every command in the synopsis', () => {
    const syn = LINES.slice(LINES.indexOf('.SH SYNOPSIS'), LINES.indexOf('.SH DESCRIPTION')).map(plain);
    for (const name of COMMAND_NAMES) assert.ok(syn.includes((SYNOPSIS[name].split('\n')[0] as string).trim()), name);
  });

  it('writes no request but its own: help text is escaped', () => {
    const requests = LINES.filter((l) => /^[.']/.test(l)).map((l) => (/^[.'](\\"|\S+)/.exec(l) as RegExpExecArray)[1]);
    assert.deepEqual(
      requests.filter((r) => !REQUESTS.has(r as string)),
      [],
    );
    assert.equal(roffEscape('.SH injected'), '\\&.SH injected');
    assert.equal(roffEscape("'br"), "\\&'br");
    assert.equal(roffEscape('a\\fBbold'), 'a\\efBbold');
    assert.equal(roffEscape('--json — “x”'), '\\-\\-json \\[u2014] \\[u201C]x\\[u201D]');
    assert.deepEqual(helpBodyToRoff('.TH x\n  .SH y\n'), ['.PP', '\\&.TH x', '.RS 2', '.nf', '\\&.SH y', '.fi', '.RE']);
  });

  it('is plain ASCII', () => {
    assert.ok(/^[\x20-\x7e\n]*$/.test(PAGE));
  });
});
