/**
 * What the user types into the "Handoff Journal (sudo)" terminal, read the way a real
 * terminal in canonical mode with echo off reads a password for sudo: printable
 * characters are kept (a paste is typed text too), Enter (CR, LF, or CR LF as one)
 * ends the line, Backspace (DEL or BS) erases a character, Ctrl-U the line and Ctrl-W a
 * word, Ctrl-C interrupts, Ctrl-D on an empty line is end of input. Escape sequences
 * (arrow and function keys, Alt+key, a bracketed paste's markers, OSC/DCS strings) are
 * dropped whole, never left behind as `[A` in the password. Pure: no VS Code, no I/O.
 */

export type InputEvent = { kind: 'line'; text: string } | { kind: 'interrupt' } | { kind: 'eof' };

type EscState = 'none' | 'esc' | 'csi' | 'ss3' | 'string' | 'string-esc';

export class PasswordInput {
  private typed = '';
  private esc: EscState = 'none';
  /** The last character ended a line with CR: an LF right after it is the same Enter. */
  private afterCr = false;

  /** Feeds one chunk of terminal input; returns the events it completes. */
  feed(data: string): InputEvent[] {
    const out: InputEvent[] = [];
    for (const ch of data) {
      if (this.escape(ch)) continue;
      const cr = this.afterCr;
      this.afterCr = false;
      this.key(ch, cr, out);
    }
    return out;
  }

  /** Forgets the line being typed (a run ended). */
  reset(): void {
    this.typed = '';
    this.esc = 'none';
    this.afterCr = false;
  }

  /** Consumes `ch` when it belongs to an escape sequence. */
  private escape(ch: string): boolean {
    switch (this.esc) {
      case 'none':
        if (ch === '\x1b') return ((this.esc = 'esc'), true);
        if (ch === '\x9b') return ((this.esc = 'csi'), true);
        return false;
      case 'esc':
        // ESC [ CSI, ESC O SS3, ESC ] OSC / P DCS / X SOS / ^ PM / _ APC strings, else ESC + one character (Alt+key).
        this.esc = ch === '[' ? 'csi' : ch === 'O' ? 'ss3' : ']PX^_'.includes(ch) ? 'string' : 'none';
        return true;
      case 'csi':
        // Parameter and intermediate bytes (0x20-0x3f) continue it; a final byte (0x40-0x7e) ends it.
        if (ch >= '\x40' && ch <= '\x7e') this.esc = 'none';
        else if (ch < '\x20' || ch > '\x3f') return ((this.esc = 'none'), false); // cut short: the key counts
        return true;
      case 'ss3':
        this.esc = 'none';
        return true;
      case 'string':
        // Ended by BEL or ST (ESC \).
        if (ch === '\x07') this.esc = 'none';
        else if (ch === '\x1b') this.esc = 'string-esc';
        return true;
      case 'string-esc':
        this.esc = ch === '\\' ? 'none' : 'string';
        return true;
    }
  }

  private key(ch: string, afterCr: boolean, out: InputEvent[]): void {
    if (ch === '\r' || ch === '\n') {
      if (ch === '\n' && afterCr) return;
      out.push({ kind: 'line', text: this.typed });
      this.typed = '';
      this.afterCr = ch === '\r';
    } else if (ch === '\x7f' || ch === '\b') {
      this.typed = [...this.typed].slice(0, -1).join('');
    } else if (ch === '\x15') {
      this.typed = '';
    } else if (ch === '\x17') {
      this.typed = eraseWord(this.typed);
    } else if (ch === '\x03') {
      this.typed = '';
      out.push({ kind: 'interrupt' });
    } else if (ch === '\x04') {
      if (this.typed === '') out.push({ kind: 'eof' });
    } else if (ch >= ' ' && !(ch >= '\x80' && ch <= '\x9f')) {
      this.typed += ch;
    }
  }
}

/** Ctrl-W: erases the spaces before the cursor, then the word before them. */
function eraseWord(s: string): string {
  const cs = [...s];
  while (cs.length > 0 && /\s/u.test(cs[cs.length - 1] as string)) cs.pop();
  while (cs.length > 0 && !/\s/u.test(cs[cs.length - 1] as string)) cs.pop();
  return cs.join('');
}
