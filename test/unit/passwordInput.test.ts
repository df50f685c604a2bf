/** The sudo terminal's input, read as a real terminal reads a password (client/src/passwordInput.ts). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PasswordInput, type InputEvent } from '../../client/src/passwordInput';

const feed = (...chunks: string[]): InputEvent[] => {
  const p = new PasswordInput();
  return chunks.flatMap((c) => p.feed(c));
};
const line = (text: string): InputEvent => ({ kind: 'line', text });

describe('password input', () => {
  it('drops arrow, function and Alt keys whole, in one chunk or split across chunks', () => {
    assert.deepEqual(feed('pa\x1b[Ass\x1b[1;5Cw\x1bOPd\x1bx\r'), [line('passwd')]);
    assert.deepEqual(feed('ab\x1b', '[', '1', '5~c\r'), [line('abc')]);
    assert.deepEqual(feed('a\x9b2Jb\r'), [line('ab')], 'an 8-bit CSI');
    assert.deepEqual(feed('a\x1b]0;title\x07b\x1b]2;t\x1b\\c\r'), [line('abc')], 'OSC strings, ended by BEL or ST');
    assert.deepEqual(feed('a\x1b[200~pasted\x1b[201~\r'), [line('apasted')], "a bracketed paste's markers");
    assert.deepEqual(feed('ab\x1b[1\r'), [line('ab')], 'a sequence cut short by Enter: the Enter counts');
  });

  it('handles backspace (DEL and BS), Ctrl-U and Ctrl-W as a terminal does', () => {
    assert.deepEqual(feed('secrex\x7ft\r'), [line('secret')]);
    assert.deepEqual(feed('ab\bc\r'), [line('ac')]);
    assert.deepEqual(feed('wrong\x15right\r'), [line('right')]);
    assert.deepEqual(feed('one two  \x17three\r'), [line('one three')]);
    assert.deepEqual(feed('\x7f\x7fok\r'), [line('ok')], 'backspace on an empty line does nothing');
    assert.deepEqual(feed('pä\u{1F511}\x7f\r'), [line('pä')], 'a backspace erases one character, not one UTF-16 unit');
  });

  it('takes a paste as typed text: CR, LF and CR LF each end one line', () => {
    assert.deepEqual(feed('pw1\r\npw2\npw3\r'), [line('pw1'), line('pw2'), line('pw3')]);
    assert.deepEqual(feed('pw\r', '\n'), [line('pw')], 'CR LF split across chunks is still one Enter');
    assert.deepEqual(feed('\r\r'), [line(''), line('')], 'two Enters are two lines');
  });

  it('Ctrl-C interrupts, Ctrl-D on an empty line is end of input, other controls are ignored', () => {
    assert.deepEqual(feed('abc\x03'), [{ kind: 'interrupt' }]);
    assert.deepEqual(feed('\x04'), [{ kind: 'eof' }]);
    assert.deepEqual(feed('a\x04\x01\x00b\r'), [line('ab')]);
  });
});
