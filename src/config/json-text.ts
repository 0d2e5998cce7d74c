import { parse as parseTolerant, printParseErrorCode, type ParseError } from 'jsonc-parser';

/**
 * Reads a config file's JSON, or says where it breaks (line and column, 1-based) in plain
 * words: V8's own message gives a position for some mistakes and none for others.
 */

export type JsonText = { ok: true; value: unknown } | { ok: false; line: number; column: number; problem: string };

const PROBLEMS: Record<string, string> = {
  InvalidSymbol: 'unexpected character (strings and names need double quotes)',
  InvalidNumberFormat: 'not a valid number',
  PropertyNameExpected: 'a field name in double quotes is expected',
  ValueExpected: 'a value is expected',
  ColonExpected: 'a ":" is expected after the field name',
  CommaExpected: 'a "," is expected',
  CloseBraceExpected: 'a closing "}" is expected',
  CloseBracketExpected: 'a closing "]" is expected',
  EndOfFileExpected: 'nothing more is expected after the end of the value',
  InvalidCommentToken: 'comments are not allowed in JSON',
  UnexpectedEndOfComment: 'comments are not allowed in JSON',
  UnexpectedEndOfString: 'a string is not closed',
  UnexpectedEndOfNumber: 'a number is cut short',
  InvalidUnicode: 'an invalid \\u escape',
  InvalidEscapeCharacter: 'an invalid escape character',
  InvalidCharacter: 'a control character inside a string',
};

export function parseJsonText(raw: string): JsonText {
  // Editors on Windows may save a byte order mark, which JSON.parse refuses.
  const text = raw.startsWith('\uFEFF') ? raw.slice(1) : raw;
  if (text.trim() === '') return { ok: false, ...lineAndColumn(text, text.length), problem: 'the file is empty' };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    const first = firstProblem(text);
    if (first) return { ok: false, ...lineAndColumn(text, first.offset), problem: PROBLEMS[printParseErrorCode(first.error)] ?? 'not valid JSON' };
    // The tolerant parser could not say: take V8's position when it gives one, never its
    // message, which quotes the text around the break (a credential, perhaps).
    const position = /at position (\d+)/.exec((error as Error).message);
    return { ok: false, ...lineAndColumn(text, position ? Number(position[1]) : text.length), problem: 'not valid JSON' };
  }
}

function firstProblem(text: string): ParseError | undefined {
  const errors: ParseError[] = [];
  try {
    parseTolerant(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  } catch {
    // It recurses per nesting level: a file nested deeply enough overflows the stack.
    return undefined;
  }
  return errors[0];
}

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const lastBreak = before.lastIndexOf('\n');
  return { line: before.split('\n').length, column: offset - lastBreak };
}
