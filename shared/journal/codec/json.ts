/**
 * JSON codec for `StateJournal` in serde_json's layout (the older `state.json`):
 * `{"handoff_id":"<uuid>","phase":"<Name>","incumbent_pid":N,"successor_pid":N|null,
 * "started_at_unix_ms":N}`. A small parser of our own (not `JSON.parse`) so that
 * integers above 2^53 stay exact and every field's byte range is known. It accepts and
 * rejects what `serde_json::from_slice::<StateJournal>` does: fields in any order,
 * unknown fields ignored, a missing `successor_pid` read as None, duplicate fields
 * rejected, the uuid spellings `uuid::Uuid::parse_str` takes, integers only in range
 * and never written as floats, nothing but whitespace after the value, depth <= 128.
 */
import { FIELDS, legacyPhaseNote, PHASES, isPhase, U32_MAX, U64_MAX, type FieldName, type Journal } from '../model';
import { formatUuid, parseUuid } from '../uuid';
import {
  fillMissingFields,
  type ByteRange,
  type CodecNote,
  type DecodeError,
  type DecodeErrorKind,
  type DecodeResult,
  type FieldRanges,
} from './types';

type Node =
  | { t: 'obj'; entries: { key: string; keyStart: number; value: Node }[]; start: number; end: number }
  | { t: 'arr'; items: Node[]; start: number; end: number }
  | { t: 'str'; v: string; start: number; end: number }
  | { t: 'int'; v: bigint; start: number; end: number }
  | { t: 'float'; text: string; start: number; end: number }
  | { t: 'bool'; v: boolean; start: number; end: number }
  | { t: 'null'; start: number; end: number };

class JsonSyntaxError {
  constructor(
    readonly offset: number,
    readonly message: string,
    readonly kind: DecodeErrorKind = 'syntax',
  ) {}
}

const MAX_DEPTH = 128;
const I64_MIN = -(1n << 63n);
const utf8 = new TextDecoder('utf-8', { fatal: true });

class Parser {
  pos = 0;
  constructor(private readonly b: Uint8Array) {}

  ws(): void {
    const b = this.b;
    while (this.pos < b.length) {
      const c = b[this.pos];
      if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) this.pos++;
      else break;
    }
  }

  fail(message: string, at = this.pos): never {
    throw new JsonSyntaxError(at, message, at >= this.b.length ? 'truncated' : 'syntax');
  }

  value(depth: number): Node {
    this.ws();
    const start = this.pos;
    if (start >= this.b.length) this.fail('EOF while parsing a value');
    const c = this.b[start] as number;
    if (c === 0x7b || c === 0x5b) {
      if (depth >= MAX_DEPTH) this.fail('recursion limit exceeded (serde_json allows 128 levels)');
      return c === 0x7b ? this.object(depth + 1) : this.array(depth + 1);
    }
    if (c === 0x22) return { t: 'str', v: this.string(), start, end: this.pos };
    if (c === 0x2d || (c >= 0x30 && c <= 0x39)) return this.number();
    for (const [word, node] of [
      ['true', { t: 'bool', v: true }],
      ['false', { t: 'bool', v: false }],
      ['null', { t: 'null' }],
    ] as const) {
      if (this.literal(word)) return { ...node, start, end: this.pos } as Node;
    }
    this.fail(`expected a value, found ${show(c)}`);
  }

  literal(word: string): boolean {
    for (let i = 0; i < word.length; i++) {
      if (this.pos + i >= this.b.length) {
        if (this.b[this.pos] === word.charCodeAt(0)) this.fail('EOF while parsing a value', this.b.length);
        return false;
      }
      if (this.b[this.pos + i] !== word.charCodeAt(i)) return false;
    }
    this.pos += word.length;
    return true;
  }

  object(depth: number): Node {
    const start = this.pos++;
    const entries: { key: string; keyStart: number; value: Node }[] = [];
    this.ws();
    if (this.b[this.pos] === 0x7d) {
      this.pos++;
      return { t: 'obj', entries, start, end: this.pos };
    }
    for (;;) {
      this.ws();
      const keyStart = this.pos;
      if (this.pos >= this.b.length) this.fail('EOF while parsing an object');
      if (this.b[this.pos] !== 0x22) this.fail('key must be a string');
      const key = this.string();
      this.ws();
      if (this.pos >= this.b.length) this.fail('EOF while parsing an object');
      if (this.b[this.pos] !== 0x3a) this.fail("expected ':'");
      this.pos++;
      entries.push({ key, keyStart, value: this.value(depth) });
      this.ws();
      const c = this.b[this.pos];
      if (c === 0x2c) {
        this.pos++;
        continue;
      }
      if (c === 0x7d) {
        this.pos++;
        return { t: 'obj', entries, start, end: this.pos };
      }
      this.fail(c === undefined ? 'EOF while parsing an object' : "expected ',' or '}'");
    }
  }

  array(depth: number): Node {
    const start = this.pos++;
    const items: Node[] = [];
    this.ws();
    if (this.b[this.pos] === 0x5d) {
      this.pos++;
      return { t: 'arr', items, start, end: this.pos };
    }
    for (;;) {
      items.push(this.value(depth));
      this.ws();
      const c = this.b[this.pos];
      if (c === 0x2c) {
        this.pos++;
        continue;
      }
      if (c === 0x5d) {
        this.pos++;
        return { t: 'arr', items, start, end: this.pos };
      }
      this.fail(c === undefined ? 'EOF while parsing a list' : "expected ',' or ']'");
    }
  }

  string(): string {
    const b = this.b;
    this.pos++;
    let out = '';
    let runStart = this.pos;
    const flush = (end: number): void => {
      if (end > runStart) {
        try {
          out += utf8.decode(b.subarray(runStart, end));
        } catch {
          this.fail('invalid unicode (UTF-8) in a string', runStart);
        }
      }
    };
    for (;;) {
      if (this.pos >= b.length) this.fail('EOF while parsing a string');
      const c = b[this.pos] as number;
      if (c === 0x22) {
        flush(this.pos);
        this.pos++;
        return out;
      }
      if (c < 0x20) this.fail('control character (\\u0000-\\u001F) found while parsing a string');
      if (c !== 0x5c) {
        this.pos++;
        continue;
      }
      flush(this.pos);
      this.pos++;
      const e = b[this.pos];
      if (e === undefined) this.fail('EOF while parsing a string');
      const simple: Record<number, string> = {
        0x22: '"',
        0x5c: '\\',
        0x2f: '/',
        0x62: '\b',
        0x66: '\f',
        0x6e: '\n',
        0x72: '\r',
        0x74: '\t',
      };
      if (simple[e] !== undefined) {
        out += simple[e];
        this.pos++;
      } else if (e === 0x75) {
        this.pos++;
        out += this.unicodeEscape();
      } else {
        this.fail('invalid escape');
      }
      runStart = this.pos;
    }
  }

  hex4(): number {
    let v = 0;
    for (let i = 0; i < 4; i++) {
      const c = this.b[this.pos];
      if (c === undefined) this.fail('EOF while parsing a string');
      const d = c >= 0x30 && c <= 0x39 ? c - 0x30 : (c | 0x20) >= 0x61 && (c | 0x20) <= 0x66 ? (c | 0x20) - 0x57 : -1;
      if (d < 0) this.fail('invalid escape');
      v = v * 16 + d;
      this.pos++;
    }
    return v;
  }

  unicodeEscape(): string {
    const hi = this.hex4();
    if (hi >= 0xdc00 && hi <= 0xdfff) this.fail('lone trailing surrogate in hex escape');
    if (hi < 0xd800 || hi > 0xdbff) return String.fromCharCode(hi);
    if (this.b[this.pos] !== 0x5c || this.b[this.pos + 1] !== 0x75) this.fail('lone leading surrogate in hex escape');
    this.pos += 2;
    const lo = this.hex4();
    if (lo < 0xdc00 || lo > 0xdfff) this.fail('lone leading surrogate in hex escape');
    return String.fromCharCode(hi, lo);
  }

  number(): Node {
    const b = this.b;
    const start = this.pos;
    const neg = b[this.pos] === 0x2d;
    if (neg) this.pos++;
    const digits = (): number => {
      const s = this.pos;
      while (this.pos < b.length && (b[this.pos] as number) >= 0x30 && (b[this.pos] as number) <= 0x39) this.pos++;
      return this.pos - s;
    };
    const intStart = this.pos;
    if (this.pos >= b.length) this.fail('EOF while parsing a value');
    if (b[this.pos] === 0x30) {
      this.pos++;
      const n = b[this.pos];
      if (n !== undefined && n >= 0x30 && n <= 0x39) this.fail('invalid number');
    } else if (digits() === 0) {
      this.fail('invalid number');
    }
    let isFloat = false;
    if (b[this.pos] === 0x2e) {
      isFloat = true;
      this.pos++;
      if (digits() === 0) this.fail(this.pos >= b.length ? 'EOF while parsing a value' : 'invalid number');
    }
    if (b[this.pos] === 0x65 || b[this.pos] === 0x45) {
      isFloat = true;
      this.pos++;
      if (b[this.pos] === 0x2b || b[this.pos] === 0x2d) this.pos++;
      if (digits() === 0) this.fail(this.pos >= b.length ? 'EOF while parsing a value' : 'invalid number');
    }
    const text = String.fromCharCode(...b.subarray(start, this.pos));
    if (!isFloat) {
      const mag = BigInt(String.fromCharCode(...b.subarray(intStart, this.pos)));
      // serde_json: u64 for non-negative, i64 for negative; "-0" and anything out of
      // range become a float.
      if (!neg && mag <= U64_MAX) return { t: 'int', v: mag, start, end: this.pos };
      if (neg && mag !== 0n && -mag >= I64_MIN) return { t: 'int', v: -mag, start, end: this.pos };
    }
    return { t: 'float', text, start, end: this.pos };
  }
}

function show(c: number): string {
  return c >= 0x20 && c < 0x7f ? `'${String.fromCharCode(c)}'` : `byte 0x${c.toString(16).padStart(2, '0')}`;
}

function describe(n: Node): string {
  switch (n.t) {
    case 'obj':
      return 'a map';
    case 'arr':
      return 'a sequence';
    case 'str':
      return `string ${JSON.stringify(n.v)}`;
    case 'int':
      return `integer \`${n.v}\``;
    case 'float':
      return `floating point \`${n.text}\``;
    case 'bool':
      return `boolean \`${n.v}\``;
    case 'null':
      return 'null';
  }
}

type Take = { ok: true } | { ok: false; kind: DecodeErrorKind; message: string };

function takeField(name: FieldName, n: Node, j: Partial<Journal>, notes: CodecNote[]): Take {
  const bad = (kind: DecodeErrorKind, message: string): Take => ({ ok: false, kind, message });
  const r: ByteRange = { start: n.start, end: n.end };
  switch (name) {
    case 'handoff_id': {
      if (n.t !== 'str') return bad('bad-type', `invalid type: ${describe(n)}, expected a UUID string`);
      const u = parseUuid(n.v);
      if (!u) return bad('bad-uuid', `invalid UUID ${JSON.stringify(n.v)}`);
      j.handoff_id = u;
      if (formatUuid(u) !== n.v) {
        notes.push({
          code: 'odd-form',
          field: name,
          range: r,
          message: `\`handoff_id\` is spelled ${JSON.stringify(n.v)}; serde_json accepts it, but the supervisor writes lowercase hyphenated.`,
        });
      }
      return { ok: true };
    }
    case 'phase': {
      let name_: string | undefined;
      if (n.t === 'str') name_ = n.v;
      else if (n.t === 'obj' && n.entries.length === 1 && n.entries[0]?.value.t === 'null') name_ = n.entries[0].key;
      if (name_ === undefined) return bad('bad-type', `invalid type: ${describe(n)}, expected a phase name`);
      if (!isPhase(name_)) {
        return bad(
          'unknown-phase',
          `unknown variant ${JSON.stringify(name_)}, expected one of ${PHASES.map((p) => `\`${p}\``).join(', ')}.${legacyPhaseNote(name_)}`,
        );
      }
      j.phase = name_;
      return { ok: true };
    }
    case 'incumbent_pid':
    case 'successor_pid': {
      if (name === 'successor_pid' && n.t === 'null') {
        j.successor_pid = null;
        return { ok: true };
      }
      if (n.t !== 'int') return bad('bad-type', `invalid type: ${describe(n)}, expected u32`);
      if (n.v < 0n || n.v > BigInt(U32_MAX)) return bad('bad-value', `invalid value: integer \`${n.v}\`, expected u32`);
      j[name] = Number(n.v);
      return { ok: true };
    }
    case 'started_at_unix_ms': {
      if (n.t !== 'int') return bad('bad-type', `invalid type: ${describe(n)}, expected u64`);
      if (n.v < 0n) return bad('bad-value', `invalid value: integer \`${n.v}\`, expected u64`);
      j.started_at_unix_ms = n.v;
      return { ok: true };
    }
  }
}

/** Decodes serde_json bytes exactly as `serde_json::from_slice::<StateJournal>`. Never throws. */
export function decodeJson(b: Uint8Array): DecodeResult {
  const partial: Partial<Journal> = {};
  const ranges: FieldRanges = {};
  const F = (kind: DecodeErrorKind, offset: number, field: FieldName | undefined, message: string): DecodeError => ({
    ok: false,
    kind,
    encoding: 'json',
    offset,
    ...(field ? { field } : {}),
    message,
    partial,
    ranges,
  });
  if (b.length === 0) return F('empty', 0, undefined, 'the file is empty (0 bytes): a JSON journal is an object with 5 fields.');
  const p = new Parser(b);
  let root: Node;
  try {
    root = p.value(0);
    p.ws();
    if (p.pos < b.length)
      return F(
        'trailing-data',
        p.pos,
        undefined,
        `trailing characters at byte ${p.pos} after the JSON value; serde_json rejects them, so the supervisor cannot read this file.`,
      );
  } catch (e) {
    if (!(e instanceof JsonSyntaxError)) throw e;
    const kind = e.kind === 'truncated' ? 'truncated' : 'syntax';
    return F(
      kind,
      e.offset,
      undefined,
      `${kind === 'truncated' ? 'truncated JSON' : 'JSON syntax error'} at byte ${e.offset}: ${e.message}. The supervisor cannot read this file.`,
    );
  }
  const notes: CodecNote[] = [];
  const pairs: { name: string; keyStart: number; value: Node }[] = [];
  if (root.t === 'obj') {
    for (const e of root.entries) pairs.push({ name: e.key, keyStart: e.keyStart, value: e.value });
  } else if (root.t === 'arr') {
    if (root.items.length !== 5)
      return F(
        'bad-value',
        root.start,
        undefined,
        `invalid length ${root.items.length}, expected a journal of 5 fields (${FIELDS.join(', ')}).`,
      );
    root.items.forEach((value, i) => pairs.push({ name: FIELDS[i] as string, keyStart: value.start, value }));
  } else {
    return F('not-a-journal', root.start, undefined, `invalid type: ${describe(root)}, expected struct StateJournal (a JSON object).`);
  }
  const seen = new Set<FieldName>();
  for (const { name, keyStart, value } of pairs) {
    const field = FIELDS.find((f) => f === name);
    if (!field) {
      notes.push({
        code: 'odd-form',
        range: { start: keyStart, end: value.end },
        message: `unknown field ${JSON.stringify(name)} at byte ${keyStart}; serde ignores it, but the supervisor never writes it.`,
      });
      continue;
    }
    if (seen.has(field))
      return F(
        'duplicate-field',
        keyStart,
        field,
        `duplicate field \`${field}\` at byte ${keyStart}: serde_json rejects it, so the supervisor cannot read this file.`,
      );
    seen.add(field);
    const res = takeField(field, value, partial, notes);
    if (!res.ok)
      return F(res.kind, value.start, field, `${res.message} at byte ${value.start} (\`${field}\`). The supervisor cannot read this file.`);
    ranges[field] = { start: value.start, end: value.end };
  }
  const missing = fillMissingFields(seen, partial, notes);
  if (missing) return F('missing-field', root.end, missing, `missing field \`${missing}\`. The supervisor cannot read this file.`);
  return { ok: true, journal: partial as Journal, encoding: 'json', ranges, consumed: b.length, trailing: new Uint8Array(0), notes };
}

/** serde_json's text for a journal (the same as `serde_json::to_string`). */
export function journalToJsonText(j: Journal): string {
  return (
    `{"handoff_id":"${formatUuid(j.handoff_id)}","phase":"${j.phase}","incumbent_pid":${j.incumbent_pid},` +
    `"successor_pid":${j.successor_pid === null ? 'null' : j.successor_pid},"started_at_unix_ms":${j.started_at_unix_ms}}`
  );
}

/** Encodes exactly as `serde_json::to_vec(&journal)`. */
export function encodeJson(j: Journal): Uint8Array {
  return new TextEncoder().encode(journalToJsonText(j));
}
